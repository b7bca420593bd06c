"""The data the load benchmark runs on: a SQLite dataset kept in a folder between runs,
an existing PostgreSQL database, or a throwaway PostgreSQL server filled for the run.
A dataset is built with the project's own commands: `flask db upgrade`, `flask cities
import`, `flask seed-demo --scale <scale>` and `flask search sync`."""

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_ROOT = Path(__file__).resolve().parent / ".data"
STAMP = "dataset.json"
SQLITE_FILE = "wwc_community.db"

# Settings of the caller's environment that would point the children elsewhere: the
# benchmark says explicitly which database, index and address each process uses.
FOREIGN_SETTINGS = (
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "WWC_SEARCH_INDEX_PATH",
    "WWC_INSTANCE_PATH",
    "WWC_CONFIG",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_BIND",
    "GUNICORN_CMD_ARGS",
    "RATELIMIT_STORAGE_URI",
    "SECRET_KEY",
)


@dataclass
class Dataset:
    """Where the data is: the instance folder (search index, mail outbox and, on SQLite,
    the database file) and the PostgreSQL URL, if any."""

    backend: str  # "sqlite" or "postgresql"
    instance_path: Path
    database_url: str | None = None
    scale: str = "large"
    built_now: bool = False
    build_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def sqlalchemy_url(self) -> str:
        """The database's URL, the SQLite file's included."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.instance_path / SQLITE_FILE}"


def clean_env() -> dict:
    """The caller's environment without the settings that would point a child elsewhere."""
    return {key: value for key, value in os.environ.items() if key not in FOREIGN_SETTINGS}


def child_env(dataset: Dataset, secret_key: str, config: str = "production") -> dict:
    """The environment of every process the benchmark starts: the flask CLI, gunicorn and
    the search worker all see the same database, instance folder and secret key."""
    env = clean_env()
    env.update(
        FLASK_APP="wwc_community",
        WWC_CONFIG=config,
        SECRET_KEY=secret_key,
        WWC_INSTANCE_PATH=str(dataset.instance_path),
        # Sign-in limits are kept per gunicorn worker in memory and start afresh with
        # every run, whatever storage the caller's environment names.
        RATELIMIT_STORAGE_URI="memory://",
        PYTHONUNBUFFERED="1",
    )
    if dataset.database_url:
        env["DATABASE_URL"] = dataset.database_url
        if config == "testing":  # the test configuration reads its own variable
            env["TEST_DATABASE_URL"] = dataset.database_url
    return env


def _flask(arguments: list[str], env: dict, log_path: Path, echo) -> str:
    """Run one `flask` command, its output into the log; fail with its last lines."""
    started = time.perf_counter()
    echo(f"  flask {' '.join(arguments)} ...")
    result = subprocess.run(
        [sys.executable, "-m", "flask", *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    with open(log_path, "a") as log:
        log.write(f"$ flask {' '.join(arguments)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise RuntimeError(f"`flask {' '.join(arguments)}` failed ({log_path}):\n{tail}")
    echo(f"    done in {time.perf_counter() - started:.1f} s")
    return result.stdout


def seed_demo_has_scale(env: dict) -> bool:
    """Whether `flask seed-demo` takes --scale (the large data generator is installed)."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "seed-demo", "--help"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.returncode == 0 and "--scale" in result.stdout


def build(dataset: Dataset, env: dict, log_path: Path, echo) -> None:
    """Fill an empty database: schema, city directory, demo content with the generated
    bulk at the dataset's scale, and the search index."""
    started = time.perf_counter()
    _flask(["db", "upgrade"], env, log_path, echo)
    _flask(["cities", "import", "--if-empty"], env, log_path, echo)
    if seed_demo_has_scale(env):
        _flask(["seed-demo", "--scale", dataset.scale], env, log_path, echo)
        scaled = True
    else:
        dataset.notes.append(
            "`flask seed-demo` has no --scale option yet: the dataset is the plain demo content."
        )
        echo(f"  note: {dataset.notes[-1]}")
        _flask(["seed-demo"], env, log_path, echo)
        scaled = False
    if not scaled:  # the generator builds the index itself; plain demo data needs one
        _flask(["search", "sync"], env, log_path, echo)
    dataset.built_now = True
    dataset.build_seconds = time.perf_counter() - started
    (dataset.instance_path / STAMP).write_text(
        json.dumps(
            {
                "scale": dataset.scale,
                "scaled": scaled,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "build_seconds": round(dataset.build_seconds, 1),
            },
            indent=2,
        )
    )


def read_stamp(instance_path: Path) -> dict | None:
    """What the last complete build of this folder wrote; None if it never finished."""
    try:
        return json.loads((instance_path / STAMP).read_text())
    except (OSError, ValueError):
        return None


def prepare_sqlite(
    data_root: Path, scale: str, fresh: bool, secret_key: str, build_config: str, log_path, echo
) -> Dataset:
    """The SQLite dataset of `scale` in data_root/sqlite-<scale>/, built when missing,
    half-built, older than the generator (built without --scale), or when `fresh`."""
    folder = data_root / f"sqlite-{scale}"
    dataset = Dataset("sqlite", folder, scale=scale)
    env = child_env(dataset, secret_key, build_config)
    stamp = read_stamp(folder)
    stale = stamp is not None and not stamp.get("scaled") and seed_demo_has_scale(env)
    if fresh or stamp is None or stale:
        why = "--fresh" if fresh else ("built before --scale existed" if stale else "missing")
        echo(f"Building the SQLite dataset ({scale}) in {folder} ({why}):")
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        build(dataset, env, log_path, echo)
    else:
        echo(f"Using the SQLite dataset ({scale}) in {folder}, built {stamp['built_at']}.")
        # A kept dataset takes the schema changes made since it was built (new indexes).
        _flask(["db", "upgrade"], env, log_path, echo)
        if not stamp.get("scaled"):
            dataset.notes.append("The dataset is the plain demo content (no --scale).")
    return dataset


def _database_is_empty(url: str) -> bool:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        return not inspect(engine).has_table("member")
    finally:
        engine.dispose()


def prepare_postgresql(
    url: str,
    data_root: Path | None,
    scale: str,
    secret_key: str,
    build_config: str,
    log_path: Path,
    echo,
) -> Dataset:
    """A PostgreSQL database: built when empty; its search index and mail outbox live in
    an instance folder of their own (data_root/postgresql-<hash of the URL>/, or a
    temporary one for a throwaway server), built from the database when missing."""
    if data_root is None:
        raise ValueError("data_root is required")
    folder = data_root / f"postgresql-{sha256(url.encode()).hexdigest()[:10]}"
    folder.mkdir(parents=True, exist_ok=True)
    dataset = Dataset("postgresql", folder, database_url=url, scale=scale)
    env = child_env(dataset, secret_key, build_config)
    if _database_is_empty(url):
        echo(f"Building the PostgreSQL dataset ({scale}):")
        build(dataset, env, log_path, echo)
    else:
        stamp = read_stamp(folder)
        echo("Using the data already in the PostgreSQL database.")
        if stamp is None:
            dataset.notes.append("Existing PostgreSQL database: its scale is not known.")
        if not (folder / "search-index").exists():
            echo("  no search index for it here yet: building one")
            _flask(["search", "rebuild"], env, log_path, echo)
    return dataset
