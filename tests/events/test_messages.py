"""What members are told: event times in words (time zones, daylight saving, midnight),
the e-mail on registering, and the news of a seat from the waitlist."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import links_in, outbox
from tests.events.factories import make_event
from tests.factories import make_member
from wwc_community.events import registration as seats
from wwc_community.events.messages import (
    confirmation_mail,
    format_event_time,
    tell_promoted,
    waitlist_position,
)
from wwc_community.events.models import Event
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification

JOIN_URL = "https://meet.example.org/wwc-open-data-101"


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def event_at(starts_at, ends_at, time_zone="America/Chicago") -> Event:
    return Event(starts_at=starts_at, ends_at=ends_at, time_zone=time_zone)


# Times in words ----------------------------------------------------------------------------

SUMMER_MORNING = event_at(at(2026, 7, 14, 15), at(2026, 7, 14, 16, 30))


@pytest.mark.parametrize("member_zone", [None, "", "America/Chicago", "US/Central"])
def test_the_event_time_alone_when_the_member_is_in_the_same_zone(member_zone):
    assert (
        format_event_time(SUMMER_MORNING, member_zone)
        == "Tuesday, July 14, 2026, 10:00–11:30 a.m. CDT"
    )


@pytest.mark.parametrize("member_zone", ["Mars/Olympus_Mons", "America", "../../etc/passwd"])
def test_an_unknown_member_zone_shows_the_event_time_alone(member_zone):
    assert (
        format_event_time(SUMMER_MORNING, member_zone)
        == "Tuesday, July 14, 2026, 10:00–11:30 a.m. CDT"
    )


def test_a_member_in_another_zone_also_sees_their_own_time():
    assert format_event_time(SUMMER_MORNING, "America/New_York") == (
        "Tuesday, July 14, 2026, 10:00–11:30 a.m. CDT (11:00 a.m.–12:30 p.m. EDT your time)"
    )
    assert format_event_time(SUMMER_MORNING, "America/Los_Angeles") == (
        "Tuesday, July 14, 2026, 10:00–11:30 a.m. CDT (8:00–9:30 a.m. PDT your time)"
    )
    # A zone without a common abbreviation, and one where it is already the next day.
    assert format_event_time(SUMMER_MORNING, "America/Sao_Paulo").endswith(
        "(12:00–1:30 p.m. UTC-03 your time)"
    )
    assert format_event_time(SUMMER_MORNING, "Pacific/Auckland").endswith(
        "(Wednesday, July 15, 2026, 3:00–4:30 a.m. NZST your time)"
    )


def test_daylight_saving_time_moves_the_utc_time_not_the_local_one():
    """10 a.m. in Chicago is 16:00 UTC before the spring change (8 March 2026) and 15:00
    after it; Phoenix keeps no daylight saving, London changes three weeks later."""
    before = event_at(at(2026, 3, 6, 16), at(2026, 3, 6, 17))
    after = event_at(at(2026, 3, 9, 15), at(2026, 3, 9, 16))
    assert format_event_time(before, None) == "Friday, March 6, 2026, 10:00–11:00 a.m. CST"
    assert format_event_time(after, None) == "Monday, March 9, 2026, 10:00–11:00 a.m. CDT"
    assert format_event_time(before, "America/Phoenix").endswith("(9:00–10:00 a.m. MST your time)")
    assert format_event_time(after, "America/Phoenix").endswith("(8:00–9:00 a.m. MST your time)")
    assert format_event_time(after, "Europe/London").endswith("(3:00–4:00 p.m. GMT your time)")


def test_an_event_during_the_autumn_clock_change_names_both_zones():
    # 1 November 2026: at 2 a.m. CDT the clocks go back to 1 a.m. CST.
    event = event_at(at(2026, 11, 1, 5, 30), at(2026, 11, 1, 8, 30))
    assert (
        format_event_time(event, None) == "Sunday, November 1, 2026, 12:30 a.m. CDT–2:30 a.m. CST"
    )


def test_an_event_that_crosses_midnight_shows_both_dates():
    late = event_at(at(2026, 7, 18, 3), at(2026, 7, 18, 6))
    assert format_event_time(late, None) == (
        "Friday, July 17, 2026, 10:00 p.m. – Saturday, July 18, 2026, 1:00 a.m. CDT"
    )
    # In New York it crosses midnight too; in Los Angeles it does not.
    assert format_event_time(late, "America/New_York").endswith(
        "(Friday, July 17, 2026, 11:00 p.m. – Saturday, July 18, 2026, 2:00 a.m. EDT your time)"
    )
    assert format_event_time(late, "America/Los_Angeles").endswith(
        "(8:00–11:00 p.m. PDT your time)"
    )


def test_noon_and_midnight_and_the_afternoon():
    event = event_at(at(2026, 7, 14, 17), at(2026, 7, 14, 19, 45))
    assert format_event_time(event, None) == "Tuesday, July 14, 2026, 12:00–2:45 p.m. CDT"
    midnight = event_at(at(2026, 7, 14, 5), at(2026, 7, 14, 6))
    assert format_event_time(midnight, None) == "Tuesday, July 14, 2026, 12:00–1:00 a.m. CDT"


# Registering ----------------------------------------------------------------------------------


def register(member, event):
    registration = seats.register(db.session, member, event).registration
    confirmation_mail(db.session, registration)
    db.session.commit()
    return registration


def messages_to(app, member):
    return [message for message in outbox(app) if message["To"] == member.email]


def test_a_confirmed_registrant_gets_the_join_link_and_the_calendar_file(app):
    event = make_event(
        title="Open Data 101 & You", join_url=JOIN_URL, starts_at=at(2030, 7, 14, 15)
    )
    member = make_member()
    member.time_zone = "America/New_York"
    db.session.commit()
    register(member, event)
    [message] = messages_to(app, member)
    assert message["Subject"] == "You are registered: Open Data 101 & You"
    body = message.get_content()
    assert "You are registered for “Open Data 101 & You”" in body
    assert (
        "Sunday, July 14, 2030, 10:00–11:00 a.m. CDT (11:00 a.m.–12:00 p.m. EDT your time)" in body
    )
    assert "Where: online" in body
    links = links_in(message)
    assert JOIN_URL in links
    assert any(link.endswith(f"/events/{event.slug}") for link in links)
    assert any(link.endswith(f"/events/{event.slug}.ics") for link in links)


def test_an_in_person_event_gives_its_place_and_no_join_link(app):
    event = make_event(is_online=False, location="City Hall, Room 201", join_url=JOIN_URL)
    member = make_member()
    register(member, event)
    body = messages_to(app, member)[0].get_content()
    assert "Where: City Hall, Room 201" in body
    assert JOIN_URL not in body


def test_a_waitlisted_registrant_learns_their_place_in_line_and_no_join_link(app):
    event = make_event(capacity=1, join_url=JOIN_URL)
    seated, second, third = make_member(), make_member(), make_member()
    register(seated, event)
    waiting = register(second, event)
    last = register(third, event)
    [message] = messages_to(app, third)
    assert message["Subject"].startswith("You are on the waitlist:")
    body = message.get_content()
    assert "You are number 2 in line." in body
    assert JOIN_URL not in body
    assert not any(link.endswith(".ics") for link in links_in(message))
    assert "You are number 1 in line." in messages_to(app, second)[0].get_content()
    # When the one ahead leaves the line, the place moves up.
    seats.cancel(db.session, second, waiting)
    db.session.commit()
    assert waitlist_position(db.session, last) == 1


def test_no_mail_when_the_registration_is_rolled_back(app):
    event = make_event()
    registration = seats.register(db.session, make_member(), event).registration
    confirmation_mail(db.session, registration)
    db.session.rollback()
    db.session.commit()
    assert outbox(app) == []


# Promotion from the waitlist -----------------------------------------------------------------


def promote_by_cancelling(event):
    """Two members: the first takes the only seat, the second waits; the first cancels."""
    seated, waiting = make_member(), make_member()
    mine = seats.register(db.session, seated, event).registration
    seats.register(db.session, waiting, event)
    db.session.commit()
    change = seats.cancel(db.session, seated, mine)
    return waiting, change


def test_a_promoted_member_is_notified_and_mailed_the_join_link_after_commit(app):
    event = make_event(capacity=1, title="Budgeting for Results", join_url=JOIN_URL)
    waiting, change = promote_by_cancelling(event)
    tell_promoted(db.session, change.promoted)
    assert outbox(app) == []  # nothing goes before the commit
    db.session.commit()
    [message] = outbox(app)
    assert message["To"] == waiting.email
    assert message["Subject"] == "You have a seat: Budgeting for Results"
    body = message.get_content()
    assert "a seat opened up at “Budgeting for Results”, and it is yours" in body
    assert format_event_time(event, waiting.time_zone) in body
    assert JOIN_URL in links_in(message)
    assert any(link.endswith(f"/events/{event.slug}.ics") for link in links_in(message))
    [notification] = db.session.scalars(
        select(Notification).where(Notification.member_id == waiting.id)
    )
    assert notification.kind == "event_promoted"
    assert notification.url == f"/events/{event.slug}"
    assert "Budgeting for Results" in notification.text
    # The e-mail said it all: the daily digest does not say it again.
    assert notification.emailed_at is not None


def test_promotion_to_an_in_person_event_has_no_join_link(app):
    event = make_event(capacity=1, is_online=False, location="Civic Center", join_url=JOIN_URL)
    _, change = promote_by_cancelling(event)
    tell_promoted(db.session, change.promoted)
    db.session.commit()
    [message] = outbox(app)
    assert JOIN_URL not in message.get_content()
    assert "Where: Civic Center" in message.get_content()


def test_a_rolled_back_promotion_tells_nobody(app):
    event = make_event(capacity=1, join_url=JOIN_URL)
    _, change = promote_by_cancelling(event)
    tell_promoted(db.session, change.promoted)
    db.session.rollback()
    db.session.commit()
    assert outbox(app) == []
    assert db.session.scalars(select(Notification)).all() == []


def test_several_promoted_at_once_each_get_their_own_message(app):
    event = make_event(capacity=1, join_url=JOIN_URL, starts_at=datetime.now(UTC) + timedelta(1))
    waiting = [make_member() for _ in range(3)]
    seated = make_member()
    seats.register(db.session, seated, event)
    for member in waiting:
        seats.register(db.session, member, event)
    db.session.commit()
    event.capacity = 4  # as a coordinator raising the capacity does
    promoted = seats.promote_waitlisted(db.session, event)
    tell_promoted(db.session, promoted)
    db.session.commit()
    assert sorted(message["To"] for message in outbox(app)) == sorted(m.email for m in waiting)
    assert len(db.session.scalars(select(Notification)).all()) == 3
