"""Registering for an event, cancelling, and promoting from the waitlist, without ever
overbooking (DESIGN.md).

Every change to an event's seats is one conditional UPDATE of the event row inside the
caller's transaction: `seats_taken + 1 WHERE seats_taken < capacity` takes a seat only if
one is free, and on PostgreSQL the row lock it takes makes concurrent registrations for
the same event wait for each other (on SQLite, write transactions already begin
IMMEDIATE and queue). Waitlist places come from the event's `queue_counter`, raised by
the same kind of statement, so the waitlist's order is the order the database took the
registrations in. The schema backs this up: UNIQUE(event, member) and
CHECK(seats_taken <= capacity).

The services never commit; the caller commits once. They return what the caller must
tell members after the commit (who was promoted)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotPermitted
from wwc_community.events.models import (
    Event,
    EventQuestion,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
)

SHORT_ANSWER_MAX = 300
LONG_ANSWER_MAX = 4000


@dataclass
class SeatChange:
    """What a registration, cancellation or capacity change did."""

    registration: Registration | None = None
    # Registrations moved from the waitlist to a seat, in order: tell their members.
    promoted: list[Registration] = field(default_factory=list)


def registration_of(session: Session, event: Event, member: Member) -> Registration | None:
    return session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.member_id == member.id
        )
    )


def why_closed(event: Event, now: datetime | None = None) -> str | None:
    """Why nobody can register for `event` now, or None when registration is open."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        return "This event was cancelled."
    if event.status != EventStatus.PUBLISHED:
        return "This event is not open for registration yet."
    if event.starts_at <= now:
        return "This event has started, so registration is closed."
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return "Registration has not opened yet."
    if event.registration_closes_at is not None and now >= event.registration_closes_at:
        return "Registration is closed."
    return None


def questions_of(session: Session, event: Event) -> list[EventQuestion]:
    return list(
        session.scalars(
            select(EventQuestion)
            .where(EventQuestion.event_id == event.id)
            .order_by(EventQuestion.position)
        )
    )


def clean_answers(questions: list[EventQuestion], answers: dict) -> dict[str, object]:
    """The answers to an event's questions, checked: required ones present, choices
    among the options, text within its length. Raises Invalid naming the question."""
    cleaned: dict[str, object] = {}
    for question in questions:
        key = str(question.id)
        raw = answers.get(key)
        if question.kind == QuestionKind.SEVERAL_CHOICES:
            picked = [value for value in (raw or []) if value]
            if any(value not in question.choices for value in picked):
                raise Invalid(f"Choose among the options for “{question.prompt}”.", key)
            value: object = [choice for choice in question.choices if choice in picked]
            present = bool(picked)
        else:
            text = str(raw or "").strip()
            if question.kind != QuestionKind.LONG_TEXT:
                text = " ".join(text.split())  # one line: newlines and runs of spaces go
            if question.kind == QuestionKind.ONE_CHOICE and text and text not in question.choices:
                raise Invalid(f"Choose one of the options for “{question.prompt}”.", key)
            if question.kind == QuestionKind.YES_NO and text and text not in ("yes", "no"):
                raise Invalid(f"Answer yes or no to “{question.prompt}”.", key)
            limit = LONG_ANSWER_MAX if question.kind == QuestionKind.LONG_TEXT else SHORT_ANSWER_MAX
            if len(text) > limit:
                raise Invalid(
                    f"The answer to “{question.prompt}” is longer than {limit} characters.", key
                )
            value, present = text, bool(text)
        if question.required and not present:
            raise Invalid(f"Please answer “{question.prompt}”.", key)
        if present:
            cleaned[key] = value
    return cleaned


def _take_seat(session: Session, event: Event) -> bool:
    """Take one seat if one is free: True when this transaction got it."""
    taken = session.execute(
        update(Event)
        .where(Event.id == event.id, Event.seats_taken < Event.capacity)
        .values(seats_taken=Event.seats_taken + 1)
        .returning(Event.id)
        .execution_options(synchronize_session=False)
    ).first()
    session.expire(event, ["seats_taken"])
    return taken is not None


def _free_seat(session: Session, event: Event) -> None:
    session.execute(
        update(Event)
        .where(Event.id == event.id, Event.seats_taken > 0)
        .values(seats_taken=Event.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    session.expire(event, ["seats_taken"])


def _next_place(session: Session, event: Event) -> int:
    """The next place in the event's queue (also taking the event row's lock)."""
    place = session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(queue_counter=Event.queue_counter + 1)
        .returning(Event.queue_counter)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.expire(event, ["queue_counter"])
    return place


def register(
    session: Session, member: Member, event: Event, answers: dict | None = None
) -> SeatChange:
    """Register `member`: a seat if one is free, else a place on the waitlist (when the
    event keeps one). Raises NotPermitted, Invalid or Conflict with a message to show."""
    if member is None or not getattr(member, "is_member", False):
        raise NotPermitted("Only approved members can register for events.")
    reason = why_closed(event)
    if reason:
        raise Conflict(reason)
    cleaned = clean_answers(questions_of(session, event), answers or {})
    # The place is taken first: it locks the event row, so what follows (the check for
    # an earlier registration included) happens one registration at a time.
    place = _next_place(session, event)
    existing = registration_of(session, event, member)
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        if existing.status == RegistrationStatus.CONFIRMED:
            raise Conflict("You are already registered for this event.")
        raise Conflict("You are already on the waitlist for this event.")
    if _take_seat(session, event):
        status = RegistrationStatus.CONFIRMED
    elif event.waitlist_enabled:
        status = RegistrationStatus.WAITLISTED
    else:
        raise Conflict("This event is full.")
    now = utcnow()
    registration = existing or Registration(event_id=event.id, member_id=member.id)
    registration.status = status
    registration.queue_number = place
    registration.answers = cleaned
    registration.updated_at = now
    registration.cancelled_at = None
    registration.promoted_at = None
    registration.confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
    if existing is None:
        session.add(registration)
    session.flush()
    return SeatChange(registration=registration)


def cancel(session: Session, member: Member, registration: Registration) -> SeatChange:
    """Cancel `registration` (the member's own): a confirmed seat goes to the first
    member on the waitlist in the same transaction, until the event starts."""
    if member is None or registration.member_id != member.id:
        raise NotPermitted("You can only cancel your own registration.")
    event = session.get(Event, registration.event_id)
    if event.starts_at <= utcnow():
        raise Conflict("This event has started, so registrations can no longer change.")
    # Lock the event row first, then re-read the registration: a second click, or a
    # cancellation racing this one, sees the state the first one left.
    _next_place(session, event)
    session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        raise Conflict("This registration is already cancelled.")
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    now = utcnow()
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.updated_at = now
    session.flush()
    change = SeatChange(registration=registration)
    if was_confirmed:
        _free_seat(session, event)
        if event.status == EventStatus.PUBLISHED:
            change.promoted = promote_waitlisted(session, event)
    return change


def promote_waitlisted(session: Session, event: Event) -> list[Registration]:
    """Give free seats to the waitlist, first in line first; the caller tells them."""
    promoted = []
    while True:
        first = session.scalar(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.queue_number, Registration.id)
            .limit(1)
        )
        if first is None or not _take_seat(session, event):
            return promoted
        now = utcnow()
        first.status = RegistrationStatus.CONFIRMED
        first.confirmed_at = now
        first.promoted_at = now
        first.updated_at = now
        session.flush()
        promoted.append(first)
