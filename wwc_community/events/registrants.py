"""What a coordinator does with an event's registrants: see them (confirmed, waitlisted
in order, cancelled) with their answers, export them as CSV for a spreadsheet, e-mail
them, and check them in at the door. Every function checks that the actor coordinates
events, and none commits."""

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound
from wwc_community.core.mail import external_url, queue_mail
from wwc_community.core.markup import clean_text
from wwc_community.core.security import spreadsheet_safe
from wwc_community.events import messages
from wwc_community.events.models import Event, EventQuestion, Registration, RegistrationStatus
from wwc_community.events.registration import questions_of
from wwc_community.events.services import require_coordinator

SUBJECT_MAX = 150
BODY_MAX = 10_000
# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
# Excel reads a CSV as UTF-8 only when the file starts with this mark.
BYTE_ORDER_MARK = "\ufeff"


def event_to_manage(session: Session, actor: Member | None, slug: str) -> Event:
    """The event at `slug`, drafts and cancelled ones too, for a coordinator."""
    require_coordinator(actor)
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound("There is no event at this address.")
    return event


def _registrations(session: Session, event: Event, *statuses: str) -> list[Registration]:
    """The event's registrations in queue order, each with its member, city and
    organisation (one query: the member's city and organisation load joined)."""
    statement = (
        select(Registration)
        .options(joinedload(Registration.member))
        .where(Registration.event_id == event.id)
        .order_by(Registration.queue_number, Registration.id)
    )
    if statuses:
        statement = statement.where(Registration.status.in_(statuses))
    return list(session.scalars(statement))


def registrants(session: Session, actor: Member | None, event: Event) -> dict:
    """The event's questions and its registrations: confirmed and cancelled in queue
    order, waitlisted as (position, registration) pairs, 1 for the next in line."""
    require_coordinator(actor)
    everyone = _registrations(session, event)
    waitlisted = [r for r in everyone if r.status == RegistrationStatus.WAITLISTED]
    return {
        "questions": questions_of(session, event),
        "confirmed": [r for r in everyone if r.status == RegistrationStatus.CONFIRMED],
        "waitlisted": list(enumerate(waitlisted, start=1)),
        "cancelled": [r for r in everyone if r.status == RegistrationStatus.CANCELLED],
    }


def answer_text(question: EventQuestion, registration: Registration) -> str:
    """The registrant's answer to `question` as one line of text (choices joined by ";")."""
    answer = (registration.answers or {}).get(str(question.id), "")
    if isinstance(answer, list):
        return "; ".join(str(choice) for choice in answer)
    return str(answer)


def _local(moment: datetime | None, time_zone: str) -> str:
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    local = aware.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def registrants_csv(session: Session, actor: Member | None, event: Event) -> str:
    """Every registration as CSV text, starting with a byte order mark so that
    spreadsheets read non-ASCII names right; cells that look like formulas are
    neutralised."""
    listed = registrants(session, actor, event)
    questions = listed["questions"]
    positions = {r.id: position for position, r in listed["waitlisted"]}
    rows = listed["confirmed"] + [r for _, r in listed["waitlisted"]] + listed["cancelled"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "Name",
            "E-mail",
            "City or organisation",
            "Status",
            "Waitlist position",
            f"Registered at ({event.time_zone})",
            "Attended",
            *(question.prompt for question in questions),
        ]
    )
    for registration in rows:
        member = registration.member
        cells = [
            member.display_name,
            member.email,
            member.affiliation_label,
            registration.status,
            positions.get(registration.id, ""),
            _local(registration.created_at, event.time_zone),
            "yes" if registration.attended_at else "",
            *(answer_text(question, registration) for question in questions),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return BYTE_ORDER_MARK + buffer.getvalue()


def email_registrants(
    session: Session,
    actor: Member | None,
    event: Event,
    subject: str,
    body: str,
    include_waitlist: bool,
) -> int:
    """Queue the coordinator's message to each confirmed registrant (and each member on
    the waitlist when asked), sent after the caller's commit; returns how many."""
    require_coordinator(actor)
    subject = " ".join(clean_text(subject).split())  # one line: it becomes a header
    body = clean_text(body)
    if not subject:
        raise Invalid("Give the message a subject.", "subject")
    if len(subject) > SUBJECT_MAX:
        raise Invalid(f"Keep the subject under {SUBJECT_MAX} characters.", "subject")
    if not body:
        raise Invalid("Write the message.", "body")
    if len(body) > BODY_MAX:
        raise Invalid(f"Keep the message under {BODY_MAX:,} characters.", "body")
    statuses = [RegistrationStatus.CONFIRMED]
    if include_waitlist:
        statuses.append(RegistrationStatus.WAITLISTED)
    recipients = [
        registration
        for registration in _registrations(session, event, *statuses)
        if registration.member.status == MemberStatus.ACTIVE
    ]
    event_url = external_url("events.event", slug=event.slug)
    for registration in recipients:
        queue_mail(
            session,
            registration.member.email,
            subject,
            "mail/event_registrants_message.txt",
            body=body,
            event=event,
            when=messages.format_event_time(event, registration.member.time_zone),
            event_url=event_url,
            waitlisted=registration.status == RegistrationStatus.WAITLISTED,
            sender=actor.display_name,
        )
    return len(recipients)


def registration_at(
    session: Session, actor: Member | None, event: Event, registration_id: int
) -> Registration:
    """One registration of `event`, with its member; another event's is not found."""
    require_coordinator(actor)
    registration = session.scalar(
        select(Registration)
        .options(joinedload(Registration.member))
        .where(Registration.id == registration_id, Registration.event_id == event.id)
    )
    if registration is None:
        raise NotFound("There is no such registration for this event.")
    return registration


def check_in_list(session: Session, actor: Member | None, event: Event) -> list[Registration]:
    """The confirmed registrations, by name, for checking people in at the door."""
    require_coordinator(actor)
    confirmed = _registrations(session, event, RegistrationStatus.CONFIRMED)
    return sorted(confirmed, key=lambda r: (r.member.display_name.casefold(), r.id))


def mark_attendance(
    session: Session, actor: Member | None, registration: Registration, attended: bool
) -> None:
    """Record that a confirmed registrant came (or undo it)."""
    require_coordinator(actor)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise Conflict("Only confirmed registrants can be checked in.")
    if attended and registration.attended_at is None:
        registration.attended_at = utcnow()
    elif not attended:
        registration.attended_at = None
    registration.updated_at = utcnow()
    session.flush()
