"""Calendar files and personal feeds, read back with the icalendar parser: what a
calendar application would show."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.conftest import post_form, sign_in
from tests.events.factories import make_event
from tests.factories import make_member
from wwc_community.accounts.models import MemberStatus
from wwc_community.core.database import utcnow
from wwc_community.events import calendar
from wwc_community.events import registration as seats
from wwc_community.events.models import EventStatus, RegistrationStatus
from wwc_community.extensions import db

NEW_YORK = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
JOIN_URL = "https://meet.example.org/j/123456"

pytestmark = pytest.mark.usefixtures("app")


def register(member, event):
    registration = seats.register(db.session, member, event).registration
    db.session.commit()
    return registration


def download(client, event):
    response = client.get(f"/events/{event.slug}.ics")
    assert response.status_code == 200, response.status_code
    return response


def parse(response) -> icalendar.Calendar:
    assert response.content_type == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.get_data(as_text=True))


def the_event(response):
    [vevent] = parse(response).walk("VEVENT")
    return vevent


def feed_path(app, member) -> str:
    return f"/calendar/{calendar.feed_token(member, app.config['SECRET_KEY'])}.ics"


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    return text[:-2].split("\r\n")


# The event's file ----------------------------------------------------------------------


def test_event_file_is_a_valid_calendar_of_one_event(client):
    event = make_event(is_public=True, title="Open data office hours")
    response = download(client, event)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    cal = parse(response)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert "WWC Community" in str(cal["PRODID"])
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["UID"]) == f"{event.uid}@wwc-community"
    assert vevent.decoded("DTSTAMP") == event.updated_at.replace(microsecond=0)
    assert str(vevent["SUMMARY"]) == "Open data office hours"
    assert str(vevent["LOCATION"]) == "Online"
    assert str(vevent["URL"]).endswith(f"/events/{event.slug}")
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("SEQUENCE") == 0


def test_uid_stays_and_sequence_rises_when_the_event_changes(client):
    event = make_event(is_public=True, title="Budgeting for results")
    first = the_event(download(client, event))
    event.title = "Budgeting for results, part one"
    event.sequence += 1
    event.updated_at += timedelta(minutes=5)
    db.session.commit()
    second = the_event(download(client, event))
    assert second["UID"] == first["UID"]
    assert second.decoded("SEQUENCE") == first.decoded("SEQUENCE") + 1 == 1
    assert str(second["SUMMARY"]) == "Budgeting for results, part one"
    assert second.decoded("DTSTAMP") > first.decoded("DTSTAMP")


def test_start_and_end_are_in_the_event_time_zone(client):
    starts_at = datetime(2031, 3, 4, 16, 0, tzinfo=UTC)
    event = make_event(is_public=True, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    response = download(client, event)
    text = response.get_data(as_text=True)
    assert "DTSTART;TZID=America/Chicago:20310304T100000\r\n" in text
    vevent = the_event(response)
    assert vevent.decoded("DTSTART") == starts_at.astimezone(CHICAGO)
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(hours=-6)
    assert vevent.decoded("DTEND") == (starts_at + timedelta(hours=2)).astimezone(CHICAGO)


def test_an_event_made_in_winter_for_a_summer_date_keeps_its_wall_time(client):
    """Created in January (standard time) for 9:00 on a July day (daylight time) in New
    York: the calendar shows 9:00 EDT, and the file's own VTIMEZONE agrees."""
    year = utcnow().year + 1
    starts_at = datetime(year, 7, 15, 9, 0, tzinfo=NEW_YORK).astimezone(UTC)
    january = datetime(year, 1, 10, 15, 0, tzinfo=UTC)
    event = make_event(
        is_public=True,
        time_zone="America/New_York",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        created_at=january,
        updated_at=january,
    )
    response = download(client, event)
    assert f"DTSTART;TZID=America/New_York:{year}0715T090000" in response.get_data(as_text=True)
    cal = parse(response)
    [vevent] = cal.walk("VEVENT")
    start = vevent.decoded("DTSTART")
    assert (start.hour, start.minute) == (9, 0)
    assert start.utcoffset() == timedelta(hours=-4)
    assert start == starts_at
    # The VTIMEZONE in the file, not only the parser's own copy of the zone, says -04:00
    # in July and -05:00 in January.
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "America/New_York"
    zone = vtimezone.to_tz()
    assert starts_at.astimezone(zone).utcoffset() == timedelta(hours=-4)
    assert january.astimezone(zone).utcoffset() == timedelta(hours=-5)
    kinds = {component.name for component in vtimezone.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}


def test_an_event_across_a_daylight_saving_change_ends_at_the_right_wall_time():
    """Saturday 22:00 to Sunday 04:00 over the night clocks go back in Chicago: six hours
    pass, and the end reads 04:00 CST."""
    starts_at = datetime(2030, 11, 2, 22, 0, tzinfo=CHICAGO).astimezone(UTC)
    event = make_event(starts_at=starts_at, ends_at=starts_at + timedelta(hours=7))
    text = calendar.event_ics(event, url="https://example.org/events/x")
    assert "DTSTART;TZID=America/Chicago:20301102T220000" in text
    assert "DTEND;TZID=America/Chicago:20301103T040000" in text
    cal = icalendar.Calendar.from_ical(text)
    zone = cal.walk("VTIMEZONE")[0].to_tz()
    assert starts_at.astimezone(zone).utcoffset() == timedelta(hours=-5)
    assert (starts_at + timedelta(hours=7)).astimezone(zone).utcoffset() == timedelta(hours=-6)


def test_an_event_crossing_midnight_ends_the_next_day(client):
    starts_at = datetime(2031, 5, 9, 22, 30, tzinfo=CHICAGO).astimezone(UTC)
    ends_at = datetime(2031, 5, 10, 1, 0, tzinfo=CHICAGO).astimezone(UTC)
    event = make_event(is_public=True, starts_at=starts_at, ends_at=ends_at)
    vevent = the_event(download(client, event))
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert (start.date().isoformat(), start.hour, start.minute) == ("2031-05-09", 22, 30)
    assert (end.date().isoformat(), end.hour, end.minute) == ("2031-05-10", 1, 0)
    assert end - start == timedelta(hours=2, minutes=30)


def test_a_cancelled_event_stays_downloadable_and_says_cancelled(client):
    event = make_event(is_public=True, title="Evaluation clinic")
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    event.cancel_reason = "The speaker is ill."
    event.sequence += 1
    db.session.commit()
    vevent = the_event(download(client, event))
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["UID"]) == f"{event.uid}@wwc-community"
    assert vevent.decoded("SEQUENCE") == 1
    assert "The speaker is ill." in str(vevent["DESCRIPTION"])


def test_commas_semicolons_backslashes_and_newlines_are_escaped(client):
    event = make_event(
        is_public=True,
        title=r"Data, evidence; and C:\results",
        description="First line, with a comma.\nSecond; line\r\nThird \\ line",
        is_online=False,
        location="City Hall, Room 3; 2nd floor",
    )
    response = download(client, event)
    text = response.get_data(as_text=True)
    assert r"SUMMARY:Data\, evidence\; and C:\\results" in text
    assert r"LOCATION:City Hall\, Room 3\; 2nd floor" in text
    unfolded = text.replace("\r\n ", "")
    assert r"First line\, with a comma.\nSecond\; line\nThird \\ line" in unfolded
    vevent = the_event(response)
    assert str(vevent["SUMMARY"]) == r"Data, evidence; and C:\results"
    assert str(vevent["LOCATION"]) == "City Hall, Room 3; 2nd floor"
    assert str(vevent["DESCRIPTION"]).startswith(
        "First line, with a comma.\nSecond; line\nThird \\ line"
    )


def test_a_long_description_is_folded_into_lines_of_75_octets(client):
    description = ("Évaluation des données ouvertes, comté de Cook — " * 40).strip()
    event = make_event(is_public=True, title="Ü" * 60, description=description)
    response = download(client, event)
    lines = physical_lines(response.get_data(as_text=True))
    assert max(len(line.encode()) for line in lines) <= 75
    assert sum(line.startswith(" ") for line in lines) > 20
    vevent = the_event(response)
    assert str(vevent["DESCRIPTION"]).startswith(description)
    assert str(vevent["SUMMARY"]) == "Ü" * 60


def test_fold_never_splits_a_character():
    line = "DESCRIPTION:" + "€" * 100
    folded = calendar.fold(line).split("\r\n")
    assert all(len(part.encode()) <= 75 for part in folded)
    assert "".join(part.removeprefix(" ") for part in folded) == line


def test_an_unknown_time_zone_falls_back_to_utc(client):
    starts_at = datetime(2031, 3, 4, 16, 0, tzinfo=UTC)
    event = make_event(is_public=True, starts_at=starts_at, time_zone="Nowhere/Atlantis")
    response = download(client, event)
    text = response.get_data(as_text=True)
    assert "DTSTART:20310304T160000Z" in text
    assert "VTIMEZONE" not in text
    assert the_event(response).decoded("DTSTART") == starts_at


# The join link ---------------------------------------------------------------------------


def test_the_join_link_is_only_in_a_confirmed_registrant_file(app, client, members):
    event = make_event(capacity=1, join_url=JOIN_URL, is_public=True)
    register(members["practitioner"], event)
    register(members["partner"], event)  # waitlisted
    assert JOIN_URL not in download(client, event).get_data(as_text=True)  # a visitor
    for role in ("partner", "coordinator"):
        other = app.test_client()
        sign_in(other, members[role].email)
        assert JOIN_URL not in download(other, event).get_data(as_text=True), role
    sign_in(client, members["practitioner"].email)
    description = str(the_event(download(client, event))["DESCRIPTION"])
    assert f"Join online: {JOIN_URL}" in description


def test_the_join_link_is_left_out_of_an_in_person_event(client, members):
    event = make_event(join_url=JOIN_URL, is_online=False, location="City Hall")
    register(members["practitioner"], event)
    sign_in(client, members["practitioner"].email)
    assert JOIN_URL not in download(client, event).get_data(as_text=True)


# Who may download ------------------------------------------------------------------------


def test_a_visitor_gets_404_for_a_members_only_event(client, sign_in_as):
    event = make_event(is_public=False)
    assert client.get(f"/events/{event.slug}.ics").status_code == 404
    sign_in_as("practitioner")
    assert client.get(f"/events/{event.slug}.ics").status_code == 200


@pytest.mark.parametrize(
    ("role", "status_code"),
    [("visitor", 404), ("pending", 404), ("practitioner", 404), ("coordinator", 200)],
)
def test_drafts_are_for_coordinators_only(client, sign_in_as, role, status_code):
    event = make_event(is_public=True, status=EventStatus.DRAFT)
    sign_in_as(role)
    assert client.get(f"/events/{event.slug}.ics").status_code == status_code


def test_an_unknown_event_is_not_found(client):
    assert client.get("/events/no-such-event.ics").status_code == 404
    assert client.get("/events/" + "x" * 500 + ".ics").status_code == 404


# The personal feed -----------------------------------------------------------------------


def test_the_feed_lists_the_member_own_events_only(app, client, members):
    member, other = members["practitioner"], members["partner"]
    confirmed = make_event(title="Confirmed seat", join_url=JOIN_URL)
    full = make_event(title="Waitlisted place", capacity=1)
    dropped = make_event(title="Registration I cancelled")
    not_mine = make_event(title="Someone else's event")
    recent = make_event(title="Ended last week")
    long_ago = make_event(title="Ended two months ago")
    called_off = make_event(title="Called off by the coordinator", join_url=JOIN_URL)
    register(other, full)
    register(other, not_mine)
    for event in (confirmed, full, dropped, recent, long_ago, called_off):
        register(member, event)
    seats.cancel(db.session, member, seats.registration_of(db.session, dropped, member))
    db.session.commit()
    for event, days_ago in ((recent, 7), (long_ago, 60)):
        event.starts_at = utcnow() - timedelta(days=days_ago)
        event.ends_at = event.starts_at + timedelta(hours=1)
    called_off.status = EventStatus.CANCELLED
    called_off.cancelled_at = utcnow()
    db.session.commit()

    response = client.get(feed_path(app, member))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=300"
    cal = parse(response)
    assert str(cal["X-WR-CALNAME"]) == "WWC Community events"
    by_title = {str(vevent["SUMMARY"]): vevent for vevent in cal.walk("VEVENT")}
    assert set(by_title) == {
        "Confirmed seat",
        "Waitlisted place",
        "Ended last week",
        "Cancelled: Called off by the coordinator",
    }
    assert str(by_title["Confirmed seat"]["STATUS"]) == "CONFIRMED"
    assert f"Join online: {JOIN_URL}" in str(by_title["Confirmed seat"]["DESCRIPTION"])
    assert str(by_title["Waitlisted place"]["STATUS"]) == "TENTATIVE"
    cancelled = by_title["Cancelled: Called off by the coordinator"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert JOIN_URL not in str(cancelled["DESCRIPTION"])
    assert str(by_title["Confirmed seat"]["UID"]) == f"{confirmed.uid}@wwc-community"
    assert len(cal.walk("VTIMEZONE")) == 1


def test_an_event_cancelled_with_its_registrations_stays_in_the_feed(app, client, members):
    """Whether cancelling an event also cancels its registrations or not, the members
    registered at the time keep it in their calendar, marked cancelled."""
    member = members["practitioner"]
    event = make_event(title="Cohort session")
    registration = register(member, event)
    now = utcnow()
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    db.session.commit()
    [vevent] = parse(client.get(feed_path(app, member))).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_an_empty_feed_is_still_a_valid_calendar(app, client, members):
    cal = parse(client.get(feed_path(app, members["practitioner"])))
    assert cal.walk("VEVENT") == []


def test_a_feed_spanning_time_zones_has_one_vtimezone_each(app, client, members):
    member = members["practitioner"]
    for zone in ("America/New_York", "America/Los_Angeles", "America/New_York"):
        register(member, make_event(time_zone=zone))
    cal = parse(client.get(feed_path(app, member)))
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == [
        "America/Los_Angeles",
        "America/New_York",
    ]
    for vevent in cal.walk("VEVENT"):
        assert vevent.decoded("DTSTART").tzinfo is not None


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "1.",
        ".abc",
        "0.abcdefghijklmnopqrstuvwx",
        "99999999999999999999999.abcdefghijklmnopqrstuvwx",
        "1.abc!def",
        "1." + "a" * 200,
    ],
)
def test_a_bad_feed_token_is_not_found(client, members, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_signature_for_another_member_does_not_open_this_one(app, client, members):
    practitioner, partner = members["practitioner"], members["partner"]
    signature = calendar.feed_token(practitioner, app.config["SECRET_KEY"]).split(".", 1)[1]
    assert client.get(f"/calendar/{partner.id}.{signature}.ics").status_code == 404


def test_resetting_the_address_makes_the_old_one_404(app, client, members, sign_in_as):
    member = members["practitioner"]
    old_path = feed_path(app, member)
    assert client.get(old_path).status_code == 200
    sign_in_as("practitioner")
    response = post_form(client, "/account/calendar/reset")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/settings/account")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your calendar address has changed: calendar apps using the old one will" in page
    db.session.refresh(member)
    new_path = feed_path(app, member)
    assert new_path != old_path
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200


def test_resetting_needs_a_csrf_token(client, members, sign_in_as):
    key = members["practitioner"].calendar_key
    sign_in_as("practitioner")
    assert client.post("/account/calendar/reset").status_code == 400
    db.session.refresh(members["practitioner"])
    assert members["practitioner"].calendar_key == key


@pytest.mark.parametrize(
    "status", [MemberStatus.SUSPENDED, MemberStatus.PENDING, MemberStatus.DELETED]
)
def test_a_feed_of_a_member_who_is_not_approved_is_not_found(app, client, status):
    member = make_member()
    register(member, make_event())
    path = feed_path(app, member)
    assert client.get(path).status_code == 200
    member.status = status
    db.session.commit()
    assert client.get(path).status_code == 404


def test_the_feed_token_is_the_member_id_and_a_url_safe_signature(app, members):
    member = members["practitioner"]
    token = calendar.feed_token(member, app.config["SECRET_KEY"])
    assert re.fullmatch(rf"{member.id}\.[A-Za-z0-9_-]{{24}}", token)
    assert calendar.member_for_feed(db.session, token, app.config["SECRET_KEY"]) == member
    assert calendar.member_for_feed(db.session, token, "another secret") is None


def test_reset_calendar_key_does_not_commit(app, members):
    member = members["practitioner"]
    key = member.calendar_key
    calendar.reset_calendar_key(db.session, member)
    assert member.calendar_key != key
    db.session.rollback()
    assert member.calendar_key == key
