"""`flask events send-reminders`: confirmed registrants hear a day and an hour before
the start, each reminder once, even when two runs overlap."""

import threading
from datetime import timedelta

import pytest

from tests.conftest import links_in, outbox
from tests.core.test_mail import smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.events.factories import make_event
from tests.factories import make_member
from wwc_community.core.database import utcnow
from wwc_community.events import registration as seats
from wwc_community.events.messages import reminders_due, send_reminder
from wwc_community.events.models import Event, EventStatus
from wwc_community.extensions import db

JOIN_URL = "https://meet.example.org/performance-office-hours"


def send_reminders(runner) -> str:
    result = runner.invoke(args=["events", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def registered(event, count=1):
    members = [make_member() for _ in range(count)]
    for member in members:
        seats.register(db.session, member, event)
    db.session.commit()
    return members


def starting_in(**delta):
    return utcnow() + timedelta(**delta)


def move(event, **delta):
    """Bring the event's start closer, as the passing of time does."""
    event = db.session.get(Event, event.id)
    event.starts_at = starting_in(**delta)
    event.ends_at = event.starts_at + timedelta(hours=1)
    db.session.commit()


def recipients(app) -> list[str]:
    return sorted(message["To"] for message in outbox(app))


def test_a_day_ahead_and_an_hour_ahead_each_once(app, runner):
    tomorrow = make_event(title="Open Data Office Hours", starts_at=starting_in(hours=20))
    soon = make_event(title="Evaluation Clinic", starts_at=starting_in(minutes=40))
    later = make_event(starts_at=starting_in(days=3))
    [day_member] = registered(tomorrow)
    [hour_member] = registered(soon)
    registered(later)
    assert send_reminders(runner) == "Sent 2 reminders: 1 a day ahead, 1 an hour ahead.\n"
    assert recipients(app) == sorted([day_member.email, hour_member.email])
    subjects = {message["To"]: message["Subject"] for message in outbox(app)}
    assert subjects[day_member.email] == "Reminder: Open Data Office Hours"
    assert subjects[hour_member.email] == "Starting within the hour: Evaluation Clinic"
    # Run again at once: nothing goes twice.
    assert send_reminders(runner) == "Sent 0 reminders: 0 a day ahead, 0 an hour ahead.\n"
    assert len(outbox(app)) == 2
    # Time passes: tomorrow's event is now within the hour, and its last reminder goes, once.
    move(tomorrow, minutes=50)
    assert send_reminders(runner) == "Sent 1 reminder: 0 a day ahead, 1 an hour ahead.\n"
    assert send_reminders(runner) == "Sent 0 reminders: 0 a day ahead, 0 an hour ahead.\n"
    assert [m["Subject"] for m in outbox(app) if m["To"] == day_member.email] == [
        "Reminder: Open Data Office Hours",
        "Starting within the hour: Open Data Office Hours",
    ]


def test_the_day_ahead_reminder_waits_until_the_event_is_within_24_hours(app, runner):
    event = make_event(starts_at=starting_in(hours=25))
    registered(event)
    assert send_reminders(runner).startswith("Sent 0 reminders")
    move(event, hours=23)
    assert send_reminders(runner).startswith("Sent 1 reminder:")


def test_registering_within_the_hour_gets_only_the_last_reminder(app, runner):
    event = make_event(starts_at=starting_in(minutes=30))
    registered(event)
    assert send_reminders(runner) == "Sent 1 reminder: 0 a day ahead, 1 an hour ahead.\n"
    assert send_reminders(runner).startswith("Sent 0 reminders")


def test_online_reminders_carry_the_join_link_in_the_members_time(app, runner):
    online = make_event(join_url=JOIN_URL, starts_at=starting_in(hours=3))
    in_person = make_event(
        is_online=False, location="Austin City Hall", join_url=JOIN_URL, starts_at=online.starts_at
    )
    [remote] = registered(online)
    remote.time_zone = "America/Los_Angeles"
    db.session.commit()
    [local] = registered(in_person)
    send_reminders(runner)
    messages = {message["To"]: message for message in outbox(app)}
    assert JOIN_URL in links_in(messages[remote.email])
    assert "PDT your time" in messages[remote.email].get_content() or "PST your time" in (
        messages[remote.email].get_content()
    )
    assert JOIN_URL not in messages[local.email].get_content()
    assert "Where: Austin City Hall" in messages[local.email].get_content()


def test_waitlisted_cancelled_and_cancelled_events_get_nothing(app, runner):
    full = make_event(capacity=1, starts_at=starting_in(hours=5))
    seated, waiting = registered(full, 2)
    leaving = make_event(starts_at=starting_in(hours=5))
    [gone] = registered(leaving)
    seats.cancel(db.session, gone, seats.registration_of(db.session, leaving, gone))
    called_off = make_event(starts_at=starting_in(minutes=30))
    registered(called_off)
    db.session.get(Event, called_off.id).status = EventStatus.CANCELLED
    db.session.commit()
    assert send_reminders(runner) == "Sent 1 reminder: 1 a day ahead, 0 an hour ahead.\n"
    assert recipients(app) == [seated.email]


def test_a_registration_cancelled_after_the_listing_is_not_reminded(app):
    event = make_event(starts_at=starting_in(hours=5))
    [member] = registered(event)
    [(registration_id, reminder)] = reminders_due(db.session)
    seats.cancel(db.session, member, seats.registration_of(db.session, event, member))
    db.session.commit()
    assert send_reminder(db.session, registration_id, reminder) is False
    db.session.commit()
    assert outbox(app) == []


def test_two_runs_at_once_send_each_reminder_exactly_once(app):
    """Two cron runs overlap: both list the same reminders, then race to claim them, each
    in a thread with its own app context, session and connection."""
    event = make_event(capacity=20, starts_at=starting_in(hours=6))
    members = registered(event, 8)
    db.session.commit()
    listed_by_both = threading.Barrier(2)
    sent, errors = [], []

    def run():
        with app.app_context():
            try:
                due = reminders_due(db.session)
                db.session.commit()  # a listing's transaction must not hold SQLite's lock
                listed_by_both.wait(timeout=30)
                for registration_id, reminder in due:
                    if send_reminder(db.session, registration_id, reminder):
                        sent.append(registration_id)
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 8
    assert recipients(app) == sorted(member.email for member in members)


@pytest.fixture
def smtp_app(app_with, smtp_server):  # noqa: F811 - the fixture imported above
    controller, _ = smtp_server
    return app_with(MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port)


def test_a_reminder_arrives_over_smtp(smtp_app, smtp_server):  # noqa: F811
    _, inbox = smtp_server
    event = make_event(title="Results-Driven Contracting", join_url=JOIN_URL)
    move(event, hours=2)
    [member] = registered(event)
    output = smtp_app.test_cli_runner().invoke(args=["events", "send-reminders"]).output
    assert output == "Sent 1 reminder: 1 a day ahead, 0 an hour ahead.\n"
    [message] = inbox.messages
    assert message["To"] == member.email
    assert message["Subject"] == "Reminder: Results-Driven Contracting"
    assert JOIN_URL in message.get_content()
