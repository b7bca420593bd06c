"""`flask seed-demo --scale small`: a generated community beside the demo content, whose
counters agree with its rows, whose members can sign in, that search finds, and whose
busiest thread's page renders."""

from datetime import timedelta

from markupsafe import escape
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from tests.conftest import sign_in
from wwc_community.accounts.models import Member
from wwc_community.core.cli import DEMO_PASSWORD
from wwc_community.core.database import utcnow
from wwc_community.core.large_demo import SCALES
from wwc_community.discussions.models import Post, Thread, Vote
from wwc_community.discussions.services import thread_url
from wwc_community.events.models import Event, EventStatus, Registration, RegistrationStatus
from wwc_community.extensions import db
from wwc_community.library.models import Adaptation, HelpfulMark, Practice
from wwc_community.search.indexer import index_status

GENERATED = "%@bulk.demo.wwc.example"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _totals() -> dict[str, int]:
    answers = select(func.count(Post.id)).where(Post.parent_id.is_(None))
    comments = select(func.count(Post.id)).where(Post.parent_id.is_not(None))
    return {
        "members": db.session.scalar(select(func.count(Member.id))),
        "threads": _count(Thread),
        "answers": db.session.scalar(answers),
        "comments": db.session.scalar(comments),
        "practices": _count(Practice),
        "events": _count(Event),
        "registrations": _count(Registration),
    }


def test_small_scale_adds_a_community_that_adds_up_signs_in_and_is_found(app, runner, client):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    plain = runner.invoke(args=["seed-demo"])
    assert plain.exit_code == 0, plain.output
    assert "Generated community" not in plain.output
    before = _totals()

    result = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert result.exit_code == 0, result.output
    assert "Generated community (small)" in result.output
    assert "Seconds per stage" in result.output

    # What was asked for, beside the demo content; a second run adds nothing.
    small = SCALES["small"]
    after = _totals()
    again = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert again.exit_code == 0 and "nothing added" in again.output
    assert _totals() == after
    added = {name: after[name] - before[name] for name in after}
    assert added == {
        "members": small.members,
        "threads": small.threads,
        "answers": small.answers,
        "comments": small.comments,
        "practices": small.practices,
        "events": small.events,
        "registrations": small.registrations,
    }
    generated = db.session.scalars(select(Member).where(Member.email.like(GENERATED))).all()
    assert all(m.is_member and m.created_at < utcnow() - timedelta(days=30) for m in generated)
    assert len({m.city_id for m in generated if m.city_id}) >= small.members // 2
    # No generated member wrote or voted before joining.
    for model, who in ((Thread, Thread.author_id), (Post, Post.author_id), (Vote, Vote.member_id)):
        early = (
            select(func.count())
            .select_from(model)
            .join(Member, Member.id == who)
            .where(Member.email.like(GENERATED), model.created_at < Member.created_at)
        )
        assert db.session.scalar(early) == 0

    _check_discussion_counters()
    _check_library_counters()
    _check_seats_and_waitlists()

    # The index holds every thread, and nothing waits in the outbox. (The status opens a
    # session of its own: end this one's transaction, which holds SQLite's write lock.)
    db.session.commit()
    status = index_status(app)
    assert status["pending"] == 0
    assert status["documents"]["thread"] == after["threads"]

    # A generated member signs in, reads the busiest thread, and finds threads by search.
    assert sign_in(client, "member1@bulk.demo.wwc.example", DEMO_PASSWORD).status_code == 302
    busiest = db.session.scalars(select(Thread).order_by(Thread.answer_count.desc())).first()
    assert busiest.answer_count >= 100
    page = client.get(thread_url(busiest))
    assert page.status_code == 200
    assert str(escape(busiest.title)) in page.get_data(as_text=True)

    word = max(busiest.title.replace("?", " ").split(), key=len)
    found = client.get("/search", query_string={"q": word}).get_data(as_text=True)
    titles = db.session.scalars(
        select(Thread.title)
        .join(Member, Member.id == Thread.author_id)
        .where(Member.email.like(GENERATED))
    )
    assert any(str(escape(title)) in found for title in titles)


def _check_discussion_counters() -> None:
    answers = aliased(Post)
    answer_count = (
        select(func.count(answers.id))
        .where(answers.thread_id == Thread.id, answers.parent_id.is_(None))
        .scalar_subquery()
    )
    answer_votes = (
        select(func.coalesce(func.sum(answers.vote_count), 0))
        .where(answers.thread_id == Thread.id, answers.parent_id.is_(None))
        .scalar_subquery()
    )
    assert (
        db.session.scalar(
            select(func.count(Thread.id)).where(
                (Thread.answer_count != answer_count) | (Thread.vote_count != answer_votes)
            )
        )
        == 0
    )
    votes = select(func.count(Vote.id)).where(Vote.post_id == Post.id).scalar_subquery()
    assert db.session.scalar(select(func.count(Post.id)).where(Post.vote_count != votes)) == 0
    # Never a vote for one's own answer, nor for a comment.
    assert (
        db.session.scalar(
            select(func.count(Vote.id))
            .join(Post, Post.id == Vote.post_id)
            .where((Vote.member_id == Post.author_id) | Post.parent_id.is_not(None))
        )
        == 0
    )
    # An accepted post is an answer of its own thread; a comment sits under one.
    accepted = aliased(Post)
    assert (
        db.session.scalar(
            select(func.count(Thread.id))
            .join(accepted, accepted.id == Thread.accepted_post_id)
            .where((accepted.thread_id != Thread.id) | accepted.parent_id.is_not(None))
        )
        == 0
    )
    parent = aliased(Post)
    assert (
        db.session.scalar(
            select(func.count(Post.id))
            .join(parent, parent.id == Post.parent_id)
            .where((parent.thread_id != Post.thread_id) | parent.parent_id.is_not(None))
        )
        == 0
    )


def _check_library_counters() -> None:
    helpful = select(func.count()).where(HelpfulMark.practice_id == Practice.id).scalar_subquery()
    adapted = select(func.count()).where(Adaptation.practice_id == Practice.id).scalar_subquery()
    assert (
        db.session.scalar(
            select(func.count(Practice.id)).where(
                (Practice.helpful_count != helpful) | (Practice.adaptation_count != adapted)
            )
        )
        == 0
    )
    assert db.session.scalar(select(func.count(Adaptation.id))) > 0


def _check_seats_and_waitlists() -> None:
    """Seats taken are the confirmed registrations, never above the capacity; nobody
    waits while a seat is free; everyone confirmed came before everyone still waiting."""
    now = utcnow()
    waiting_events = 0
    for event in db.session.scalars(select(Event)):
        rows = db.session.scalars(
            select(Registration).where(Registration.event_id == event.id)
        ).all()
        confirmed = [r.queue_number for r in rows if r.status == RegistrationStatus.CONFIRMED]
        waiting = [r.queue_number for r in rows if r.status == RegistrationStatus.WAITLISTED]
        assert event.seats_taken == len(confirmed) <= event.capacity, event.slug
        assert len({r.queue_number for r in rows}) == len(rows) <= event.queue_counter
        if waiting:
            waiting_events += 1
            assert event.seats_taken == event.capacity, event.slug
            assert max(confirmed) < min(waiting), event.slug
    assert waiting_events > 0
    open_with_room = db.session.scalar(
        select(func.count(Event.id)).where(
            and_(
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > now,
                Event.registration_opens_at.is_(None),
                Event.capacity - Event.seats_taken >= 100,
            )
        )
    )
    assert open_with_room >= 1
