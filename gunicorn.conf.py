"""gunicorn's settings for production: `make serve`, or
`gunicorn -c gunicorn.conf.py` under a process supervisor.

Every setting can be changed from the environment (below) or by gunicorn's own flags,
which win over this file. The application reads the rest of its configuration from the
environment: SECRET_KEY (required), DATABASE_URL, RATELIMIT_STORAGE_URI, MAIL_*.
"""

import os
import subprocess
import sys

os.environ.setdefault("WWC_CONFIG", "production")

wsgi_app = "wwc_community:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Pages spend part of their time waiting for the database and the index, so two
# threads per process use the cores better than one; processes, not threads, give
# parallel Python. Two per core is a good start: measure (bench/load.py) before changing.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do not all go
# at once): a slow leak in any library cannot grow without bound.
# Restarting costs a worker its warm caches, so not often.
max_requests = 20000
max_requests_jitter = 2000
# The heartbeat file in memory: a slow disk must not make gunicorn kill live workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn 23+ opens a control socket at one path per user (~/.gunicorn/): two servers
# on one host would take it from each other. Nothing here uses it.
control_socket_disable = True

# The application logs one line per request with its timing and SQL count
# (wwc_community/core/request_log.py); gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Behind a load balancer or reverse proxy: the addresses allowed to set
# X-Forwarded-Proto (so that Secure cookies and redirects use https).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# One search worker per host applies the search outbox to this host's index
# (DESIGN.md: every web host keeps its own replica). Set WWC_SEARCH_WORKER=0 when a
# process supervisor runs `flask search worker` itself.
_search_worker: subprocess.Popen | None = None


def on_starting(server):
    global _search_worker
    if os.environ.get("WWC_SEARCH_WORKER", "1") not in {"0", "false", "no", "off"}:
        _search_worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wwc_community", "search", "worker"]
        )
        server.log.info("Started the search worker (pid %s)", _search_worker.pid)


def on_exit(server):
    if _search_worker is not None and _search_worker.poll() is None:
        _search_worker.terminate()
        try:
            _search_worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _search_worker.kill()


def post_fork(server, worker):
    # Size each worker's connection pool to its threads (see config.DATABASE_POOL_SIZE).
    os.environ["WWC_DB_POOL_SIZE"] = str(server.cfg.threads)
