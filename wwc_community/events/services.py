"""What coordinators do with events: create and edit them (times typed in the event's
own time zone, stored in UTC), publish, postpone, cancel, change the capacity, and
duplicate one as a template. Every function checks the actor, validates everything
before writing anything, and never commits; the ones that affect registrants return
whom to tell (after the caller's commit)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.markup import clean_text, render_markdown
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import Topic
from wwc_community.events.models import (
    Event,
    EventQuestion,
    EventStatus,
    EventType,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from wwc_community.events.registration import SeatChange, promote_waitlisted

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
LOCATION_MAX = 300
URL_MAX = 500
CAPACITY_MAX = 10_000
MAX_QUESTIONS = 5
PROMPT_MAX = 300
MAX_CHOICES = 12
CHOICE_MAX = 100
SLUG_MAX = 120


def require_coordinator(actor: Member | None) -> None:
    if actor is None or not getattr(actor, "is_member", False):
        raise NotPermitted("Only coordinators manage events.")
    if not actor.has_role(Role.COORDINATOR):
        raise NotPermitted("Only coordinators manage events.")


@dataclass
class QuestionFields:
    kind: str
    prompt: str
    required: bool = False
    choices: list[str] = field(default_factory=list)


@dataclass
class EventFields:
    """An event as the coordinator's form gives it: times are wall-clock times in
    `time_zone` (no tzinfo)."""

    title: str
    starts_local: datetime | None
    ends_local: datetime | None
    time_zone: str
    capacity: int | None
    event_type: str = EventType.WEBINAR
    description: str = ""
    is_public: bool = False
    is_online: bool = True
    location: str = ""
    join_url: str = ""
    waitlist_enabled: bool = True
    registration_opens_local: datetime | None = None
    registration_closes_local: datetime | None = None
    topic_ids: list[int] = field(default_factory=list)
    host_ids: list[int] = field(default_factory=list)
    questions: list[QuestionFields] = field(default_factory=list)


def time_zone_or_invalid(name: str, field_name: str = "time_zone") -> ZoneInfo:
    name = (name or "").strip()
    if not name or name not in _zones():
        raise Invalid("Choose a time zone from the list.", field_name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid("Choose a time zone from the list.", field_name) from error


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def to_utc(local: datetime, zone: ZoneInfo, field_name: str) -> datetime:
    """`local` (a wall-clock time in `zone`) in UTC. A time the clocks skip (the hour
    lost when daylight saving starts) is refused rather than silently moved."""
    moment = local.replace(tzinfo=zone)
    in_utc = moment.astimezone(UTC)
    if in_utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise Invalid(
            f"{local:%H:%M} does not exist on {local:%d %B %Y} in {zone.key}: the clocks "
            "go forward then. Choose another time.",
            field_name,
        )
    return in_utc


def local_time(moment: datetime, time_zone: str) -> datetime:
    """`moment` (aware) as a wall-clock time in `time_zone`, without tzinfo (for forms)."""
    return moment.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


def _clean_url(raw: str, field_name: str) -> str:
    url = (raw or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(url) > URL_MAX:
        raise Invalid("Give the full web address, starting with https://.", field_name)
    return url


def _clean_questions(questions: list[QuestionFields]) -> list[EventQuestion]:
    if len(questions) > MAX_QUESTIONS:
        raise Invalid(f"An event can ask at most {MAX_QUESTIONS} questions.", "questions")
    cleaned = []
    for position, question in enumerate(questions, start=1):
        prompt = clean_text(" ".join((question.prompt or "").split()))
        if not prompt:
            continue
        if len(prompt) > PROMPT_MAX:
            raise Invalid(
                f"Question {position} is longer than {PROMPT_MAX} characters.", "questions"
            )
        if question.kind not in set(QuestionKind):
            raise Invalid(f"Choose what kind of answer question {position} takes.", "questions")
        choices: list[str] = []
        if question.kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
            for choice in question.choices:
                choice = clean_text(" ".join((choice or "").split()))
                if choice and choice not in choices:
                    choices.append(choice[:CHOICE_MAX])
            if len(choices) < 2:
                raise Invalid(f"Question {position} needs at least two options.", "questions")
            if len(choices) > MAX_CHOICES:
                raise Invalid(
                    f"Question {position} can offer at most {MAX_CHOICES} options.", "questions"
                )
        cleaned.append(
            EventQuestion(
                position=len(cleaned) + 1,
                kind=question.kind,
                prompt=prompt,
                required=bool(question.required),
                choices=choices,
            )
        )
    return cleaned


@dataclass
class _Checked:
    """EventFields, validated and converted, ready to write."""

    values: dict
    topics: list[Topic]
    hosts: list[Member]
    questions: list[EventQuestion]


def _check(session: Session, fields: EventFields) -> _Checked:
    title = clean_text(" ".join((fields.title or "").split()))
    if len(title) < 3:
        raise Invalid("Give the event a title.", "title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"Keep the title under {TITLE_MAX} characters.", "title")
    if fields.event_type not in set(EventType):
        raise Invalid("Choose the type of event.", "event_type")
    description = clean_text(fields.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(f"Keep the description under {DESCRIPTION_MAX:,} characters.", "description")
    zone = time_zone_or_invalid(fields.time_zone)
    if fields.starts_local is None:
        raise Invalid("Give the date and time the event starts.", "starts_local")
    if fields.ends_local is None:
        raise Invalid("Give the date and time the event ends.", "ends_local")
    starts_at = to_utc(fields.starts_local, zone, "starts_local")
    ends_at = to_utc(fields.ends_local, zone, "ends_local")
    if ends_at <= starts_at:
        raise Invalid("The event must end after it starts.", "ends_local")
    if fields.capacity is None or not 0 <= fields.capacity <= CAPACITY_MAX:
        raise Invalid(f"Give the number of seats, from 0 to {CAPACITY_MAX:,}.", "capacity")
    location = clean_text(" ".join((fields.location or "").split()))
    if len(location) > LOCATION_MAX:
        raise Invalid(f"Keep the location under {LOCATION_MAX} characters.", "location")
    if not fields.is_online and not location:
        raise Invalid("Say where the event takes place, or mark it as online.", "location")
    join_url = _clean_url(fields.join_url, "join_url") if fields.is_online else ""
    opens_at = closes_at = None
    if fields.registration_opens_local is not None:
        opens_at = to_utc(fields.registration_opens_local, zone, "registration_opens_local")
    if fields.registration_closes_local is not None:
        closes_at = to_utc(fields.registration_closes_local, zone, "registration_closes_local")
    if opens_at and closes_at and closes_at <= opens_at:
        raise Invalid("Registration must close after it opens.", "registration_closes_local")
    if closes_at and closes_at > starts_at:
        raise Invalid(
            "Registration must close before the event starts.", "registration_closes_local"
        )
    topics = []
    if fields.topic_ids:
        topics = list(session.scalars(select(Topic).where(Topic.id.in_(fields.topic_ids))))
        if len(topics) != len(set(fields.topic_ids)):
            raise Invalid("Choose topics from the list.", "topic_ids")
    hosts = []
    if fields.host_ids:
        hosts = list(
            session.scalars(
                select(Member).where(
                    Member.id.in_(fields.host_ids),
                    Member.status == MemberStatus.ACTIVE,
                )
            )
        )
        if len(hosts) != len(set(fields.host_ids)):
            raise Invalid("Hosts must be active members.", "host_ids")
    return _Checked(
        values=dict(
            title=title,
            event_type=fields.event_type,
            description=description,
            description_html=str(render_markdown(description)),
            is_public=bool(fields.is_public),
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=zone.key,
            is_online=bool(fields.is_online),
            location=location,
            join_url=join_url,
            capacity=fields.capacity,
            waitlist_enabled=bool(fields.waitlist_enabled),
            registration_opens_at=opens_at,
            registration_closes_at=closes_at,
        ),
        topics=topics,
        hosts=hosts,
        questions=_clean_questions(fields.questions),
    )


def event_for_editing(session: Session, actor: Member, slug: str) -> Event:
    """The event with its topics, hosts and questions, for a coordinator to change."""
    require_coordinator(actor)
    event = session.scalar(
        select(Event)
        .options(
            selectinload(Event.topics),
            selectinload(Event.hosts),
            selectinload(Event.questions),
        )
        .where(Event.slug == slug)
    )
    if event is None:
        raise NotFound("There is no event at this address.")
    return event


# Slugs that name a page of /events/ rather than an event.
RESERVED_SLUGS = {"new"}


def _unique_slug(session: Session, title: str, event_id: int | None = None) -> str:
    base = slugify(title)[:SLUG_MAX].strip("-") or "event"
    if base in RESERVED_SLUGS:
        base = f"{base}-event"
    taken = set(
        session.scalars(
            select(Event.slug).where(Event.slug.like(f"{base}%"), Event.id != (event_id or 0))
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def create_event(session: Session, actor: Member, fields: EventFields) -> Event:
    """A draft event; nothing is written unless every field is right."""
    require_coordinator(actor)
    checked = _check(session, fields)
    event = Event(
        slug=_unique_slug(session, checked.values["title"]),
        created_by_id=actor.id,
        **checked.values,
    )
    event.topics = checked.topics
    event.hosts = checked.hosts
    event.questions = checked.questions
    session.add(event)
    session.flush()
    return event


# Changes a calendar application shows: they raise the event's SEQUENCE.
_CALENDAR_FIELDS = ("title", "description", "starts_at", "ends_at", "time_zone", "location")


def update_event(session: Session, actor: Member, event: Event, fields: EventFields) -> SeatChange:
    """Save the coordinator's changes. The capacity can go up (the waitlist moves up at
    once) but never below the seats already taken; questions cannot change once someone
    has answered them."""
    require_coordinator(actor)
    if event.is_cancelled:
        raise Conflict("This event was cancelled; it can no longer be edited.")
    checked = _check(session, fields)
    if checked.values["capacity"] < event.seats_taken:
        raise Invalid(
            f"{event.seats_taken} members already have a seat: the capacity cannot go "
            "below that. Ask members to cancel first.",
            "capacity",
        )
    answered = session.scalar(
        select(Registration.id).where(Registration.event_id == event.id).limit(1)
    )
    current = [(q.kind, q.prompt, q.required, q.choices) for q in event.questions]
    wanted = [(q.kind, q.prompt, q.required, q.choices) for q in checked.questions]
    if answered is not None and current != wanted:
        raise Conflict(
            "Members have already registered with the current questions, so they can no "
            "longer change.",
            "questions",
        )
    calendar_changed = (
        any(getattr(event, name) != checked.values[name] for name in _CALENDAR_FIELDS)
        or event.is_online != checked.values["is_online"]
    )
    for name, value in checked.values.items():
        setattr(event, name, value)
    event.topics = checked.topics
    event.hosts = checked.hosts
    if current != wanted:
        event.questions = checked.questions
    event.updated_at = utcnow()
    if calendar_changed and event.status == EventStatus.PUBLISHED:
        event.sequence += 1
    session.flush()
    change = SeatChange()
    if event.status == EventStatus.PUBLISHED:
        change.promoted = promote_waitlisted(session, event)
    return change


def publish_event(session: Session, actor: Member, event: Event) -> None:
    require_coordinator(actor)
    if event.status != EventStatus.DRAFT:
        raise Conflict("Only a draft can be published.")
    if event.starts_at <= utcnow():
        raise Conflict("This event's start has passed: change its date before publishing.")
    event.status = EventStatus.PUBLISHED
    event.published_at = event.updated_at = utcnow()
    session.flush()


def registrants_to_tell(session: Session, event: Event) -> list[Registration]:
    """Confirmed and waitlisted registrations, with their members (one query)."""
    return list(
        session.scalars(
            select(Registration)
            .options(joinedload(Registration.member))
            .where(
                Registration.event_id == event.id,
                Registration.status.in_(
                    [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
                ),
            )
            .order_by(Registration.queue_number)
        )
    )


def cancel_event(session: Session, actor: Member, event: Event, reason: str) -> list[Registration]:
    """Cancel the event (its calendar entry becomes cancelled); returns the registrations
    whose members the caller tells, after the commit."""
    require_coordinator(actor)
    if event.is_cancelled:
        raise Conflict("This event is already cancelled.")
    reason = clean_text(reason or "").strip()
    if not reason:
        raise Invalid("Say why the event is cancelled: registrants will read it.", "reason")
    now = utcnow()
    event.status = EventStatus.CANCELLED
    event.cancelled_at = event.updated_at = now
    event.cancel_reason = reason[:2000]
    event.sequence += 1
    session.flush()
    return registrants_to_tell(session, event)


def postpone_event(
    session: Session, actor: Member, event: Event, starts_local: datetime, ends_local: datetime
) -> list[Registration]:
    """Move the event to a new date and time (in its own time zone); registrations stay;
    returns the registrations whose members the caller tells."""
    require_coordinator(actor)
    if event.is_cancelled:
        raise Conflict("This event was cancelled; it cannot be moved.")
    zone = time_zone_or_invalid(event.time_zone)
    if starts_local is None or ends_local is None:
        raise Invalid("Give the new start and end.", "starts_local")
    starts_at = to_utc(starts_local, zone, "starts_local")
    ends_at = to_utc(ends_local, zone, "ends_local")
    if ends_at <= starts_at:
        raise Invalid("The event must end after it starts.", "ends_local")
    if starts_at <= utcnow():
        raise Invalid("Choose a new start in the future.", "starts_local")
    if starts_at == event.starts_at and ends_at == event.ends_at:
        raise Invalid("That is the event's current time: choose a new one.", "starts_local")
    event.starts_at, event.ends_at = starts_at, ends_at
    if event.registration_closes_at and event.registration_closes_at > starts_at:
        event.registration_closes_at = starts_at
    event.updated_at = utcnow()
    event.sequence += 1
    # The reminders are due again, for the new date.
    session.execute(
        update(Registration)
        .where(Registration.event_id == event.id)
        .values(reminded_day_before_at=None, reminded_hour_before_at=None)
    )
    session.flush()
    return registrants_to_tell(session, event)


def duplicate_event(session: Session, actor: Member, event: Event) -> Event:
    """A draft copy of `event` (same texts, times, capacity, topics, hosts and
    questions; no registrations) for the coordinator to adjust and publish."""
    require_coordinator(actor)
    title = f"{event.title} (copy)"[:TITLE_MAX]
    copy = Event(
        slug=_unique_slug(session, title),
        title=title,
        event_type=event.event_type,
        description=event.description,
        description_html=event.description_html,
        is_public=event.is_public,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        time_zone=event.time_zone,
        is_online=event.is_online,
        location=event.location,
        join_url=event.join_url,
        capacity=event.capacity,
        waitlist_enabled=event.waitlist_enabled,
        registration_opens_at=event.registration_opens_at,
        registration_closes_at=event.registration_closes_at,
        created_by_id=actor.id,
    )
    copy.topics = list(event.topics)
    copy.hosts = list(event.hosts)
    copy.questions = [
        EventQuestion(
            position=q.position,
            kind=q.kind,
            prompt=q.prompt,
            required=q.required,
            choices=list(q.choices),
        )
        for q in event.questions
    ]
    session.add(copy)
    session.flush()
    return copy
