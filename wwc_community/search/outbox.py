"""Write a search_outbox row for every change to a searchable document, inside the
transaction that makes the change.

Two session hooks do it. `after_flush` looks at what the flush wrote (new, changed and
deleted objects) and maps each object to the documents it feeds: a post feeds its
thread, an attachment its practice. `do_orm_execute` catches the bulk UPDATE statements
the services use for counters (`update(Thread).where(Thread.id == ...)`), which never
pass through a flush: a vote or a helpful mark changes a document's popularity that way.
Rows are deduplicated per transaction and inserted with one Core statement, so a flush
that touches nothing searchable costs a few attribute checks and no SQL.

Not covered, by design (a `flask search rebuild` puts them right): renaming a topic, a
city's population band moving, an organisation's slug changing. Each touches many
documents and happens a few times a year, if ever.
"""

import threading
from collections.abc import Callable, Iterable

from sqlalchemy import Column, event, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from wwc_community.core.database import utcnow
from wwc_community.search.models import SearchOutbox

# session.info keys: documents already written in this transaction, and whether any were.
_WRITTEN = "search_outbox_written"

# A member's document shows these; signing in or rotating the session token changes
# the member row too and must not reindex anyone.
MEMBER_FIELDS = (
    "display_name",
    "job_title",
    "department",
    "bio",
    "status",
    "city_id",
    "city",
    "organisation_id",
    "organisation",
    "expertise",
)

# Tables whose bulk UPDATEs by id change a document (the counters: votes, answers,
# helpful marks, adaptations), and the kind of document each row is.
BULK_UPDATED_TABLES = {"thread": "thread", "practice": "practice"}

_wake_callbacks: list[Callable[[], None]] = []
_wake_lock = threading.Lock()


def _value(obj, name: str):
    """An attribute as loaded, without ever emitting SQL (the object may be deleted)."""
    state = inspect(obj)
    if name in state.dict:
        return state.dict[name]
    return state.committed_state.get(name)


def _member_changed(member) -> bool:
    attrs = inspect(member).attrs
    return any(attrs[name].history.has_changes() for name in MEMBER_FIELDS)


def documents_of(obj, is_new_or_deleted: bool) -> list[tuple[str, int]]:
    """The (kind, id) of every document a changed object feeds; empty for the rest."""
    from wwc_community.accounts.models import Member
    from wwc_community.discussions.models import Post, Thread
    from wwc_community.events.models import Event
    from wwc_community.library.models import Adaptation, Attachment, HelpfulMark, Practice

    if isinstance(obj, Thread):
        key = ("thread", _value(obj, "id"))
    elif isinstance(obj, Post):
        key = ("thread", _value(obj, "thread_id"))
    elif isinstance(obj, Practice):
        key = ("practice", _value(obj, "id"))
    elif isinstance(obj, Attachment | Adaptation | HelpfulMark):
        key = ("practice", _value(obj, "practice_id"))
    elif isinstance(obj, Event):
        key = ("event", _value(obj, "id"))
    elif isinstance(obj, Member):
        if not is_new_or_deleted and not _member_changed(obj):
            return []
        key = ("member", _value(obj, "id"))
    else:
        return []
    return [key] if key[1] is not None else []


def record(session: Session, keys: Iterable[tuple[str, int]]) -> None:
    """Add outbox rows for documents not yet recorded in this transaction."""
    written = session.info.setdefault(_WRITTEN, set())
    fresh = {key for key in keys if key not in written}
    if not fresh:
        return
    written.update(fresh)
    now = utcnow()
    session.connection().execute(
        insert(SearchOutbox.__table__),
        [{"kind": kind, "object_id": object_id, "created_at": now} for kind, object_id in fresh],
    )


def _after_flush(session: Session, flush_context) -> None:
    keys = []
    for obj in session.new:
        keys.extend(documents_of(obj, True))
    for obj in session.deleted:
        keys.extend(documents_of(obj, True))
    for obj in session.dirty:
        keys.extend(documents_of(obj, False))
    if keys:
        record(session, keys)


def _ids_updated(statement) -> list[int]:
    """The ids named by `table.id == value` in an UPDATE's WHERE clause."""
    table = statement.table
    ids = []
    if statement.whereclause is None:
        return ids
    for clause in visitors.iterate(statement.whereclause):
        if (
            isinstance(clause, BinaryExpression)
            and clause.operator is operators.eq
            and isinstance(clause.left, Column)
            and clause.left.name == "id"
            and clause.left.table.name == table.name
            and isinstance(clause.right, BindParameter)
        ):
            value = clause.right.effective_value
            if isinstance(value, int):
                ids.append(value)
    return ids


def _on_execute(orm_execute_state) -> None:
    if not orm_execute_state.is_update:
        return
    statement = orm_execute_state.statement
    kind = BULK_UPDATED_TABLES.get(getattr(statement.table, "name", None))
    if kind is None:
        return
    # An UPDATE by anything but the id (e.g. re-pointing duplicates) changes nothing
    # a document holds.
    ids = _ids_updated(statement)
    if ids:
        record(orm_execute_state.session, [(kind, object_id) for object_id in ids])


def _after_commit(session: Session) -> None:
    written = session.info.pop(_WRITTEN, None)
    if written:
        with _wake_lock:
            callbacks = list(_wake_callbacks)
        for callback in callbacks:
            callback()


def _after_transaction_end(session: Session, transaction) -> None:
    # Each flush runs in a subtransaction of its own: only the outermost one ends the
    # rows' transaction.
    if transaction.parent is None:
        session.info.pop(_WRITTEN, None)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    # After any rollback (a savepoint's too) forget what was written: at worst a row is
    # written twice, which the indexer applies as one upsert.
    session.info.pop(_WRITTEN, None)


def on_commit_with_changes(callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback` after every commit that wrote outbox rows (the background indexer
    wakes this way); return a function that stops it."""
    with _wake_lock:
        _wake_callbacks.append(callback)

    def stop() -> None:
        with _wake_lock:
            if callback in _wake_callbacks:
                _wake_callbacks.remove(callback)

    return stop


def register_outbox_listeners() -> None:
    """Listen on every Session, once per process."""
    hooks = (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_execute),
        ("after_commit", _after_commit),
        ("after_transaction_end", _after_transaction_end),
        ("after_soft_rollback", _after_soft_rollback),
    )
    for name, hook in hooks:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
