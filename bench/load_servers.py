"""Processes the load benchmark starts and stops: gunicorn (the site or the ceiling),
the search worker beside it, and a throwaway PostgreSQL server."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A child process with its output in a log file, stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, name: str, command: list[str], env: dict, log_path: Path, cwd: Path = ROOT):
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        # A session of its own: a Ctrl+C in the terminal reaches the benchmark only, and
        # the benchmark stops its children in order.
        self.popen = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def running(self) -> bool:
        """True until the process exits."""
        return self.popen.poll() is None

    def stop(self, grace: float = 30.0) -> int | None:
        """Ask the process to finish (SIGTERM), kill it after `grace` seconds."""
        if self.running():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()
        return self.popen.returncode

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of the process's output, for an error message."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def gunicorn_version() -> tuple[int, ...]:
    """The installed gunicorn's version, (0,) when it is missing."""
    try:
        installed = version("gunicorn")
    except PackageNotFoundError:
        return (0,)
    return tuple(int(part) for part in installed.split(".")[:2] if part.isdigit())


def gunicorn_command(app_spec: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn with the project's configuration file (when there is one) and explicit
    workers, threads and address, which override what the file reads from the environment."""
    command = [sys.executable, "-m", "gunicorn"]
    if GUNICORN_CONF.exists():
        command += ["-c", str(GUNICORN_CONF)]
    if gunicorn_version() >= (25, 1):
        # Every gunicorn of a user shares one control socket path by default: the
        # benchmark's must not take it from a server running beside it (nor serve requests
        # any differently without it).
        command.append("--no-control-socket")
    return command + [
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        app_spec,
    ]


def wait_until_healthy(base_url: str, process: Process, timeout: float = 120.0) -> None:
    """Poll /healthz until it answers 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if not process.running():
            raise RuntimeError(
                f"{process.name} exited with {process.popen.returncode} before answering "
                f"/healthz. Its log ({process.log_path}):\n{process.log_tail()}"
            )
        try:
            response = httpx.get(f"{base_url}/healthz", timeout=10)
        except httpx.HTTPError as error:
            last = type(error).__name__
        else:
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}"
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not answer /healthz in {timeout:.0f} s ({last}).")


class PostgresServer:
    """A throwaway PostgreSQL server in a temporary folder, durability off (its data is
    rebuilt every run), as CI's runner starts one. The server refuses to run as root, so
    root runs it as the postgres user."""

    def __init__(self):
        # A folder of its own, owned by the server's user (a run's folder is private).
        self.work_dir = Path(tempfile.mkdtemp(prefix="wwc-load-pg-"))
        self.data_dir = self.work_dir / "pgdata"
        self.bin_dir = self._find_bin_dir()
        self.port = free_port()
        self.started = False

    @staticmethod
    def _find_bin_dir() -> Path:
        def major_version(pg_ctl: Path) -> int:
            name = pg_ctl.parent.parent.name
            return int(name) if name.isdigit() else 0

        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=major_version)
        if found:
            return found[-1].parent
        on_path = shutil.which("pg_ctl")
        if on_path:
            return Path(on_path).parent
        raise RuntimeError("No PostgreSQL server found (pg_ctl): install PostgreSQL first.")

    def _as_postgres(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, cwd="/", check=True, **kwargs)

    def start(self) -> str:
        """initdb, start, create the database; return its URL."""
        self.data_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.work_dir, "postgres")
            shutil.chown(self.data_dir, "postgres")
        with open(self.work_dir / "initdb.log", "wb") as log:
            self._as_postgres(
                [
                    str(self.bin_dir / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} "
            f"-c unix_socket_directories={self.work_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._as_postgres(
            [
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.work_dir / "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )
        self.started = True
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE wwc_bench")
        return f"postgresql://postgres@127.0.0.1:{self.port}/wwc_bench"

    def stop(self, keep_files: bool = False) -> None:
        """Stop the server and remove its folder (unless `keep_files`, to read its log)."""
        if self.started:
            pg_ctl = str(self.bin_dir / "pg_ctl")
            self._as_postgres(
                [pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.started = False
        if not keep_files:
            shutil.rmtree(self.work_dir, ignore_errors=True)


def make_work_dir() -> Path:
    """A temporary folder for one run's logs, the ceiling's database and PostgreSQL."""
    return Path(tempfile.mkdtemp(prefix="wwc-load-"))
