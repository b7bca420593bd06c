"""The indexer keeps the index consistent with the database: nothing lost when it dies
midway, nothing applied twice, rebuilds swapped in under readers' feet."""

import logging
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from whoosh import index as whoosh_index
from whoosh.query import Every, Term

from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_member
from tests.library.factories import make_practice
from wwc_community.accounts.models import Member, Role
from wwc_community.core.database import utcnow
from wwc_community.extensions import db
from wwc_community.search.engine import close_searchers, get_searcher
from wwc_community.search.indexer import (
    MARK,
    BackgroundIndexer,
    IndexMissing,
    apply_pending,
    current_index_dir,
    index_root,
    read_mark,
    rebuild,
)
from wwc_community.search.models import SearchOutbox


def doc_ids(app) -> list[str]:
    """Every document's key, duplicates included."""
    return sorted(hit["doc_id"] for hit in get_searcher(app).search(Every(), limit=None))


def fresh_doc_ids(index_dir: Path) -> list[str]:
    with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
        return sorted(hit["doc_id"] for hit in searcher.search(Every(), limit=None))


def body_hits(app, word: str) -> set[str]:
    return {hit["doc_id"] for hit in get_searcher(app).search(Term("body", word), limit=None)}


@pytest.fixture
def content(app, city, organisation):
    """A little of every kind."""
    asker = make_member(Role.PRACTITIONER, city=city, display_name="Asa Asker")
    thread = make_thread(asker, body="Our pothole backlog keeps growing.")
    make_answer(thread, make_member(Role.PRACTITIONER, city=city), "Triage by traffic.")
    practice = make_practice(organisation, summary="Pothole triage that worked.")
    return {"asker": asker, "thread": thread, "practice": practice}


def test_no_index_is_built_until_someone_asks(app, content):
    assert current_index_dir(app) is None
    with pytest.raises(IndexMissing):
        get_searcher(app)


def test_the_first_sync_builds_the_index_in_the_instance_folder(app, content, indexed):
    indexed()
    index_dir = current_index_dir(app)
    assert index_dir.parent == Path(app.instance_path) / "search-index"
    assert doc_ids(app).count(f"thread:{content['thread'].id}") == 1
    assert f"practice:{content['practice'].id}" in doc_ids(app)
    last = db.session.scalar(select(func.max(SearchOutbox.id)))
    assert read_mark(index_dir).last_applied_id == last


def test_a_change_committed_while_the_indexer_was_down_is_applied_by_the_next_sync(
    app, content, indexed
):
    indexed()
    make_answer(content["thread"], content["asker"], "Crowdsourced reports via 311.")
    # The process dies here, before any indexing: the row waits in the outbox.
    assert body_hits(app, "crowdsourc") == set()
    assert indexed() == 1
    assert body_hits(app, "crowdsourc") == {f"thread:{content['thread'].id}"}


def test_a_crash_before_the_mark_is_written_applies_again_harmlessly(app, content, indexed):
    indexed()
    make_answer(content["thread"], content["asker"], "Sensors on buses find them.")
    indexed()
    before = doc_ids(app)
    # The Whoosh commit happened but the mark never reached the disk.
    (current_index_dir(app) / MARK).unlink()
    assert indexed() > 0  # every row in the outbox, again
    assert doc_ids(app) == before
    assert len(before) == len(set(before))
    assert body_hits(app, "sensor") == {f"thread:{content['thread'].id}"}


def test_rows_are_applied_in_batches_with_one_mark_per_batch(app, content, indexed):
    indexed()
    for number in range(5):
        make_thread(content["asker"], title=f"Batch question {number}")
    db.session.commit()
    assert apply_pending(app, batch_size=2) == 5
    assert len([key for key in doc_ids(app) if key.startswith("thread:")]) == 6


def test_batches_add_segments_that_are_merged_past_the_limit(app, content, indexed):
    """Each batch commits without merging (searchable at once); once there are more
    segments than SEARCH_MAX_SEGMENTS, the indexer merges the small ones (Whoosh's
    MERGE_SMALL policy may leave one more than the limit for a batch)."""
    app.config["SEARCH_MAX_SEGMENTS"] = 3
    indexed()
    index_dir = current_index_dir(app)

    def segments() -> int:
        return len(whoosh_index.open_dir(str(index_dir))._segments())

    counts = []
    for number in range(6):
        make_thread(content["asker"], title=f"Segment question {number}")
        db.session.commit()
        apply_pending(app)
        counts.append(segments())
    assert max(counts) <= 4
    assert counts != sorted(counts), "segments were merged along the way"
    assert len([key for key in doc_ids(app) if key.startswith("thread:")]) == 7


def test_a_rebuild_finds_the_same_documents_as_incremental_updates(
    app, content, organisation, indexed
):
    indexed()
    content["asker"].job_title = "Street Analyst"
    make_practice(organisation, status="draft")
    indexed()
    incremental = doc_ids(app)
    rebuilt = rebuild(app)
    assert fresh_doc_ids(rebuilt) == incremental


def test_readers_keep_the_old_index_during_a_rebuild_and_see_the_new_one_after(
    app, content, indexed
):
    indexed()
    old_dir = current_index_dir(app)
    old_searcher = get_searcher(app)
    content["thread"].title = "Potholes and the rebuilt index"
    db.session.commit()
    new_dir = rebuild(app)
    assert current_index_dir(app) == new_dir != old_dir
    assert old_dir.is_dir()  # removed only after a grace period
    # The open searcher still answers from the old directory...
    assert old_searcher.search(Term("title", "rebuilt")).scored_length() == 0
    assert old_searcher.document(doc_id=f"thread:{content['thread'].id}") is not None
    # ...and the next one opens the new directory.
    assert get_searcher(app) is not old_searcher
    assert get_searcher(app).search(Term("title", "rebuilt")).scored_length() == 1


def test_replaced_indexes_are_removed_after_the_grace_period(app_with):
    app = app_with(SEARCH_OLD_INDEX_GRACE_SECONDS=0)
    make_member(Role.PRACTITIONER)
    first = rebuild(app)
    second = rebuild(app)
    time.sleep(0.01)
    apply_pending(app)
    assert not first.exists() and second.is_dir()
    assert sorted(path.name for path in index_root(app).iterdir()) == ["CURRENT", second.name]
    close_searchers(app)


def test_rows_written_during_a_rebuild_are_applied_afterwards(app, content, indexed):
    indexed()
    asker_id = content["asker"].id
    db.session.commit()

    def another_process_asks(count):
        with app.app_context():
            make_thread(db.session.get(Member, asker_id), title="Written midway")

    rebuild(app, progress=another_process_asks)
    assert indexed() >= 1
    titles = get_searcher(app).search(Term("title", "written"), limit=None)
    assert titles.scored_length() == 3  # one per chunk of every kind


def test_old_applied_rows_are_pruned(app, content, indexed):
    indexed()
    old = SearchOutbox(kind="thread", object_id=content["thread"].id)
    old.created_at = utcnow() - timedelta(days=2)
    db.session.add(old)
    db.session.commit()
    old_id = old.id
    from wwc_community.search import indexer

    indexer._last_prune.clear()
    indexed()
    assert db.session.get(SearchOutbox, old_id) is None
    assert db.session.scalar(select(func.count(SearchOutbox.id))) > 0  # recent rows stay


def test_a_row_of_a_kind_without_documents_is_skipped_and_logged(app, content, indexed, caplog):
    indexed()
    db.session.add(SearchOutbox(kind="webinar-series", object_id=7))
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="wwc_community.search.indexer"):
        assert indexed() == 1
    assert "no documents of kind 'webinar-series'" in caplog.text
    assert all(not key.startswith("event:") for key in doc_ids(app))


def test_the_background_indexer_applies_a_commit_within_a_second(app, content, indexed):
    indexed()
    background = BackgroundIndexer(app).start()
    try:
        make_answer(content["thread"], content["asker"], "Volunteers photograph them.")
        deadline = time.monotonic() + 1.0
        while not body_hits(app, "volunt") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert body_hits(app, "volunt") == {f"thread:{content['thread'].id}"}
    finally:
        background.stop()


def test_the_background_indexer_is_off_in_tests_and_on_in_development():
    from config import DevelopmentConfig, ProductionConfig, TestingConfig

    assert TestingConfig.SEARCH_BACKGROUND_INDEXER is False
    assert ProductionConfig.SEARCH_BACKGROUND_INDEXER is False
    assert DevelopmentConfig.SEARCH_BACKGROUND_INDEXER is True


def test_healthz_reports_pending_rows_and_lag(app, client, content, indexed):
    body = client.get("/healthz").get_json()
    assert body["index"]["status"] == "absent" and body["index"]["pending"] > 0
    indexed()
    make_answer(content["thread"], content["asker"], "One more.")
    index = client.get("/healthz").get_json()["index"]
    assert index["status"] == "ok"
    assert index["pending"] == 1 and index["lag_seconds"] >= 0
    assert index["documents"]["thread"] == 1
    assert index["last_applied_id"] > 0
