"""What members are told about the events they registered for: the date and time in
words, the e-mail on registering, the news of a seat from the waitlist, and the
reminders a day and an hour before the start.

Like every service, these never commit: messages are queued with `queue_mail` and go
out only once the caller's unit of work commits (never if it rolls back). The join link
of an online event goes only to confirmed registrants."""

import enum
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.core.database import utcnow
from wwc_community.core.mail import external_url, queue_mail
from wwc_community.events.models import Event, EventStatus, Registration, RegistrationStatus
from wwc_community.notifications.services import notify

# Dates and times in words ----------------------------------------------------------------


def _zone(name: str | None) -> ZoneInfo | None:
    """The time zone an IANA name stands for, or None for an empty or unknown name."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the zone database ("America") rather than a zone.
        return None


def _zone_label(moment: datetime) -> str:
    """ "CDT"; zones without a common abbreviation read "UTC-03" rather than "-03"."""
    name = moment.tzname() or "UTC"
    return f"UTC{name}" if name[:1] in "+-" else name


def _meridiem(moment: datetime) -> str:
    return "a.m." if moment.hour < 12 else "p.m."


def _clock(moment: datetime, *, meridiem: bool = True) -> str:
    """ "9:30 a.m.", or "9:30" when the end of a range carries the a.m. or p.m."""
    text = f"{moment.hour % 12 or 12}:{moment:%M}"
    return f"{text} {_meridiem(moment)}" if meridiem else text


def _day(moment: datetime) -> str:
    """ "Tuesday, July 14, 2026"."""
    return f"{moment:%A}, {moment:%B} {moment.day}, {moment.year}"


def _span(start: datetime, end: datetime, *, with_date: bool) -> str:
    """A range of local times: "10:00–11:30 a.m. CDT"; both dates when it crosses midnight."""
    start_zone, end_zone = _zone_label(start), _zone_label(end)
    # A clock change during the event: each end of the range names its own zone.
    start_text = _clock(start) if start_zone == end_zone else f"{_clock(start)} {start_zone}"
    if start.date() != end.date():
        return f"{_day(start)}, {start_text} – {_day(end)}, {_clock(end)} {end_zone}"
    if start_zone == end_zone and _meridiem(start) == _meridiem(end):
        start_text = _clock(start, meridiem=False)
    times = f"{start_text}–{_clock(end)} {end_zone}"
    return f"{_day(start)}, {times}" if with_date else times


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def format_event_time(event: Event, member_time_zone: str | None) -> str:
    """When `event` happens, in its own time zone, and also in the member's when theirs
    shows a different time: "Tuesday, July 14, 2026, 10:00–11:30 a.m. CDT (11:00 a.m.–
    12:30 p.m. EDT your time)". An empty or unknown member zone shows the event's alone."""
    event_zone = _zone(event.time_zone) or UTC
    start = _as_utc(event.starts_at).astimezone(event_zone)
    end = _as_utc(event.ends_at).astimezone(event_zone)
    text = _span(start, end, with_date=True)
    member_zone = _zone(member_time_zone)
    if member_zone is None:
        return text
    their_start = start.astimezone(member_zone)
    their_end = end.astimezone(member_zone)
    if _span(their_start, their_end, with_date=True) == text:
        return text  # another name for the same clock (America/Chicago and US/Central)
    their_text = _span(their_start, their_end, with_date=their_start.date() != start.date())
    return f"{text} ({their_text} your time)"


# Addresses ---------------------------------------------------------------------------------


def event_path(event: Event) -> str:
    """The site-relative address of an event's page."""
    return f"/events/{event.slug}"


def _event_context(event: Event, member: Member, *, confirmed: bool) -> dict:
    """What every event message shows; the join link only for a confirmed seat."""
    return {
        "display_name": member.display_name,
        "event": event,
        "when": format_event_time(event, member.time_zone),
        "event_url": external_url("events.event", slug=event.slug),
        "calendar_url": (
            external_url("event_calendars.event_ics", slug=event.slug) if confirmed else ""
        ),
        "join_url": event.join_url if confirmed and event.is_online else "",
    }


# Registering and promotion -------------------------------------------------------------------


def waitlist_position(session: Session, registration: Registration) -> int:
    """Where a waitlisted registration stands in line: 1 for the next to get a seat."""
    ahead = session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.queue_number < registration.queue_number,
        )
    )
    return ahead + 1


def confirmation_mail(session: Session, registration: Registration) -> None:
    """Queue the e-mail a member gets on registering: their seat, with the join link and
    the calendar file, or their place on the waitlist."""
    event = session.get(Event, registration.event_id)
    member = session.get(Member, registration.member_id)
    if registration.status == RegistrationStatus.CONFIRMED:
        queue_mail(
            session,
            member.email,
            f"You are registered: {event.title}",
            "mail/event_confirmed.txt",
            **_event_context(event, member, confirmed=True),
        )
    elif registration.status == RegistrationStatus.WAITLISTED:
        queue_mail(
            session,
            member.email,
            f"You are on the waitlist: {event.title}",
            "mail/event_waitlisted.txt",
            position=waitlist_position(session, registration),
            **_event_context(event, member, confirmed=False),
        )


def tell_promoted(session: Session, registrations: Iterable[Registration]) -> None:
    """Tell each member moved from the waitlist to a seat: a notification, and an e-mail
    with the date, the time and (for an online event) the join link."""
    registrations = list(registrations)
    if not registrations:
        return
    events = {
        event.id: event
        for event in session.scalars(
            select(Event).where(Event.id.in_({r.event_id for r in registrations}))
        )
    }
    members = {
        member.id: member
        for member in session.scalars(
            select(Member).where(
                Member.id.in_({r.member_id for r in registrations}),
                Member.status == MemberStatus.ACTIVE,
            )
        )
    }
    for event in events.values():
        notify(
            session,
            [r.member_id for r in registrations if r.event_id == event.id],
            kind="event_promoted",
            text=f"A seat opened up at “{event.title}”: you are now registered.",
            url=event_path(event),
            mailed_separately=True,  # the e-mail below says all this and more
        )
    for registration in registrations:
        member = members.get(registration.member_id)
        if member is None:
            continue
        event = events[registration.event_id]
        queue_mail(
            session,
            member.email,
            f"You have a seat: {event.title}",
            "mail/event_promoted.txt",
            **_event_context(event, member, confirmed=True),
        )


# Reminders ---------------------------------------------------------------------------------


class Reminder(enum.StrEnum):
    """The two reminders each confirmed registrant gets, once each."""

    DAY_BEFORE = "day_before"
    HOUR_BEFORE = "hour_before"


_REMINDED_AT = {
    Reminder.DAY_BEFORE: Registration.reminded_day_before_at,
    Reminder.HOUR_BEFORE: Registration.reminded_hour_before_at,
}


def _window(reminder: Reminder, now: datetime) -> tuple[datetime, datetime]:
    """The starts (after the first, up to the second) a reminder is due for at `now`.

    An event more than an hour away gets the day-before reminder, so one registered for
    a few hours ahead still hears about it; within the hour, only the last one.
    """
    if reminder == Reminder.DAY_BEFORE:
        return now + timedelta(hours=1), now + timedelta(hours=24)
    return now, now + timedelta(hours=1)


def _due(reminder: Reminder, now: datetime) -> list:
    """The conditions a registration meets while `reminder` is due and not yet sent.

    The same conditions list the registrations and claim each one, so a registration
    cancelled (or an event cancelled) between the two is never reminded."""
    after, until = _window(reminder, now)
    return [
        _REMINDED_AT[reminder].is_(None),
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.event_id.in_(
            select(Event.id).where(
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > after,
                Event.starts_at <= until,
            )
        ),
        Registration.member_id.in_(select(Member.id).where(Member.status == MemberStatus.ACTIVE)),
    ]


def reminders_due(session: Session, now: datetime | None = None) -> list[tuple[int, Reminder]]:
    """(registration id, reminder) for each reminder to send now, soonest event first."""
    now = now or utcnow()
    due = []
    for reminder in Reminder:
        due += [
            (registration_id, reminder)
            for registration_id in session.scalars(
                select(Registration.id)
                .join(Event, Event.id == Registration.event_id)
                .where(*_due(reminder, now))
                .order_by(Event.starts_at, Registration.id)
            )
        ]
    return due


def send_reminder(
    session: Session, registration_id: int, reminder: Reminder, now: datetime | None = None
) -> bool:
    """Claim one reminder and queue its e-mail; False when it is no longer due (another
    run sent it, or the registration or event was cancelled meanwhile).

    The claim is one conditional UPDATE: of two runs at once, exactly one sets the
    timestamp, and only that one sends. The caller commits after each reminder.
    """
    now = now or utcnow()
    column = _REMINDED_AT[reminder]
    claimed = session.execute(
        update(Registration)
        .where(Registration.id == registration_id, *_due(reminder, now))
        .values({column.key: now})
        .returning(Registration.id)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        return False
    registration = session.get(Registration, registration_id)
    session.expire(registration, [column.key])
    event = session.get(Event, registration.event_id)
    member = session.get(Member, registration.member_id)
    if reminder == Reminder.DAY_BEFORE:
        subject = f"Reminder: {event.title}"
    else:
        subject = f"Starting within the hour: {event.title}"
    queue_mail(
        session,
        member.email,
        subject,
        "mail/event_reminder.txt",
        within_the_hour=reminder == Reminder.HOUR_BEFORE,
        **_event_context(event, member, confirmed=True),
    )
    return True


def tell_registrants(
    session: Session,
    event: Event,
    registrations: Iterable[Registration],
    *,
    kind: str,
    text: str,
    subject: str,
    template: str,
    actor: Member | None = None,
    **context,
) -> None:
    """A notification and an e-mail (`template`) for each member still registered or
    waiting, about a change to `event` (postponed, cancelled). Does not commit."""
    registrations = list(registrations)
    notify(
        session,
        [registration.member_id for registration in registrations],
        kind=kind,
        text=text,
        url=event_path(event),
        actor=actor,
        mailed_separately=True,
    )
    for registration in registrations:
        member = session.get(Member, registration.member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            continue
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        queue_mail(
            session,
            member.email,
            subject,
            template,
            **context,
            **_event_context(event, member, confirmed=confirmed),
        )
