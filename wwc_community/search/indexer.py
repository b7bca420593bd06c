"""Keep the Whoosh index in step with the database: apply pending outbox rows in batches,
rebuild from scratch into a fresh directory, report how far behind the index is.

On disk (SEARCH_INDEX_PATH, else instance/search-index/):

    CURRENT            the name of the generation readers use, replaced atomically
    gen-<time>-<pid>/  a complete Whoosh index, with applied.json: the last outbox id
                       it holds (written atomically after each Whoosh commit)
    building-.../      a rebuild in progress, renamed to gen-... when complete
    apply.lock         held by the one process applying rows at a time

A crash between a database commit and the index write loses nothing: the row waits in
the outbox. A crash between the Whoosh commit and the mark write applies the batch again
next time, harmlessly: every row is an upsert of the object's current state.
"""

import json
import logging
import os
import shutil
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import delete, func, or_, select
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.query import Term
from whoosh.util.filelock import try_for

from wwc_community.core.health import search_index_path
from wwc_community.extensions import db
from wwc_community.search.documents import KINDS_INDEXED, build_documents, doc_id
from wwc_community.search.models import SearchOutbox
from wwc_community.search.outbox import on_commit_with_changes
from wwc_community.search.schema import KINDS, build_schema

log = logging.getLogger(__name__)

POINTER = "CURRENT"
MARK = "applied.json"
APPLY_LOCK = "apply.lock"
# A missing outbox id below the mark may belong to a transaction still open (PostgreSQL
# hands out ids before commit): it is looked for again until it is this old.
GAP_WAIT = timedelta(minutes=5)
MAX_GAPS = 1000
# A rebuild restarts incremental work from the rows of the last few minutes, so rows of
# transactions still open when it started are not skipped (re-applying is harmless).
REBUILD_OVERLAP = timedelta(minutes=5)
BUILD_CHUNK = 500


class IndexMissing(Exception):
    """No index has been built yet (`flask search sync` builds it)."""


@dataclass
class Mark:
    """How far an index has applied the outbox."""

    last_applied_id: int = 0
    # Outbox ids below last_applied_id not seen yet, with when they were first missed.
    gaps: dict[int, float] | None = None


# Paths -----------------------------------------------------------------------------------


def index_root(app: Flask) -> Path:
    return search_index_path(app)


def current_index_dir(app: Flask) -> Path | None:
    """The generation readers use now, or None before the first build."""
    root = index_root(app)
    try:
        name = (root / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    path = root / name
    return path if name and path.is_dir() else None


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def read_mark(index_dir: Path) -> Mark:
    try:
        data = json.loads((index_dir / MARK).read_text())
    except (FileNotFoundError, ValueError):
        return Mark(0, {})
    gaps = {int(key): float(value) for key, value in data.get("gaps", {}).items()}
    return Mark(int(data.get("last_applied_id", 0)), gaps)


def write_mark(index_dir: Path, mark: Mark) -> None:
    data = {
        "last_applied_id": mark.last_applied_id,
        "gaps": {str(key): value for key, value in (mark.gaps or {}).items()},
        "written_at": datetime.now(UTC).isoformat(),
    }
    _write_atomically(index_dir / MARK, json.dumps(data))


def _remove_old_generations(app: Flask) -> None:
    """Remove generations replaced more than SEARCH_OLD_INDEX_GRACE_SECONDS ago (readers
    of other processes may still be opening them until then), and rebuilds that died."""
    root = index_root(app)
    current = current_index_dir(app)
    try:
        swapped_at = (root / POINTER).stat().st_mtime
    except FileNotFoundError:
        return
    now = time.time()
    grace = app.config.get("SEARCH_OLD_INDEX_GRACE_SECONDS", 60)
    for path in root.iterdir():
        if not path.is_dir() or path == current:
            continue
        old_generation = path.name.startswith("gen-") and now - swapped_at > grace
        dead_build = path.name.startswith("building-") and now - path.stat().st_mtime > 86_400
        if old_generation or dead_build:
            shutil.rmtree(path, ignore_errors=True)


# Applying the outbox -----------------------------------------------------------------------


def _hold_apply_lock(index_dir: Path, timeout: float):
    """The lock that makes one process at a time read, apply and mark; None on timeout."""
    lock = FileStorage(str(index_dir)).lock(APPLY_LOCK)
    if try_for(lambda: lock.acquire(False), timeout, 0.05):
        return lock
    return None


def _read_rows(mark: Mark, batch_size: int) -> list:
    condition = SearchOutbox.id > mark.last_applied_id
    if mark.gaps:
        condition = or_(condition, SearchOutbox.id.in_(list(mark.gaps)))
    return db.session.execute(
        select(SearchOutbox.id, SearchOutbox.kind, SearchOutbox.object_id)
        .where(condition)
        .order_by(SearchOutbox.id)
        .limit(batch_size)
    ).all()


def _next_mark(mark: Mark, row_ids: list[int]) -> Mark:
    """Advance past the rows read, remembering ids skipped over as gaps for a while."""
    now = time.time()
    seen = set(row_ids)
    highest = max([mark.last_applied_id, *(i for i in row_ids if i > mark.last_applied_id)])
    gaps = {
        gap: since
        for gap, since in (mark.gaps or {}).items()
        if gap not in seen and now - since < GAP_WAIT.total_seconds()
    }
    for missing in range(mark.last_applied_id + 1, highest):
        if missing not in seen:
            gaps.setdefault(missing, now)
    if len(gaps) > MAX_GAPS:
        log.warning("Search outbox: %d ids missing below the mark; forgetting some", len(gaps))
        gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
    return Mark(highest, gaps)


def _write_documents(writer, documents_by_kind: dict[str, dict]) -> None:
    for kind, documents in documents_by_kind.items():
        for object_id, document in documents.items():
            if document is None:
                writer.delete_by_term("doc_id", doc_id(kind, object_id))
            else:
                writer.update_document(**document)


def _documents_for(rows) -> dict[str, dict]:
    wanted = defaultdict(set)
    for _, kind, object_id in rows:
        if kind in KINDS_INDEXED:
            wanted[kind].add(object_id)
        else:
            log.warning("Search outbox: no documents of kind %r yet; row skipped", kind)
    return {kind: build_documents(db.session, kind, ids) for kind, ids in wanted.items()}


def _apply_batch(app: Flask, index_dir: Path, batch_size: int) -> tuple[int, bool]:
    """Apply one batch under the apply lock; (rows applied, whether more may wait)."""
    timeout = app.config.get("SEARCH_WRITER_TIMEOUT", 30.0)
    lock = _hold_apply_lock(index_dir, timeout)
    if lock is None:
        log.info("Search index: another process is applying the outbox; leaving it to it")
        return 0, False
    try:
        mark = read_mark(index_dir)
        try:
            rows = _read_rows(mark, batch_size)
            documents = _documents_for(rows) if rows else {}
        finally:
            # End the read transaction before the slow part: writers never wait for it.
            db.session.rollback()
        if not rows:
            return 0, False
        ix = whoosh_index.open_dir(str(index_dir))
        writer = ix.writer(timeout=timeout, delay=0.05)
        try:
            _write_documents(writer, documents)
        except BaseException:
            writer.cancel()
            raise
        # No merging in the batch's own commit: a merge can take seconds and the
        # batch should be searchable at once (SEARCH-NOTES.md, trap 5).
        writer.commit(merge=False)
        write_mark(index_dir, _next_mark(mark, [row[0] for row in rows]))
        _merge_if_fragmented(app, ix, timeout)
        return len(rows), len(rows) == batch_size
    finally:
        lock.release()


def _merge_if_fragmented(app: Flask, ix, timeout: float) -> None:
    """Merge the small segments many batches left once there are more than
    SEARCH_MAX_SEGMENTS: every search walks each segment, so they must not pile up. The
    batch is already searchable; readers keep the old segments until they reopen."""
    if len(ix._segments()) <= app.config.get("SEARCH_MAX_SEGMENTS", 8):
        return
    writer = ix.writer(timeout=timeout, delay=0.05)
    writer.commit(merge=True)


def apply_pending(app: Flask, batch_size: int | None = None) -> int:
    """Apply every outbox row the index has not applied, one Whoosh commit per batch;
    build the index first if there is none. Return how many rows were applied."""
    batch_size = batch_size or app.config.get("SEARCH_BATCH_SIZE", 500)
    with app.app_context():
        index_dir = current_index_dir(app)
        if index_dir is None:
            rebuild(app)
            index_dir = current_index_dir(app)
        applied = 0
        try:
            while True:
                count, more = _apply_batch(app, index_dir, batch_size)
                applied += count
                if not more:
                    break
        except LockError:
            # Someone holds the Whoosh writer longer than the timeout (an optimize, a
            # stuck process): the rows wait for the next sync.
            log.warning("Search index: writer busy; %d rows applied, the rest wait", applied)
        _prune_outbox(app, index_dir)
        _remove_old_generations(app)
        return applied


_last_prune: dict[str, float] = {}


def _prune_outbox(app: Flask, index_dir: Path) -> None:
    """Delete rows applied more than SEARCH_OUTBOX_KEEP ago, at most once an hour per
    process. Every replica of the index must apply rows within that time (or rebuild)."""
    key = str(index_root(app))
    if time.time() - _last_prune.get(key, 0) < 3600:
        return
    _last_prune[key] = time.time()
    keep = app.config.get("SEARCH_OUTBOX_KEEP", timedelta(days=1))
    mark = read_mark(index_dir)
    db.session.execute(
        delete(SearchOutbox).where(
            SearchOutbox.id <= mark.last_applied_id,
            SearchOutbox.created_at < datetime.now(UTC) - keep,
        )
    )
    db.session.commit()


# Rebuilding -------------------------------------------------------------------------------


def _rebuild_start_mark() -> int:
    """The mark a rebuild starts from: just below the rows of the last few minutes."""
    recent = db.session.scalar(
        select(func.min(SearchOutbox.id)).where(
            SearchOutbox.created_at >= datetime.now(UTC) - REBUILD_OVERLAP
        )
    )
    if recent is not None:
        return recent - 1
    return db.session.scalar(select(func.max(SearchOutbox.id))) or 0


def count_to_rebuild(app: Flask) -> int:
    with app.app_context():
        total = 0
        for kind in KINDS_INDEXED.values():
            ids = kind.all_ids().subquery()
            total += db.session.scalar(select(func.count()).select_from(ids))
        db.session.rollback()
        return total


def rebuild(
    app: Flask, procs: int | None = None, progress: Callable[[int], None] | None = None
) -> Path:
    """Build a new index of every document from the database in a fresh directory and
    make it current atomically; readers keep the old one until they next open a searcher.
    Rows written during the build are applied by the next sync. Return the new folder."""
    with app.app_context():
        root = index_root(app)
        root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"gen-{stamp}-{os.getpid()}"
        building = root / f"building-{stamp}-{os.getpid()}"
        building.mkdir()
        try:
            start_mark = _rebuild_start_mark()
            db.session.rollback()
            ix = whoosh_index.create_in(str(building), build_schema())
            options = {"limitmb": app.config.get("SEARCH_REBUILD_LIMITMB", 128)}
            procs = procs or app.config.get("SEARCH_REBUILD_PROCS", 1)
            if procs > 1:
                options.update(procs=procs, multisegment=True)
            writer = ix.writer(**options)
            try:
                for kind in KINDS_INDEXED.values():
                    ids = list(db.session.scalars(kind.all_ids()))
                    db.session.rollback()
                    for start in range(0, len(ids), BUILD_CHUNK):
                        chunk = ids[start : start + BUILD_CHUNK]
                        documents = build_documents(db.session, kind.name, chunk)
                        # One short read transaction per chunk: writers never wait long.
                        db.session.rollback()
                        for document in documents.values():
                            if document is not None:
                                writer.add_document(**document)
                        if progress:
                            progress(len(chunk))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            write_mark(building, Mark(start_mark, {}))
            final = root / name
            os.rename(building, final)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _write_atomically(root / POINTER, name)
        log.info("Search index rebuilt in %s", final)
        return final


# Status -------------------------------------------------------------------------------------


def index_status(app: Flask) -> dict:
    """Documents per kind, rows waiting, the oldest waiting row's age, the last id applied."""
    with app.app_context():
        index_dir = current_index_dir(app)
        if index_dir is None:
            pending = db.session.scalar(select(func.count(SearchOutbox.id)))
            return {"status": "absent", "path": str(index_root(app)), "pending": pending}
        mark = read_mark(index_dir)
        waiting = SearchOutbox.id > mark.last_applied_id
        if mark.gaps:
            waiting = or_(waiting, SearchOutbox.id.in_(list(mark.gaps)))
        pending, oldest = db.session.execute(
            select(func.count(SearchOutbox.id), func.min(SearchOutbox.created_at)).where(waiting)
        ).one()
        db.session.rollback()
        ix = whoosh_index.open_dir(str(index_dir))
        with ix.searcher() as searcher:
            documents = {
                kind: sum(1 for _ in searcher.docs_for_query(Term("kind", kind))) for kind in KINDS
            }
        lag = 0.0
        if oldest is not None:
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=UTC)
            lag = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
        return {
            "status": "ok",
            "path": str(index_dir),
            "documents": documents,
            "pending": pending,
            "lag_seconds": round(lag, 1),
            "last_applied_id": mark.last_applied_id,
        }


# Running beside the site ------------------------------------------------------------------


class BackgroundIndexer:
    """A daemon thread of the development server that applies pending rows within about
    a second: woken after each commit that wrote outbox rows, and every
    SEARCH_POLL_SECONDS in case another process wrote them."""

    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self._stop_listening = lambda: None

    def start(self) -> "BackgroundIndexer":
        self._stop_listening = on_commit_with_changes(self.wake.set)
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop_listening()
        self.stopped.set()
        self.wake.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        poll = self.app.config.get("SEARCH_POLL_SECONDS", 5.0)
        self.wake.set()  # catch up at start
        while not self.stopped.is_set():
            self.wake.wait(poll)
            self.wake.clear()
            if self.stopped.is_set():
                break
            try:
                apply_pending(self.app)
            except Exception:  # noqa: BLE001 - the thread must outlive one bad batch
                log.exception("Search index: applying the outbox failed; retrying later")


def start_background_indexer(app: Flask) -> None:
    """Start the development indexer on the first request (not in `flask` commands)."""
    started = threading.Lock()

    @app.before_request
    def _start_search_indexer():
        if "wwc_search_indexer" in app.extensions:
            return
        with started:
            if "wwc_search_indexer" not in app.extensions:
                app.extensions["wwc_search_indexer"] = BackgroundIndexer(app).start()


def run_worker(app: Flask, interval: float, echo: Callable[[str], None] = log.info) -> None:
    """Apply pending rows every `interval` seconds until SIGTERM or SIGINT; the batch in
    progress is finished first. For production, one per index beside gunicorn."""
    stopping = threading.Event()

    def stop(signum, frame):
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stopping.is_set():
            try:
                applied = apply_pending(app)
                if applied:
                    echo(f"Applied {applied} outbox rows.")
            except Exception:  # noqa: BLE001 - keep serving; the rows wait in the outbox
                log.exception("Search index: applying the outbox failed; retrying")
            stopping.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
