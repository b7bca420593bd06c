"""The demo discussions `flask seed-demo` loads: about forty threads that read like real
questions between cities, with counters that agree with their rows, loaded once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from wwc_community.accounts.models import Member
from wwc_community.core.cli import DEMO_ACCOUNTS, DEMO_PASSWORD
from wwc_community.core.database import utcnow
from wwc_community.core.demo_people import demo_people
from wwc_community.directory.services import STARTING_TOPICS
from wwc_community.discussions.demo_threads import DEMO_THREADS
from wwc_community.discussions.models import (
    ModerationEntry,
    Post,
    Thread,
    ThreadFollow,
    Vote,
    thread_topic,
)
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification

PAT = "analyst@austin.example.gov"


def topic_names() -> set[str]:
    return {name for name, *_ in STARTING_TOPICS}


# The data, before any database ------------------------------------------------------------


def test_the_demo_data_names_demo_members_and_starting_topics():
    people = {person.display_name: person for person in demo_people()}
    accounts = {row[2]: row for row in DEMO_ACCOUNTS}
    titles = {demo.title for demo in DEMO_THREADS}
    assert 38 <= len(DEMO_THREADS) <= 45 and len(titles) == len(DEMO_THREADS)

    def place(name):
        if name in people:
            return people[name].city_slug or people[name].organisation_slug
        return accounts[name][4] or accounts[name][5] or "program staff"

    for demo in DEMO_THREADS:
        assert 10 <= len(demo.title) <= 200, demo.title
        assert 1 <= len(demo.topics) <= 3 and set(demo.topics) <= topic_names(), demo.title
        assert len(demo.answers) <= 6
        assert sum(answer.accepted for answer in demo.answers) <= 1
        assert 0 < demo.days_ago <= 120
        asked_from = place(demo.asker)
        for answer in demo.answers:
            # Peers answer from other cities and from partner organisations.
            assert answer.author != demo.asker and place(answer.author) != asked_from, (
                demo.title,
                answer.author,
            )
            for comment in answer.comments:
                place(comment.author)  # a demo member
        if demo.duplicate_of:
            assert demo.duplicate_of in titles and demo.duplicate_of != demo.title
    for topic in topic_names():
        assert sum(topic in demo.topics for demo in DEMO_THREADS) >= 4, topic


# Seeding ------------------------------------------------------------------------------------


@pytest.fixture
def seeded(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def count(model_or_column) -> int:
    return db.session.scalar(select(func.count()).select_from(model_or_column))


def test_seed_demo_loads_about_forty_threads_whose_counters_agree_and_only_once(seeded, runner):
    # Questions about library entries belong to the library demo (tests/library).
    discussion = Thread.practice_id.is_(None)
    threads = db.session.scalars(select(Thread).where(discussion).order_by(Thread.id)).all()
    assert f"Demo discussions: {len(threads)} threads added." in seeded.output
    assert len(threads) == len(DEMO_THREADS)
    posts = db.session.scalars(select(Post).join(Post.thread).where(discussion)).all()
    votes = db.session.scalars(
        select(Vote).join(Post, Post.id == Vote.post_id).join(Post.thread).where(discussion)
    ).all()
    by_id = {post.id: post for post in posts}

    for thread in threads:
        answers = [
            post
            for post in posts
            if post.thread_id == thread.id and post.parent_id is None and post.deleted_at is None
        ]
        assert thread.answer_count == len(answers), thread.title
        thread_votes = [vote for vote in votes if by_id[vote.post_id].thread_id == thread.id]
        assert thread.vote_count == len(thread_votes), thread.title
        if thread.accepted_post_id is not None:
            accepted = by_id[thread.accepted_post_id]
            assert accepted.thread_id == thread.id and accepted.parent_id is None
        followers = set(
            db.session.scalars(
                select(ThreadFollow.member_id).where(ThreadFollow.thread_id == thread.id)
            )
        )
        authors = {thread.author_id} | {p.author_id for p in posts if p.thread_id == thread.id}
        assert authors <= followers, thread.title
    for post in posts:
        assert post.vote_count == sum(vote.post_id == post.id for vote in votes)
        assert post.vote_count == 0 or post.parent_id is None  # comments take no votes
        assert post.author_id not in {v.member_id for v in votes if v.post_id == post.id}

    accepted_share = sum(t.accepted_post_id is not None for t in threads) / len(threads)
    assert 0.55 <= accepted_share <= 0.8
    assert sum(t.answer_count == 0 for t in threads) >= 3
    assert 1 <= sum(t.pinned for t in threads) <= 2
    comments = [post for post in posts if post.parent_id is not None]
    assert len(comments) >= 10
    assert all(by_id[c.parent_id].parent_id is None for c in comments)
    # @handles in answers link the members' profiles (and told them).
    assert sum('class="mention"' in post.body_html for post in posts) >= 4
    assert count(select(Notification).where(Notification.kind == "mention").subquery()) >= 4
    assert all(post.body_html.startswith("<") for post in posts)

    closed = [thread for thread in threads if thread.closed_at is not None]
    assert len(closed) == 1 and closed[0].duplicate_of_id is not None
    entry = db.session.scalar(
        select(ModerationEntry).where(ModerationEntry.action == "close_duplicate")
    )
    assert entry.thread_id == closed[0].id and entry.moderator_id is not None
    assert entry.created_at == closed[0].closed_at

    # Spread over the last four months, each thing after what it answers.
    now = utcnow()
    created = sorted(thread.created_at for thread in threads)
    assert now - created[0] > timedelta(days=100) and created[-1] < now
    assert now - created[-1] < timedelta(days=7)
    asked = {thread.id: thread.created_at for thread in threads}
    for thread in threads:
        assert asked[thread.id] <= thread.last_activity_at <= now
    for post in posts:
        assert asked[post.thread_id] < post.created_at <= now
        if post.parent_id is not None:
            assert by_id[post.parent_id].created_at < post.created_at
    activity = {
        thread.id: max([p.created_at for p in posts if p.thread_id == thread.id] or [None])
        for thread in threads
    }
    for thread in threads:
        assert thread.last_activity_at == (activity[thread.id] or thread.created_at)
    unread = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.read_at.is_(None), Notification.created_at < now - timedelta(days=8)
        )
    )
    assert unread == 0  # old demo activity is not news

    before = {model: count(model) for model in (Thread, Post, Vote, ThreadFollow, Notification)}
    before["topics"] = count(thread_topic)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "Demo discussions: 0 threads added." in again.output
    after = {model: count(model) for model in (Thread, Post, Vote, ThreadFollow, Notification)}
    after["topics"] = count(thread_topic)
    assert after == before


def test_every_demo_thread_renders_for_a_signed_in_member(seeded, client):
    assert sign_in(client, PAT, DEMO_PASSWORD).status_code == 302
    listing = client.get("/discussions")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    pinned = db.session.scalars(select(Thread).where(Thread.pinned)).all()
    assert pinned and all(thread.slug in page for thread in pinned)
    for thread in db.session.scalars(select(Thread)).all():
        response = client.get(f"/discussions/{thread.id}-{thread.slug}")
        assert response.status_code == 200, thread.title
    asker = db.session.scalar(select(Member).where(Member.email == PAT))
    assert db.session.scalar(select(func.count(Thread.id)).where(Thread.author_id == asker.id))
