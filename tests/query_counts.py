"""Counting the SQL queries a page makes, for the tests that keep them flat."""

from contextlib import contextmanager

from sqlalchemy import event

from wwc_community.extensions import db


@contextmanager
def counted_queries():
    """Collect every SQL statement the app's engine runs inside the block."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def queries_for(client, path: str) -> int:
    """How many queries a successful GET of `path` makes."""
    with counted_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)
