"""The Whoosh behaviours the indexer works around (SEARCH-NOTES.md), pinned by tests so
an upgrade that changes them is noticed."""

import ast
import threading
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import LockError

from tests.discussions.factories import make_thread
from tests.factories import make_member
from wwc_community.accounts.models import Role
from wwc_community.extensions import db
from wwc_community.search.engine import get_searcher
from wwc_community.search.indexer import apply_pending, current_index_dir

SEARCH_PACKAGE = Path(__file__).parents[2] / "wwc_community" / "search"


@pytest.fixture
def small_index(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), Schema(key=ID(unique=True, stored=True), t=TEXT))
    writer = ix.writer()
    for number in range(50):
        writer.add_document(key=str(number), t=f"words {number}")
    writer.commit()
    return ix


def test_trap_1_refresh_still_counts_replaced_documents(small_index):
    """whoosh-reloaded 2.7.5: a refreshed searcher counts the old and the new version of
    an updated document. If this fails, the bug is fixed upstream."""
    searcher = small_index.searcher()
    writer = small_index.writer()
    writer.update_document(key="3", t="replaced")
    writer.commit()
    refreshed = searcher.refresh()
    with small_index.searcher() as fresh:
        assert fresh.doc_count() == 50
        assert refreshed.doc_count() == 51
    refreshed.close()


def test_trap_1_get_searcher_reopens_instead_of_refreshing(app, indexed):
    asker = make_member(Role.PRACTITIONER)
    thread = make_thread(asker, title="Before the edit")
    indexed()
    first = get_searcher(app)
    assert get_searcher(app) is first  # cached while the index is unchanged
    thread.title = "After the edit"
    db.session.commit()
    indexed()
    second = get_searcher(app)
    assert second is not first and second.up_to_date()
    assert second.doc_count() == 2  # the thread and its asker, each once


def test_trap_4_a_second_writer_fails_at_once_without_a_timeout(small_index):
    holder = small_index.writer()
    try:
        with pytest.raises(LockError):
            small_index.writer()
    finally:
        holder.cancel()


def test_trap_4_apply_pending_waits_for_another_writer(app, indexed):
    asker = make_member(Role.PRACTITIONER)
    indexed()
    make_thread(asker, title="Waiting for the lock")
    db.session.commit()
    holder = whoosh_index.open_dir(str(current_index_dir(app))).writer()
    release = threading.Timer(0.3, holder.cancel)
    release.start()
    try:
        assert apply_pending(app) == 1
    finally:
        release.join()


def test_trap_4_no_asynchronous_or_buffered_writer_and_no_refresh():
    """AsyncWriter loses writes when the process exits, BufferedWriter on a crash, and
    refresh() returns replaced documents: the search package's code uses none of them."""
    forbidden = {"AsyncWriter", "BufferedWriter", "refresh"}
    used = set()
    for path in SEARCH_PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.Name):
                used.add(node.id)
            elif isinstance(node, ast.alias):
                used.add(node.name.rsplit(".", 1)[-1])
    assert used & forbidden == set()
