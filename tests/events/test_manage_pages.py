"""Coordinators run events through the real routes: create a draft (times typed in the
event's zone), bad input shown on its field with nothing saved, edit (a higher capacity
promotes from the waitlist), publish, postpone and cancel (registrants told), and
duplicate."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import func, select

from tests.conftest import outbox, post_form
from tests.events.factories import make_event
from wwc_community.events import registration as seats
from wwc_community.events.models import Event, EventStatus, RegistrationStatus
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification


def html(response) -> str:
    return response.get_data(as_text=True)


def event_form(**changes) -> dict:
    """What a coordinator types into the event form: a 90-minute webinar in Chicago."""
    data = {
        "title": "Open data office hours",
        "event_type": "webinar",
        "description": "Bring your **questions**.",
        "time_zone": "America/Chicago",
        "starts_date": "2030-07-14",
        "starts_time": "10:00",
        "ends_date": "2030-07-14",
        "ends_time": "11:30",
        "is_online": "y",
        "join_url": "https://meet.example.org/office-hours",
        "capacity": "20",
        "waitlist_enabled": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event))


def notification_kinds(member) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.member_id == member.id))
    )


def register(event, *members):
    for member in members:
        seats.register(db.session, member, event, {})
    db.session.commit()


def test_a_coordinator_creates_a_draft_with_times_in_the_events_zone(client, sign_in_as):
    sign_in_as("coordinator")
    assert "Create an event" in html(client.get("/events"))
    assert client.get("/events/new").status_code == 200
    response = post_form(client, "/events/new", event_form())
    assert response.status_code == 303
    event = db.session.scalar(select(Event))
    assert response.headers["Location"].endswith(f"/events/{event.slug}")
    assert event.status == EventStatus.DRAFT
    assert event.time_zone == "America/Chicago"
    # 10:00 in Chicago in July (CDT, UTC-5) is 15:00 UTC.
    assert event.starts_at == datetime(2030, 7, 14, 15, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2030, 7, 14, 16, 30, tzinfo=UTC)
    page = html(client.get(f"/events/{event.slug}"))
    assert "Manage this event" in page and "Publish" in page


def test_a_capacity_that_is_not_a_number_is_shown_on_its_field_and_nothing_is_saved(
    client, sign_in_as
):
    sign_in_as("coordinator")
    response = post_form(client, "/events/new", event_form(capacity="twenty"))
    assert response.status_code == 400
    page = html(response)
    assert "Give the number of seats, from 0 to 10,000." in page
    assert 'id="capacity-error"' in page and 'id="error-summary"' in page
    assert event_count() == 0


def test_an_end_before_the_start_is_shown_on_the_end_and_nothing_is_saved(client, sign_in_as):
    sign_in_as("coordinator")
    response = post_form(client, "/events/new", event_form(ends_time="09:00"))
    assert response.status_code == 400
    page = html(response)
    assert "The event must end after it starts." in page
    assert 'id="ends_date-error"' in page
    assert event_count() == 0


def test_a_date_without_its_time_is_refused(client, sign_in_as):
    sign_in_as("coordinator")
    response = post_form(client, "/events/new", event_form(starts_time=""))
    assert response.status_code == 400
    assert "Give the time of the start as well." in html(response)
    assert event_count() == 0


def test_practitioners_cannot_create_events(client, sign_in_as):
    sign_in_as("practitioner")
    assert "Create an event" not in html(client.get("/events"))
    assert post_form(client, "/events/new", event_form()).status_code == 403
    assert event_count() == 0


def test_raising_the_capacity_promotes_the_waitlisted_member(client, sign_in_as, members):
    event = make_event(capacity=1, is_public=True, time_zone="America/Chicago")
    register(event, members["practitioner"], members["partner"])
    sign_in_as("coordinator")
    address = f"/events/{event.slug}/edit"
    form_page = html(client.get(address))
    assert f'value="{event.title}"' in form_page
    starts = event.starts_at.astimezone(ZoneInfo("America/Chicago"))
    ends = event.ends_at.astimezone(starts.tzinfo)
    assert f'value="{starts:%H:%M}"' in form_page
    response = post_form(
        client,
        address,
        event_form(
            title=event.title,
            starts_date=f"{starts:%Y-%m-%d}",
            starts_time=f"{starts:%H:%M}",
            ends_date=f"{ends:%Y-%m-%d}",
            ends_time=f"{ends:%H:%M}",
            capacity="2",
        ),
    )
    assert response.status_code == 303
    assert seats.registration_of(db.session, event, members["partner"]).status == (
        RegistrationStatus.CONFIRMED
    )
    assert "event_promoted" in notification_kinds(members["partner"])
    assert f"You have a seat: {event.title}" in [
        m["Subject"] for m in outbox(client.application) if m["To"] == members["partner"].email
    ]


def test_capacity_cannot_go_below_the_seats_taken(client, sign_in_as, members):
    event = make_event(capacity=2, is_public=True)
    register(event, members["practitioner"], members["partner"])
    sign_in_as("coordinator")
    response = post_form(client, f"/events/{event.slug}/edit", event_form(capacity="1"))
    assert response.status_code == 400
    assert "the capacity cannot go below that" in html(response)
    db.session.refresh(event)
    assert event.capacity == 2 and event.title != "Open data office hours"


def test_a_coordinator_publishes_a_draft(client, sign_in_as):
    event = make_event(status=EventStatus.DRAFT)
    sign_in_as("coordinator")
    assert post_form(client, f"/events/{event.slug}/publish").status_code == 303
    db.session.refresh(event)
    assert event.status == EventStatus.PUBLISHED


def test_postponing_tells_registrants_and_raises_the_calendar_sequence(
    app, client, sign_in_as, members
):
    event = make_event(is_public=True, time_zone="America/New_York")
    register(event, members["practitioner"])
    before = Calendar.from_ical(client.get(f"/events/{event.slug}.ics").data)
    [entry] = before.walk("VEVENT")
    sign_in_as("coordinator")
    address = f"/events/{event.slug}/postpone"
    assert client.get(address).status_code == 200
    response = post_form(
        client,
        address,
        {
            "starts_date": "2030-11-05",
            "starts_time": "13:00",
            "ends_date": "2030-11-05",
            "ends_time": "14:00",
        },
    )
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.starts_at == datetime(2030, 11, 5, 18, 0, tzinfo=UTC)  # EST, UTC-5
    [message] = [m for m in outbox(app) if m["To"] == members["practitioner"].email]
    assert message["Subject"] == f"New date: {event.title}"
    assert "November 5, 2030" in message.get_content()
    assert "event_changed" in notification_kinds(members["practitioner"])
    after = Calendar.from_ical(client.get(f"/events/{event.slug}.ics").data)
    [moved] = after.walk("VEVENT")
    assert moved.decoded("SEQUENCE") == entry.decoded("SEQUENCE") + 1


def test_postponing_to_an_end_before_the_start_changes_nothing(client, sign_in_as):
    event = make_event(is_public=True)
    starts_at = event.starts_at
    sign_in_as("coordinator")
    response = post_form(
        client,
        f"/events/{event.slug}/postpone",
        {
            "starts_date": "2030-11-05",
            "starts_time": "13:00",
            "ends_date": "2030-11-05",
            "ends_time": "12:00",
        },
    )
    assert response.status_code == 400
    assert "The event must end after it starts." in html(response)
    db.session.refresh(event)
    assert event.starts_at == starts_at and event.sequence == 0


def test_cancelling_needs_a_reason_and_tells_registrants(app, client, sign_in_as, members):
    event = make_event(capacity=1, is_public=True)
    register(event, members["practitioner"], members["partner"])
    sign_in_as("coordinator")
    address = f"/events/{event.slug}/cancel-event"
    assert client.get(address).status_code == 200
    response = post_form(client, address, {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the event is cancelled" in html(response)
    db.session.refresh(event)
    assert event.status == EventStatus.PUBLISHED

    response = post_form(client, address, {"reason": "The speaker is ill."})
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.status == EventStatus.CANCELLED
    told = {m["To"]: m for m in outbox(app) if m["Subject"] == f"Cancelled: {event.title}"}
    assert set(told) == {members["practitioner"].email, members["partner"].email}
    assert "The speaker is ill." in told[members["partner"].email].get_content()
    for role in ("practitioner", "partner"):
        assert "event_cancelled" in notification_kinds(members[role])
    assert "This event was cancelled." in html(client.get(f"/events/{event.slug}"))


def test_duplicating_makes_a_draft_copy_to_edit(client, sign_in_as, members):
    event = make_event(is_public=True, title="Evaluation clinic")
    register(event, members["practitioner"])
    sign_in_as("coordinator")
    response = post_form(client, f"/events/{event.slug}/duplicate")
    assert response.status_code == 303
    copy = db.session.scalar(select(Event).where(Event.id != event.id))
    assert response.headers["Location"].endswith(f"/events/{copy.slug}/edit")
    assert copy.status == EventStatus.DRAFT and copy.title == "Evaluation clinic (copy)"
    assert copy.seats_taken == 0
    assert client.get(f"/events/{copy.slug}/edit").status_code == 200
