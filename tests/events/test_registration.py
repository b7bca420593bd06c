"""Registering, the waitlist, cancelling and promotion: the services, on the real
database, including 50 members racing for 10 seats through separate connections."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.events.factories import make_event
from tests.factories import make_member
from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotPermitted
from wwc_community.events import registration as seats
from wwc_community.events.models import (
    Event,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from wwc_community.extensions import db

pytestmark = pytest.mark.usefixtures("app")


def register(member, event, answers=None):
    change = seats.register(db.session, member, event, answers)
    db.session.commit()
    return change


def statuses(event) -> list[tuple[int, str]]:
    """(member id, status) in waitlist order."""
    rows = db.session.execute(
        select(Registration.member_id, Registration.status)
        .where(Registration.event_id == event.id)
        .order_by(Registration.queue_number)
    ).all()
    return [tuple(row) for row in rows]


def seats_taken(event) -> int:
    db.session.expire_all()
    return db.session.get(Event, event.id).seats_taken


def test_seats_then_the_waitlist_in_order():
    event = make_event(capacity=2)
    members = [make_member() for _ in range(4)]
    changes = [register(member, event) for member in members]
    assert [c.registration.status for c in changes] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert seats_taken(event) == 2


def test_cancelling_a_seat_promotes_the_first_in_line_in_the_same_transaction():
    event = make_event(capacity=1)
    first, second, third = (make_member() for _ in range(3))
    mine = register(first, event).registration
    register(second, event)
    register(third, event)
    change = seats.cancel(db.session, first, mine)
    db.session.commit()
    assert [r.member_id for r in change.promoted] == [second.id]
    assert statuses(event) == [
        (first.id, "cancelled"),
        (second.id, "confirmed"),
        (third.id, "waitlisted"),
    ]
    assert seats_taken(event) == 1


def test_leaving_the_waitlist_frees_no_seat_and_promotes_nobody():
    event = make_event(capacity=1)
    first, second = make_member(), make_member()
    register(first, event)
    waiting = register(second, event).registration
    change = seats.cancel(db.session, second, waiting)
    db.session.commit()
    assert change.promoted == []
    assert seats_taken(event) == 1


def test_registering_again_after_cancelling_joins_the_end_of_the_line():
    event = make_event(capacity=1)
    first, second = make_member(), make_member()
    mine = register(first, event).registration
    seats.cancel(db.session, first, mine)
    db.session.commit()
    register(second, event)
    again = register(first, event).registration
    assert again.id == mine.id and again.status == "waitlisted"


def test_a_full_event_without_a_waitlist_says_so_and_changes_nothing():
    event = make_event(capacity=1, waitlist_enabled=False)
    register(make_member(), event)
    late = make_member()
    with pytest.raises(Conflict, match="full"):
        seats.register(db.session, late, event)
    db.session.rollback()
    assert seats_taken(event) == 1
    assert len(statuses(event)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": EventStatus.DRAFT}, "not open for registration"),
        ({"status": EventStatus.CANCELLED}, "cancelled"),
        ({"registration_closes_at": utcnow() - timedelta(minutes=1)}, "Registration is closed"),
        ({"registration_opens_at": utcnow() + timedelta(days=1)}, "not opened yet"),
        ({"starts_at": utcnow() - timedelta(minutes=5)}, "has started"),
    ],
)
def test_registration_outside_its_window_is_refused(fields, message):
    event = make_event(**fields)
    with pytest.raises(Conflict, match=message):
        seats.register(db.session, make_member(), event)


def test_twice_is_refused_and_only_members_register():
    event = make_event()
    member = make_member()
    register(member, event)
    with pytest.raises(Conflict, match="already registered"):
        seats.register(db.session, member, event)
    db.session.rollback()
    pending = make_member(status=MemberStatus.PENDING)
    with pytest.raises(NotPermitted):
        seats.register(db.session, pending, event)


def test_nobody_cancels_someone_elses_registration():
    event = make_event()
    owner, other = make_member(), make_member()
    mine = register(owner, event).registration
    with pytest.raises(NotPermitted):
        seats.cancel(db.session, other, mine)
    db.session.rollback()
    assert statuses(event) == [(owner.id, "confirmed")]


def test_answers_are_checked_against_the_questions():
    event = make_event(
        questions=[
            (QuestionKind.SHORT_TEXT, "Your department", True, []),
            (QuestionKind.ONE_CHOICE, "Track", False, ["Beginner", "Advanced"]),
            (QuestionKind.SEVERAL_CHOICES, "Topics", False, ["Budgets", "Dashboards"]),
            (QuestionKind.YES_NO, "Need captions?", False, []),
        ]
    )
    ids = [str(q.id) for q in seats.questions_of(db.session, event)]
    member = make_member()
    with pytest.raises(Invalid, match="Please answer “Your department”"):
        seats.register(db.session, member, event, {})
    db.session.rollback()
    with pytest.raises(Invalid, match="Choose one of the options"):
        seats.register(db.session, member, event, {ids[0]: "Finance", ids[1]: "Expert"})
    db.session.rollback()
    with pytest.raises(Invalid, match="longer than 300"):
        seats.register(db.session, member, event, {ids[0]: "x" * 301})
    db.session.rollback()
    assert statuses(event) == []
    done = register(
        member,
        event,
        {ids[0]: "  Finance \n office ", ids[2]: ["Dashboards", "Budgets"], ids[3]: "yes"},
    )
    assert done.registration.answers == {
        ids[0]: "Finance office",
        ids[2]: ["Budgets", "Dashboards"],
        ids[3]: "yes",
    }


def _race(app, target, arguments):
    """Run `target(*args)` for each of `arguments` at once, each in a thread with its own
    session and connection, committing; return the errors raised."""
    db.session.commit()  # the test's own transaction must not hold the database
    start = threading.Barrier(len(arguments))
    errors = []

    def run(*args):
        start.wait(timeout=30)
        with app.app_context():
            try:
                target(*args)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_fifty_members_race_for_ten_seats(app):
    """Each member in a thread of its own, with its own connection: exactly 10 seats go,
    40 wait in one order, nobody sees an error, and the count of confirmed places never
    exceeds the capacity while the race runs."""
    event = make_event(capacity=10)
    member_ids = [make_member().id for _ in range(50)]
    event_id = event.id
    db.session.commit()
    highest = []
    running = threading.Event()

    def watch():
        with app.app_context():
            while not running.is_set():
                confirmed = db.session.scalar(
                    select(func.count(Registration.id)).where(
                        Registration.event_id == event_id,
                        Registration.status == RegistrationStatus.CONFIRMED,
                    )
                )
                highest.append(confirmed)
                db.session.rollback()
            db.session.remove()

    def take_part(member_id):
        seats.register(
            db.session, db.session.get(Member, member_id), db.session.get(Event, event_id)
        )

    watcher = threading.Thread(target=watch)
    watcher.start()
    errors = _race(app, take_part, [(member_id,) for member_id in member_ids])
    running.set()
    watcher.join(timeout=30)
    assert errors == []
    rows = statuses(event)
    assert [status for _, status in rows].count("confirmed") == 10
    assert [status for _, status in rows].count("waitlisted") == 40
    # The order: every seat went before any waitlist place.
    assert [status for _, status in rows] == ["confirmed"] * 10 + ["waitlisted"] * 40
    assert seats_taken(event) == 10
    assert highest and max(highest) <= 10


def test_ten_cancellations_at_once_promote_ten_different_members(app):
    event = make_event(capacity=10)
    members = [make_member() for _ in range(25)]
    registrations = [register(member, event).registration for member in members]
    confirmed = [(m.id, r.id) for m, r in zip(members, registrations, strict=True)][:10]
    event_id = event.id

    def leave(member_id, registration_id):
        seats.cancel(
            db.session,
            db.session.get(Member, member_id),
            db.session.get(Registration, registration_id),
        )

    errors = _race(app, leave, confirmed)
    assert errors == []
    rows = statuses(db.session.get(Event, event_id))
    by_member = dict(rows)
    assert [by_member[m.id] for m in members[:10]] == ["cancelled"] * 10
    assert [by_member[m.id] for m in members[10:20]] == ["confirmed"] * 10
    assert [by_member[m.id] for m in members[20:]] == ["waitlisted"] * 5
    assert seats_taken(event) == 10
