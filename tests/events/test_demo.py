"""`flask seed-demo` loads the demo events once: coming up and past, public and
members-only, some full with a waitlist, and never overbooked."""

from datetime import timedelta

from sqlalchemy import func, select

from wwc_community.core.database import utcnow
from wwc_community.events.demo_events import DEMO_EVENTS
from wwc_community.events.models import (
    Event,
    EventQuestion,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from wwc_community.extensions import db


def _count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def test_seed_demo_adds_the_events_once(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"Demo events: {len(DEMO_EVENTS)} events added." in first.output
    registrations = db.session.scalar(select(func.count(Registration.id)))

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "Demo events: 0 events added." in again.output
    assert db.session.scalar(select(func.count(Event.id))) == len(DEMO_EVENTS)
    assert db.session.scalar(select(func.count(Registration.id))) == registrations


def test_demo_events_are_varied_and_never_overbooked(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    now = utcnow()
    events = db.session.scalars(select(Event)).all()
    assert len(events) >= 15
    assert all(event.status == EventStatus.PUBLISHED for event in events)

    upcoming = [event for event in events if event.starts_at > now]
    past = [event for event in events if event.ends_at < now]
    assert upcoming and past
    assert all(now + _days(13) <= e.starts_at <= now + _days(71) for e in upcoming)
    assert all(now - _days(190) <= e.starts_at <= now - _days(28) for e in past)
    assert {event.is_public for event in events} == {True, False}
    assert {event.is_online for event in events} == {True, False}
    assert len({event.time_zone for event in events}) >= 4
    assert len({event.event_type for event in events}) == 5

    for event in events:
        confirmed = _count(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
        assert event.seats_taken <= event.capacity
        assert event.seats_taken == confirmed

    waitlisted = db.session.scalars(
        select(Registration.event_id).where(Registration.status == RegistrationStatus.WAITLISTED)
    ).all()
    full_with_waitlist = [
        event
        for event in upcoming
        if event.seats_taken == event.capacity and event.id in waitlisted
    ]
    assert len(full_with_waitlist) >= 2

    attended = db.session.scalars(
        select(Registration).where(Registration.attended_at.is_not(None))
    ).all()
    past_ids = {event.id for event in past}
    assert attended and all(registration.event_id in past_ids for registration in attended)
    asking = _count(select(EventQuestion.event_id).distinct())
    assert 2 <= asking <= 3
    answered = db.session.scalars(
        select(Registration).join(EventQuestion, EventQuestion.event_id == Registration.event_id)
    ).all()
    assert all(registration.answers for registration in answered)


def _days(number: int) -> timedelta:
    return timedelta(days=number)
