"""Events where members already look: the next three on the home page, upcoming ones
on a topic's page."""

from tests.events.factories import make_event
from tests.factories import make_topic


def test_the_home_page_shows_the_next_three_events(client):
    for number in range(4):
        make_event(title=f"Home event {number}", is_public=True)
    page = client.get("/").get_data(as_text=True)
    assert "Next events" in page
    assert [f"Home event {n}" in page for n in range(4)] == [True, True, True, False]


def test_a_topic_page_shows_its_upcoming_events(client):
    topic = make_topic("Open Data")
    make_event(title="Open data clinic", is_public=True, topics=[topic])
    make_event(title="Unrelated webinar", is_public=True)
    page = client.get(f"/topics/{topic.slug}").get_data(as_text=True)
    assert "Open data clinic" in page and "Unrelated webinar" not in page


def test_a_profile_lists_the_events_its_member_attended(client, members, sign_in_as):
    from wwc_community.core.database import utcnow
    from wwc_community.events import registration as seats
    from wwc_community.extensions import db

    attended = make_event(title="Data governance workshop", is_public=True)
    skipped = make_event(title="Dashboard office hours", is_public=True)
    member = members["practitioner"]
    for event in (attended, skipped):
        seats.register(db.session, member, event)
    db.session.commit()
    mine = seats.registration_of(db.session, attended, member)
    mine.attended_at = utcnow()
    db.session.commit()
    sign_in_as("partner")
    page = client.get(f"/people/{member.handle}").get_data(as_text=True)
    assert "Data governance workshop" in page and "Dashboard office hours" not in page
