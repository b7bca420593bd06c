"""Database setup: the declarative base, constraint names, and SQLite's connection rules."""

import sqlite3
from datetime import UTC, datetime

from flask import current_app, has_request_context, request
from sqlalchemy import DateTime, Engine, MetaData, event, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, registry
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic alter and drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 10_000
# SQLite's default page cache is 2 MB per connection: a list page that reads a few
# thousand thread rows misses it on most pages and copies each from the OS with a
# system call. Mapping the file shares one copy between every connection and process
# (pages stay in the OS cache); a bigger private cache keeps the hot indexes. Together
# they took a topic's thread count from 6.6 to 2.0 ms at 30,000 threads.
SQLITE_MMAP_BYTES = 1024 * 1024 * 1024  # the most it maps: the file's size, up to 1 GiB
SQLITE_CACHE_KIB = 32 * 1024
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware datetime.

    SQLite keeps no time zone, so without this a value read back would be naive
    and could not be compared with utcnow().
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use an aware UTC datetime")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Base class of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


@event.listens_for(Engine, "connect")
def _configure_sqlite_connection(dbapi_connection, connection_record):
    """Turn on foreign keys, WAL, a busy timeout and a memory-mapped file; let
    SQLAlchemy emit BEGIN itself."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling would swallow our BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def writes_on_get(view):
    """Mark a view that writes even when asked with GET (a link that marks something
    read), so that its transaction takes the write lock from the start."""
    view.writes_on_get = True
    return view


def _request_only_reads() -> bool:
    if request.method not in READ_ONLY_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "writes_on_get", False)


@event.listens_for(Engine, "begin")
def _begin_sqlite_transaction(connection):
    """Begin write transactions IMMEDIATE so that two writers queue instead of failing.

    A request with a read-only method begins a deferred transaction so readers never
    wait for the write lock; everything else (form posts, CLI commands, views marked
    `writes_on_get`) may write. A deferred transaction that has read cannot take the
    write lock later if another connection wrote meanwhile: SQLite refuses at once
    ("database is locked") instead of waiting.
    """
    if connection.dialect.name != "sqlite":
        return
    if has_request_context() and _request_only_reads():
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class sqlite_unindexed(FunctionElement):  # noqa: N801 - used like a SQL function
    """`column`, which SQLite's planner must not search through an index (SQLite's
    unary `+`); the column itself on PostgreSQL, whose statistics plan it well.

    SQLite has no statistics by default: given `answer_count = 0` and an ORDER BY, it
    may take an index on the first and sort thousands of rows, where walking the sort's
    index stops after a page. The rows are the same either way.
    """

    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(sqlite_unindexed)
def _compile_unindexed(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(sqlite_unindexed, "sqlite")
def _compile_unindexed_for_sqlite(element, compiler, **kw):
    return "+" + compiler.process(element.clauses, **kw)


def _escape_like(text: str) -> str:
    return text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_contains(column, text: str):
    """A case-insensitive "contains" filter; % and _ in `text` match only themselves."""
    return func.lower(column).like(f"%{_escape_like(text)}%", escape="\\")


def text_starts_with(column, text: str):
    """A case-insensitive "starts with" filter; % and _ in `text` match only themselves."""
    return func.lower(column).like(f"{_escape_like(text)}%", escape="\\")


def dialect_insert(dialect_name: str):
    """The INSERT construct with ON CONFLICT clauses for this database (SQLite or
    PostgreSQL; both spell them the same way)."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def insert_unless_present(session: Session, model, **values) -> bool:
    """Insert a row unless its unique key is already taken, even by a request that
    inserted it a moment ago (the database decides, not a prior read); True when the
    row went in."""
    insert = dialect_insert(session.get_bind().dialect.name)
    # RETURNING tells whether a row went in: SQLAlchemy reports no row count for this
    # statement through psycopg (-1), so `rowcount` cannot be trusted on PostgreSQL.
    key = next(iter(model.__table__.primary_key.columns))
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(statement).first() is not None
