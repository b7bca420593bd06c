"""Configuration classes: every secret comes from the environment."""

import os
from datetime import timedelta


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means "a SQLite file in the instance folder", filled in by create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Connections each process keeps to PostgreSQL: one per request thread, so None
    # means "gunicorn's thread count" (gunicorn.conf.py passes it as WWC_DB_POOL_SIZE),
    # or 5 outside gunicorn. Never more than PostgreSQL's max_connections divided by
    # the processes of every host, with the search workers and cron jobs counted.
    DATABASE_POOL_SIZE = None
    DATABASE_POOL_OVERFLOW = 2
    DATABASE_POOL_TIMEOUT = 10  # seconds a request waits for a connection, then fails

    # How many reverse proxies or load balancers stand in front of gunicorn: their
    # X-Forwarded-For and -Proto are trusted that many hops deep, so that rate limits
    # count each client's own address and not the balancer's. 0: none trusted.
    PROXY_COUNT = int(os.environ.get("WWC_PROXY_COUNT", "0"))

    # One log line per request: method, path, status, milliseconds, SQL statements.
    REQUEST_LOG = _env_flag("WWC_REQUEST_LOG", True)

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_flag("MAIL_USE_TLS")
    MAIL_FROM = os.environ.get("MAIL_FROM", "WWC Community <community@localhost>")
    MAIL_TIMEOUT = 10

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-in: per client address and per account; sign-up: per client address.
    LOGIN_LIMIT_PER_IP = "20 per 10 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 10 minutes"
    REGISTER_LIMIT_PER_IP = "10 per hour"
    PASSWORD_RESET_LIMIT_PER_IP = "10 per hour"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Every request body: forms are small. The attachment upload alone accepts more: its
    # request may be LIBRARY_MAX_UPLOAD_BYTES plus a little for the form around the file
    # (set per request by the library's upload route), and the file itself is checked
    # against the exact limit. Anything over either limit gets a 413 page.
    MAX_CONTENT_LENGTH = 1 * 1024 * 1024
    # The largest file a library entry can have attached: 20 MB unless
    # WWC_LIBRARY_MAX_UPLOAD_MB says otherwise.
    LIBRARY_MAX_UPLOAD_BYTES = int(
        float(os.environ.get("WWC_LIBRARY_MAX_UPLOAD_MB", "20")) * 1024 * 1024
    )

    # Where uploaded files are kept (library attachments, certification evidence).
    # None: the instance folder. With several web hosts, storage they all mount.
    FILES_PATH = os.environ.get("WWC_FILES_PATH")

    VERIFY_EMAIL_TOKEN_MAX_AGE = timedelta(hours=48)
    PASSWORD_RESET_TOKEN_MAX_AGE = timedelta(hours=1)
    PASSWORD_MIN_LENGTH = 12
    # argon2id parameters (RFC 9106's second recommended option); a hash made with
    # other values is replaced at the member's next sign-in.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024  # KiB
    ARGON2_PARALLELISM = 4

    SITE_NAME = "WWC Community"
    # The public address used in links inside e-mail; set it in production.
    SITE_URL = os.environ.get("SITE_URL")
    PER_PAGE = 25

    # Discussions: answers per page of a thread; new members post at most this many
    # questions, answers and comments an hour during their first days (coordinators
    # and partners are never limited; None turns the limit off).
    DISCUSSION_ANSWERS_PER_PAGE = 30
    DISCUSSION_NEW_MEMBER_POSTS_PER_HOUR = 5
    DISCUSSION_NEW_MEMBER_DAYS = 7

    # Search: the index folder (None: instance/search-index), and how it is fed. The
    # development server applies changes in a background thread; production runs
    # `flask search worker` beside gunicorn instead.
    SEARCH_INDEX_PATH = os.environ.get("WWC_SEARCH_INDEX_PATH")
    SEARCH_BACKGROUND_INDEXER = False
    SEARCH_POLL_SECONDS = 5.0  # the background thread also looks this often
    SEARCH_BATCH_SIZE = 500  # outbox rows per Whoosh commit
    SEARCH_WRITER_TIMEOUT = 30.0  # seconds to wait for another process's writer
    SEARCH_OUTBOX_KEEP = timedelta(days=1)  # applied rows are pruned after this
    SEARCH_OLD_INDEX_GRACE_SECONDS = 60  # a replaced index is removed after this
    SEARCH_REBUILD_LIMITMB = 128  # memory per rebuild process before spilling to disk
    SEARCH_REBUILD_PROCS = 2  # processes writing a rebuild (each writes its own segments)
    SEARCH_MAX_SEGMENTS = 8  # the indexer merges small segments past this many


class DevelopmentConfig(Config):
    """`make run`: a fixed key so sessions survive restarts; cookies over plain HTTP."""

    DEBUG = False
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SEARCH_BACKGROUND_INDEXER = True


class TestingConfig(Config):
    """The test suite: its own database, no throttling unless a test asks for it."""

    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    REQUEST_LOG = False
    # SQLAlchemy's own defaults: the race tests' 50 threads queue for 15 connections,
    # and two test processes stay under the CI server's 100 connections.
    DATABASE_POOL_SIZE = 5
    DATABASE_POOL_OVERFLOW = 10
    DATABASE_POOL_TIMEOUT = 30
    MAIL_SERVER = None
    # Cheap hashes keep hundreds of sign-ins in the suite fast; still argon2id.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    # Tests make many posts with fresh members; the tests of the limit turn it on.
    DISCUSSION_NEW_MEMBER_POSTS_PER_HOUR = None
    # The index and files stay in the test's tmp instance folder, whatever the
    # environment says.
    SEARCH_INDEX_PATH = None
    FILES_PATH = None
    # Test indexes hold a few documents: a second writing process only costs its start
    # (test_cli rebuilds with --procs 2 once).
    SEARCH_REBUILD_PROCS = 1


class ProductionConfig(Config):
    """Production: SECRET_KEY is required, create_app refuses to start without it."""


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
