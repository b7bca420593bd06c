"""On SQLite, which requests take the write lock when their transaction begins."""

import sqlite3

import pytest
from sqlalchemy import text

from wwc_community.core.database import writes_on_get
from wwc_community.extensions import db


def _write_lock_is_free(path: str) -> bool:
    """Whether another connection could start writing right now (without waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_a_get_reads_without_the_write_lock_unless_its_view_writes(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL takes row locks as it writes; there is no database lock")
    path = db.engine.url.database

    def probe():
        db.session.execute(text("SELECT 1"))
        return "free" if _write_lock_is_free(path) else "held"

    app.add_url_rule("/_probe/reads", "probe_reads", probe)
    app.add_url_rule("/_probe/writes", "probe_writes", writes_on_get(lambda: probe()))
    client = app.test_client()

    assert client.get("/_probe/reads").text == "free"
    assert client.get("/_probe/writes").text == "held"
