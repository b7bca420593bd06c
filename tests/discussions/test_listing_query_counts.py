"""The list's newer filters (cities like mine, following, one city) make as many SQL
queries with 50 threads as with 5, closed duplicates and their originals included."""

import pytest
from sqlalchemy import select, update

from tests.directory.test_directory_query_counts import add_members_in_bulk
from tests.discussions import test_query_counts as bulk
from tests.factories import make_city, make_topic
from tests.query_counts import queries_for
from wwc_community.accounts.models import Member
from wwc_community.directory.models import Topic
from wwc_community.discussions.models import Thread, ThreadFollow, TopicFollow
from wwc_community.extensions import db

FILTERED_PAGES = [
    "/discussions?like_mine=1",
    "/discussions?following=1&sort=votes",
    "/discussions?city=tulsa-ok&state=unanswered",
    "/discussions?city=springfield-il&like_mine=1&following=1&topic=open-data&page=2",
]


@pytest.fixture
def authors(members, city, organisation):
    """Sixty members from Springfield, Tulsa and an organisation, with three topics."""
    places = [(city, None), (make_city("Tulsa", "OK", 411_867), None), (None, organisation)]
    topics = [make_topic("Open Data"), make_topic("Procurement"), make_topic("Evaluation")]
    add_members_in_bulk(60, 0, places, topics)
    # In the order they were added, so that the first five threads already come from
    # every place (an unordered list let PostgreSQL leave Tulsa without a thread).
    return db.session.scalars(
        select(Member).where(Member.handle.like("bulk-member-%")).order_by(Member.id)
    ).all()


def follow_and_close(member) -> None:
    """The viewer follows every other thread; every third is closed as a duplicate."""
    ids = db.session.scalars(select(Thread.id).order_by(Thread.id)).all()
    followed = set(
        db.session.scalars(
            select(ThreadFollow.thread_id).where(ThreadFollow.member_id == member.id)
        )
    )
    db.session.add_all(
        ThreadFollow(member_id=member.id, thread_id=i) for i in ids[::2] if i not in followed
    )
    db.session.execute(
        update(Thread).where(Thread.id.in_(ids[1::3])).values(duplicate_of_id=ids[0])
    )
    db.session.commit()


def test_the_filtered_list_makes_the_same_queries_for_5_and_50_threads(
    client, sign_in_as, members, authors, capsys
):
    viewer = members["practitioner"]
    bulk.add_threads(authors, 5, 0)
    open_data = db.session.scalar(select(Topic).where(Topic.slug == "open-data"))
    db.session.add(TopicFollow(member_id=viewer.id, topic_id=open_data.id))
    follow_and_close(viewer)
    sign_in_as("practitioner")
    with_5 = {path: queries_for(client, path) for path in FILTERED_PAGES}
    bulk.add_threads(authors, 45, 5)
    follow_and_close(viewer)
    with_50 = {path: queries_for(client, path) for path in FILTERED_PAGES}
    assert with_50 == with_5
    with capsys.disabled():
        print("\nSQL queries per filtered discussion list page (5 threads -> 50 threads):")
        for path in FILTERED_PAGES:
            print(f"  {with_5[path]:2} -> {with_50[path]:2}  {path}")
