"""The library list and the feed make as many SQL queries with 60 entries as with 3,
whatever the filters, with topics, organisations, featured entries and adaptations."""

from itertools import cycle

from tests.conftest import sign_in
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.accounts.models import Role
from wwc_community.core.database import utcnow
from wwc_community.extensions import db
from wwc_community.library.models import Adaptation, Practice

PAGES = [
    "/library",
    "/library?page=2",
    "/library?topic=open-data&band=100k-250k&sort=adapted",
    "/library?organisation=open-procurement-lab&type=guide&evidence=strong&sort=helpful",
    "/library?topic=nothing-here&band=huge",
    "/library/feed.atom",
]


def add_entries(count: int, start: int, organisations, topics, cities, partners) -> None:
    """`count` published entries across organisations, each on two topics, adapted by
    up to three cities, every fifth featured."""
    places = cycle(range(len(organisations)))
    for number in range(start, start + count):
        which = next(places)
        practice = make_practice(
            organisations[which],
            author=partners[which],
            title=f"Bulk practice {number:03}",
            topics=[topics[number % 3], topics[(number + 1) % 3]],
            design="randomised_trial",
        )
        practice = db.session.get(Practice, practice.id)
        adapting = cities[: number % 4]
        db.session.add_all(Adaptation(practice_id=practice.id, city_id=c.id) for c in adapting)
        practice.adaptation_count = len(adapting)
        practice.helpful_count = number % 7
        if number % 5 == 0:
            practice.featured_at = utcnow()
    db.session.commit()


def test_the_list_and_feed_make_the_same_queries_for_3_and_60_entries(
    app, client, members, organisation, city, capsys
):
    other = make_organisation("Open Procurement Lab")
    organisations = [organisation, other]
    partners = [members["partner"], make_member(Role.PARTNER, organisation=other)]
    topics = [make_topic("Open Data"), make_topic("Procurement"), make_topic("Evaluations")]
    cities = [city, make_city("Tulsa", "OK", 411_867), make_city("Norman", "OK", 128_097)]
    partner = app.test_client()
    sign_in(partner, members["partner"].email)
    add_entries(3, 0, organisations, topics, cities, partners)
    with_3 = {path: queries_for(client, path) for path in PAGES}
    partner_3 = {path: queries_for(partner, path) for path in PAGES}
    add_entries(57, 3, organisations, topics, cities, partners)
    with_60 = {path: queries_for(client, path) for path in PAGES}
    partner_60 = {path: queries_for(partner, path) for path in PAGES}
    assert with_60 == with_3
    assert partner_60 == partner_3
    with capsys.disabled():
        print("\nSQL queries per library page, visitor and partner (3 entries -> 60 entries):")
        for path in PAGES:
            print(
                f"  {with_3[path]:2} -> {with_60[path]:2}   "
                f"{partner_3[path]:2} -> {partner_60[path]:2}  {path}"
            )
