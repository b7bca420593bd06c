"""The discussion list and a thread make as many SQL queries with many rows as with few."""

from itertools import cycle

import pytest
from sqlalchemy import insert, select

from tests.directory.test_directory_query_counts import add_members_in_bulk
from tests.discussions.factories import make_thread
from tests.factories import make_city, make_topic
from tests.query_counts import queries_for
from wwc_community.accounts.models import Member
from wwc_community.core.database import utcnow
from wwc_community.discussions.models import Post, Thread, Vote, thread_topic
from wwc_community.discussions.services import thread_slug
from wwc_community.extensions import db


@pytest.fixture
def authors(members, city, organisation):
    """Sixty members from several cities and an organisation, to ask and answer."""
    places = [(city, None), (make_city("Tulsa", "OK", 411_867), None), (None, organisation)]
    topics = [make_topic("Open Data"), make_topic("Procurement"), make_topic("Evaluation")]
    add_members_in_bulk(60, 0, places, topics)
    # In the order they were added, so that any five of them cycle through the places:
    # unordered, PostgreSQL could hand out five without a city, and the list of their
    # threads would skip the query for cities that the list of fifty makes.
    return db.session.scalars(
        select(Member).where(Member.handle.like("bulk-member-%")).order_by(Member.id)
    ).all()


def add_answers(thread: Thread, authors, count: int, voter: Member) -> None:
    """`count` answers straight into the table, each by another author, each with a vote."""
    before = set(db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)))
    now = utcnow()
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": thread.id,
                "author_id": author.id,
                "body": f"Answer {number}",
                "body_html": f"<p>Answer {number}</p>",
                "created_at": now,
                "vote_count": 1,
            }
            for number, author in zip(range(count), cycle(authors), strict=False)
        ],
    )
    posts = db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)).all()
    db.session.execute(
        insert(Vote),
        [{"post_id": post_id, "member_id": voter.id} for post_id in posts if post_id not in before],
    )
    db.session.commit()


def add_threads(authors, count: int, start: int) -> None:
    """`count` threads straight into the tables, with two topics and a city each."""
    topics = _topics()
    now = utcnow()
    rows = []
    for number, author in zip(range(start, start + count), cycle(authors), strict=False):
        title = f"Bulk question number {number:04} about open data"
        rows.append(
            {
                "title": title,
                "slug": thread_slug(title),
                "body": "Details",
                "body_html": "<p>Details</p>",
                "author_id": author.id,
                "city_id": author.city_id,
                "created_at": now,
                "last_activity_at": now,
                "answer_count": 0,
                "vote_count": number % 7,
                "pinned": number % 10 == 0,
            }
        )
    db.session.execute(insert(Thread), rows)
    ids = db.session.scalars(
        select(Thread.id).where(Thread.title.in_([row["title"] for row in rows]))
    ).all()
    db.session.execute(
        insert(thread_topic),
        [
            {"thread_id": thread_id, "topic_id": topic.id}
            for thread_id, pair in zip(ids, cycle([topics[:2], topics[1:]]), strict=False)
            for topic in pair
        ],
    )
    db.session.commit()


def _topics():
    from wwc_community.directory.models import Topic

    return db.session.scalars(select(Topic).order_by(Topic.id)).all()


LIST_PAGES = [
    "/discussions",
    "/discussions?sort=votes&state=unanswered",
    "/discussions?topic=open-data&my_city=1&sort=newest",
    "/discussions?page=2",
]


def test_the_list_makes_the_same_queries_for_5_and_50_threads(client, sign_in_as, authors, capsys):
    add_threads(authors, 5, 0)
    sign_in_as("practitioner")
    with_5 = {path: queries_for(client, path) for path in LIST_PAGES}
    add_threads(authors, 45, 5)
    with_50 = {path: queries_for(client, path) for path in LIST_PAGES}
    assert with_50 == with_5
    with capsys.disabled():
        print("\nSQL queries per discussion list page (5 threads -> 50 threads):")
        for path in LIST_PAGES:
            print(f"  {with_5[path]:2} -> {with_50[path]:2}  {path}")


def add_comments(thread: Thread, authors, per_answer: int) -> None:
    """`per_answer` comments under each of the thread's answers, straight into the table."""
    answers = db.session.scalars(
        select(Post.id).where(Post.thread_id == thread.id, Post.parent_id.is_(None))
    ).all()
    already = set(db.session.scalars(select(Post.parent_id).where(Post.parent_id.is_not(None))))
    now = utcnow()
    rows = [
        {
            "thread_id": thread.id,
            "parent_id": answer_id,
            "author_id": author.id,
            "body": f"Comment {number}",
            "body_html": f"<p>Comment {number}</p>",
            "created_at": now,
            "vote_count": 0,
        }
        for answer_id in answers
        if answer_id not in already
        for number, author in zip(range(per_answer), cycle(authors), strict=False)
    ]
    if rows:
        db.session.execute(insert(Post), rows)
    db.session.commit()


def test_a_thread_makes_the_same_queries_for_5_50_and_300_answers(
    client, sign_in_as, members, authors, capsys
):
    thread = make_thread(members["coordinator"], title="How do you evaluate a pilot?")
    path = f"/discussions/{thread.id}-{thread.slug}"
    sign_in_as("practitioner")
    viewer = members["practitioner"]
    add_answers(thread, authors, 5, viewer)
    add_comments(thread, authors, 2)
    # A first visit reads no "first unread" post (there is no earlier visit): count later ones.
    queries_for(client, path)
    with_5 = queries_for(client, path)
    add_answers(thread, authors, 45, viewer)
    add_comments(thread, authors, 2)
    with_50 = queries_for(client, path)
    add_answers(thread, authors, 250, viewer)
    add_comments(thread, authors, 3)
    with_300 = queries_for(client, path)
    last_page = queries_for(client, f"{path}?page=10")
    assert with_5 == with_50 == with_300 == last_page
    with capsys.disabled():
        print(
            f"\nSQL queries for a thread with comments (5 -> 50 -> 300 answers, last page): "
            f"{with_5} -> {with_50} -> {with_300} -> {last_page}"
        )
