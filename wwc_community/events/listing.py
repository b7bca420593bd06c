"""What the event list shows: upcoming events (this week, then later) or past ones, as
the viewer may see them, narrowed by topic, type and format, with the viewer's own
registrations in one more query."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Member, Role
from wwc_community.core.database import utcnow
from wwc_community.directory.models import Topic
from wwc_community.events.models import (
    Event,
    EventStatus,
    EventType,
    Registration,
    RegistrationStatus,
    event_topic,
)

PER_PAGE = 20
FORMATS = {"online": "Online", "in_person": "In person"}


@dataclass(frozen=True)
class EventFilters:
    past: bool = False
    topic: Topic | None = None
    event_type: str | None = None
    format: str | None = None

    def args(self, **changes) -> dict[str, str]:
        values = {
            "when": "past" if self.past else None,
            "topic": self.topic.slug if self.topic else None,
            "type": self.event_type,
            "format": self.format,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value}

    @property
    def narrowed(self) -> bool:
        return bool(self.topic or self.event_type or self.format)


def read_filters(session: Session, args: Mapping[str, str]) -> EventFilters:
    """The filters in the address; a value that names nothing is ignored."""
    topic = None
    if args.get("topic"):
        topic = session.scalar(select(Topic).where(Topic.slug == args["topic"][:120]))
    event_type = args.get("type") if args.get("type") in set(EventType) else None
    return EventFilters(
        past=args.get("when") == "past",
        topic=topic,
        event_type=event_type,
        format=args.get("format") if args.get("format") in FORMATS else None,
    )


def visible_condition(viewer: Member | None):
    """Events the viewer may see in lists: coordinators every one; approved members
    published and cancelled ones; everyone else the public ones among those."""
    if viewer is not None and getattr(viewer, "is_member", False):
        if viewer.has_role(Role.COORDINATOR):
            return Event.id.is_not(None)
        return Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED])
    return Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]) & Event.is_public


def event_list_statement(viewer: Member | None, filters: EventFilters) -> Select:
    now = utcnow()
    statement = select(Event).options(selectinload(Event.topics)).where(visible_condition(viewer))
    if filters.past:
        statement = statement.where(Event.ends_at <= now).order_by(
            Event.starts_at.desc(), Event.id.desc()
        )
    else:
        statement = statement.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    if filters.topic is not None:
        statement = statement.where(
            Event.id.in_(
                select(event_topic.c.event_id).where(event_topic.c.topic_id == filters.topic.id)
            )
        )
    if filters.event_type:
        statement = statement.where(Event.event_type == filters.event_type)
    if filters.format:
        statement = statement.where(Event.is_online.is_(filters.format == "online"))
    return statement


def registrations_by_event(
    session: Session, viewer: Member | None, event_ids: list[int]
) -> dict[int, Registration]:
    """The viewer's live registrations (confirmed or waitlisted) among `event_ids`."""
    if viewer is None or not getattr(viewer, "is_member", False) or not event_ids:
        return {}
    rows = session.scalars(
        select(Registration).where(
            Registration.member_id == viewer.id,
            Registration.event_id.in_(event_ids),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    return {registration.event_id: registration for registration in rows}


def this_week(events: list[Event]) -> tuple[list[Event], list[Event]]:
    """Upcoming events split into those starting within seven days and the rest."""
    soon = utcnow() + timedelta(days=7)
    return (
        [event for event in events if event.starts_at < soon],
        [event for event in events if event.starts_at >= soon],
    )


def upcoming_events(
    session: Session, viewer: Member | None, *, topic: Topic | None = None, limit: int = 3
) -> list[Event]:
    """The next `limit` published events the viewer may see (on `topic`), soonest first;
    one query."""
    statement = (
        select(Event)
        .where(
            visible_condition(viewer),
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at > utcnow(),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    if topic is not None:
        statement = statement.where(
            Event.id.in_(select(event_topic.c.event_id).where(event_topic.c.topic_id == topic.id))
        )
    return list(session.scalars(statement))


def events_attended(session: Session, member: Member, limit: int = 10) -> list[Event]:
    """The events `member` was marked present at, latest first (one query)."""
    return list(
        session.scalars(
            select(Event)
            .join(Registration, Registration.event_id == Event.id)
            .where(
                Registration.member_id == member.id,
                Registration.attended_at.is_not(None),
                Event.status == EventStatus.PUBLISHED,
            )
            .order_by(Event.starts_at.desc())
            .limit(limit)
        )
    )
