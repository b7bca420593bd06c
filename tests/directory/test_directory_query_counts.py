"""The member directory and the pages that list members make as many SQL queries with 500
members as with 10."""

from itertools import cycle

import pytest
from sqlalchemy import insert, select

from tests.factories import PASSWORD, make_city, make_organisation
from tests.query_counts import queries_for
from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.accounts.passwords import hash_password
from wwc_community.core.database import utcnow
from wwc_community.directory.models import member_expertise
from wwc_community.extensions import db

PAGES = [
    "/people",
    "/people?topic=open-data&band=100k-250k",
    "/people?like_mine=1&sort=newest&role=practitioner&state=IL",
    "/people?q=member&organisation=civic-evidence-lab",
    "/topics/open-data",
    "/orgs/civic-evidence-lab",
    "/cities/springfield-il",
]


def add_members_in_bulk(count: int, start: int, places, topics) -> None:
    """Add `count` approved members straight into the tables, each with two topics.

    One password hash for all of them: argon2 would take minutes for 500.
    """
    password_hash = hash_password(PASSWORD)
    now = utcnow()
    rows = []
    for number, (city, organisation) in zip(
        range(start, start + count), cycle(places), strict=False
    ):
        rows.append(
            {
                "email": f"bulk{number}@example.gov",
                "handle": f"bulk-member-{number}",
                "display_name": f"Bulk Member {number:04}",
                "job_title": "Analyst",
                "city_id": city.id if city else None,
                "organisation_id": organisation.id if organisation else None,
                "role": Role.PARTNER if organisation else Role.PRACTITIONER,
                "status": MemberStatus.ACTIVE,
                "password_hash": password_hash,
                "email_verified_at": now,
                "created_at": now,
            }
        )
    db.session.execute(insert(Member), rows)
    ids = db.session.scalars(
        select(Member.id).where(Member.handle.in_([row["handle"] for row in rows]))
    ).all()
    topic_pairs = list(zip(topics, topics[1:] + topics[:1], strict=True))
    db.session.execute(
        insert(member_expertise),
        [
            {"member_id": member_id, "topic_id": topic.id}
            for member_id, pair in zip(ids, cycle(topic_pairs), strict=False)
            for topic in pair
        ],
    )
    db.session.commit()


@pytest.fixture
def places(members, city, organisation):
    """Where the bulk members work: cities of three bands and two organisations."""
    return [
        (city, None),
        (make_city("Tulsa", "OK", 411_867), None),
        (make_city("Burlington", "VT", 44_743), None),
        (make_city("Peoria", "IL", 110_417), None),
        (None, organisation),
        (None, make_organisation("Open Procurement Lab")),
    ]


def test_member_pages_make_the_same_queries_for_10_and_500_members(
    client, sign_in_as, places, topics, capsys
):
    topic_list = list(topics.values())
    add_members_in_bulk(10, 0, places, topic_list)
    sign_in_as("practitioner")
    with_10 = {path: queries_for(client, path) for path in PAGES}

    add_members_in_bulk(490, 10, places, topic_list)
    with_500 = {path: queries_for(client, path) for path in PAGES}

    assert with_500 == with_10
    with capsys.disabled():
        print("\nSQL queries per page (10 members -> 500 members):")
        for path in PAGES:
            print(f"  {with_10[path]:2} -> {with_500[path]:2}  {path}")


def test_a_profile_makes_the_same_queries_however_much_expertise(
    client, sign_in_as, members, topics
):
    sign_in_as("partner")
    handle = members["practitioner"].handle
    bare = queries_for(client, f"/people/{handle}")
    db.session.execute(
        insert(member_expertise),
        [{"member_id": members["practitioner"].id, "topic_id": t.id} for t in topics.values()],
    )
    db.session.commit()
    assert queries_for(client, f"/people/{handle}") == bare
