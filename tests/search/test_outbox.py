"""Every change to something searchable leaves a search_outbox row in its own
transaction: committed with it, rolled back with it."""

import pytest
from sqlalchemy import select

from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_member, make_topic
from tests.library.factories import make_practice
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.discussions.moderation import hide_post
from wwc_community.discussions.services import accept_answer, post_comment, vote_for_post
from wwc_community.extensions import db
from wwc_community.library.engagement import mark_helpful
from wwc_community.search.models import SearchOutbox
from wwc_community.search.outbox import on_commit_with_changes


def rows() -> list[tuple[str, int]]:
    return [
        (row.kind, row.object_id)
        for row in db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id))
    ]


def clear() -> None:
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()


@pytest.fixture
def asker(app, city):
    return make_member(Role.PRACTITIONER, city=city, display_name="Asa Asker")


def test_a_new_question_writes_one_row_for_its_thread(asker):
    clear()
    thread = make_thread(asker, topics=[make_topic("Open Data")])
    assert rows() == [("thread", thread.id)]


def test_the_row_is_rolled_back_with_the_change(asker):
    thread = make_thread(asker)
    clear()
    thread.title = "A title that never lands"
    db.session.flush()
    assert rows() == [("thread", thread.id)]
    db.session.rollback()
    assert rows() == []


def test_answers_comments_votes_and_acceptance_reach_the_thread(asker, city):
    thread = make_thread(asker)
    helper = make_member(Role.PRACTITIONER, city=city)
    voter = make_member(Role.PRACTITIONER, city=city)
    clear()
    answer = make_answer(thread, helper)
    assert rows() == [("thread", thread.id)]
    clear()
    post_comment(db.session, asker, thread, answer, "Thanks, which vendor?")
    db.session.commit()
    assert rows() == [("thread", thread.id)]
    clear()
    vote_for_post(db.session, voter, answer)  # a bulk UPDATE of the counters
    db.session.commit()
    assert rows() == [("thread", thread.id)]
    clear()
    accept_answer(db.session, asker, thread, answer)
    db.session.commit()
    assert rows() == [("thread", thread.id)]


def test_hiding_an_answer_reaches_the_thread(asker, city, members):
    thread = make_thread(asker)
    answer = make_answer(thread, make_member(Role.PRACTITIONER, city=city))
    clear()
    hide_post(db.session, members["coordinator"], answer, "Off topic")
    db.session.commit()
    assert ("thread", thread.id) in rows()


def test_one_row_per_document_however_many_changes_in_a_transaction(asker):
    thread = make_thread(asker)
    clear()
    thread.title = "First new title"
    db.session.flush()
    thread.body = "And a new body"
    db.session.flush()
    db.session.commit()
    assert rows() == [("thread", thread.id)]


def test_practice_changes_and_helpful_marks_reach_the_practice(organisation, city):
    practice = make_practice(organisation)
    reader = make_member(Role.PRACTITIONER, city=city)
    clear()
    mark_helpful(db.session, reader, practice)  # a Core INSERT and a counter UPDATE
    db.session.commit()
    assert rows() == [("practice", practice.id)]


def test_a_draft_writes_its_row_too(organisation):
    clear()
    practice = make_practice(organisation, status="draft")
    assert ("practice", practice.id) in rows()


def test_member_profile_changes_write_a_row_but_signing_in_does_not(app, city):
    member = make_member(Role.PRACTITIONER, city=city)
    clear()
    from wwc_community.core.database import utcnow

    member.last_signed_in_at = utcnow()
    db.session.commit()
    assert rows() == []
    member.job_title = "Chief Data Officer"
    db.session.commit()
    assert rows() == [("member", member.id)]
    clear()
    member.status = MemberStatus.SUSPENDED
    db.session.commit()
    assert rows() == [("member", member.id)]


def test_expertise_changes_mark_the_member(app, city):
    member = make_member(Role.PRACTITIONER, city=city)
    topic = make_topic("Procurement")
    clear()
    db.session.refresh(member, ["expertise"])
    member.expertise.append(topic)
    db.session.commit()
    assert rows() == [("member", member.id)]


def test_changes_to_unsearchable_objects_write_nothing(app):
    clear()
    make_topic("Budgeting")
    assert rows() == []


def test_commits_with_rows_wake_the_indexer_and_others_do_not(asker):
    woken = []
    stop = on_commit_with_changes(lambda: woken.append(True))
    try:
        make_thread(asker)
        assert woken == [True]
        make_topic("Nothing searchable")
        assert woken == [True]
    finally:
        stop()
