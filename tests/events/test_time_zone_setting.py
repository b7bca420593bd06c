"""A member chooses the time zone event times are also shown in; the events calendar
address is on the same page."""

from tests.conftest import post_form
from tests.events.factories import make_event
from wwc_community.extensions import db


def test_a_chosen_time_zone_shows_event_times_in_it_too(client, members, sign_in_as):
    event = make_event(is_public=True, time_zone="America/Chicago")
    sign_in_as("practitioner")
    response = post_form(client, "/settings/account/time-zone", {"time_zone": "America/New_York"})
    assert response.status_code == 303
    db.session.refresh(members["practitioner"])
    assert members["practitioner"].time_zone == "America/New_York"
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "your time" in page


def test_an_unknown_time_zone_is_refused_and_nothing_changes(client, members, sign_in_as):
    sign_in_as("practitioner")
    response = post_form(client, "/settings/account/time-zone", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True) or "Choose" in (
        response.get_data(as_text=True)
    )
    db.session.refresh(members["practitioner"])
    assert members["practitioner"].time_zone == ""


def test_members_find_their_calendar_address_on_the_settings_page(client, sign_in_as):
    sign_in_as("practitioner")
    page = client.get("/settings/account").get_data(as_text=True)
    assert "/calendar/" in page and ".ics" in page
    assert "Make a new address" in page
