"""The practice page's members section, the Saved page and the directory pages' library
sections make as many queries with many marks, adaptations and questions as with few."""

import pytest

from tests.conftest import sign_in
from tests.discussions.factories import make_thread
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.accounts.models import Role
from wwc_community.discussions.models import Thread
from wwc_community.extensions import db
from wwc_community.library import engagement


def grow(practice, organisation, topic, how_many: int, start: int) -> None:
    """`how_many` more cities that mark the entry helpful, adapt it (half in place) and
    ask about it; and as many more entries of the organisation on the topic."""
    for number in range(start, start + how_many):
        city = make_city(f"Town {number}", "TX", 40_000 + number * 50_000)
        member = make_member(city=city)
        engagement.mark_helpful(db.session, member, practice)
        engagement.record_adaptation(
            db.session,
            member,
            practice,
            status="in_place" if number % 2 else "piloting",
            changes=f"Changes in town {number}.",
            outcome="It worked.",
        )
        engagement.save_practice(db.session, member, practice)
        db.session.commit()
        thread = make_thread(member, title=f"A question about it, number {number}")
        db.session.get(Thread, thread.id).practice_id = practice.id
        make_practice(organisation, title=f"Another entry number {number}", topics=[topic])
    db.session.commit()


@pytest.mark.parametrize("role", ["visitor", "member"])
def test_the_practice_page_queries_do_not_grow_with_engagement(client, role):
    organisation = make_organisation("Evidence Partners")
    topic = make_topic("Open Data")
    practice = make_practice(organisation, title="Open budget dashboards", topics=[topic])
    viewer = make_member(city=make_city("Springfield", "IL", 114_394))
    engagement.save_practice(db.session, viewer, practice)
    db.session.commit()
    if role == "member":
        sign_in(client, viewer.email)
    path = f"/library/{practice.slug}"
    grow(practice, organisation, topic, 2, start=0)
    few = queries_for(client, path)
    grow(practice, organisation, topic, 12, start=2)
    assert queries_for(client, path) == few


def test_the_saved_page_and_the_directory_sections_do_not_grow(client):
    organisation = make_organisation("Evidence Partners")
    topic = make_topic("Open Data")
    city = make_city("Springfield", "IL", 114_394)
    viewer = make_member(city=city)
    author = make_member(Role.PARTNER, organisation=organisation)
    sign_in(client, viewer.email)
    paths = [
        "/library/saved",
        f"/orgs/{organisation.slug}",
        f"/topics/{topic.slug}",
        f"/cities/{city.slug}",
        f"/people/{viewer.handle}",
        f"/people/{author.handle}",
    ]

    def add(how_many: int, start: int) -> None:
        for number in range(start, start + how_many):
            practice = make_practice(
                organisation, title=f"Entry number {number}", topics=[topic], author=author
            )
            engagement.save_practice(db.session, viewer, practice)
            engagement.record_adaptation(
                db.session, viewer, practice, status="planning", changes=f"Note {number}."
            )
        db.session.commit()

    add(1, 0)
    few = {path: queries_for(client, path) for path in paths}
    add(10, 1)
    assert {path: queries_for(client, path) for path in paths} == few
