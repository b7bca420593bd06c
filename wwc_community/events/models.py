"""Events that coordinators run (webinars, workshops, convenings, office hours, cohort
sessions), their registration questions, and members' registrations: confirmed, on the
waitlist in order, or cancelled.

Seats are counted on the event itself (`seats_taken`), changed only by the services'
conditional updates, and the schema refuses a count above the capacity
(DESIGN.md: never overbook)."""

import enum
import secrets
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wwc_community.accounts.models import Member
from wwc_community.core.database import Base, utcnow
from wwc_community.directory.models import Topic


class EventType(enum.StrEnum):
    WEBINAR = "webinar"
    WORKSHOP = "workshop"
    CONVENING = "convening"
    OFFICE_HOURS = "office_hours"
    COHORT_SESSION = "cohort_session"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    ONE_CHOICE = "one_choice"
    SEVERAL_CHOICES = "several_choices"
    YES_NO = "yes_no"


def new_event_uid() -> str:
    """The calendar UID's random part: stable for the event's life (RFC 5545)."""
    return secrets.token_hex(12)


event_topic = Table(
    "event_topic",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_event_topic_topic_id_event_id", "topic_id", "event_id"),
)

event_host = Table(
    "event_host",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
)


class Event(Base):
    """One event. Times are stored in UTC; `time_zone` (an IANA name) is where the event
    happens, and what its page and calendar entry show."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        # The list: published events by start, upcoming or past.
        Index("ix_event_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_event_uid)
    title: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(20), default=EventType.WEBINAR)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=EventStatus.DRAFT)
    # Visitors see public events; members-only events are listed for members alone.
    is_public: Mapped[bool] = mapped_column(default=False)

    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    time_zone: Mapped[str] = mapped_column(String(64))
    is_online: Mapped[bool] = mapped_column(default=True)
    location: Mapped[str] = mapped_column(String(300), default="")
    # Shown only to confirmed registrants (page and confirmation e-mail).
    join_url: Mapped[str] = mapped_column(String(500), default="")

    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    # Hands out waitlist places in order, under the event row's lock.
    queue_counter: Mapped[int] = mapped_column(default=0)
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]

    # Raised on every change a calendar should pick up (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    created_by: Mapped[Member | None] = relationship(lazy="raise")
    topics: Mapped[list[Topic]] = relationship(
        secondary=event_topic, order_by=Topic.name, lazy="raise"
    )
    hosts: Mapped[list[Member]] = relationship(
        secondary=event_host, order_by=Member.display_name, lazy="raise"
    )
    questions: Mapped[list["EventQuestion"]] = relationship(
        order_by="EventQuestion.position",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="event",
    )

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.slug} {self.status}>"


class EventQuestion(Base):
    """A question the coordinator asks at registration (up to five per event)."""

    __tablename__ = "event_question"
    __table_args__ = (UniqueConstraint("event_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20), default=QuestionKind.SHORT_TEXT)
    prompt: Mapped[str] = mapped_column(String(300))
    required: Mapped[bool] = mapped_column(default=False)
    # The options of a choice question, in order.
    choices: Mapped[list] = mapped_column(JSON, default=list)

    event: Mapped[Event] = relationship(lazy="raise", back_populates="questions")


class Registration(Base):
    """A member's place at an event. One row per member and event: registering again
    after cancelling reuses it, with a new place in the queue."""

    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id"),
        # The waitlist in order, and each status's list for the coordinator.
        Index("ix_registration_event_id_status_queue_number", "event_id", "status", "queue_number"),
        Index("ix_registration_member_id_status", "member_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    # The place in line, from the event's queue_counter: the waitlist's order.
    queue_number: Mapped[int]
    # Question id (as text) to the answer: a string, or a list for several choices.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    attended_at: Mapped[datetime | None]
    reminded_day_before_at: Mapped[datetime | None]
    reminded_hour_before_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship(lazy="raise")
    member: Mapped[Member] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Registration {self.id} event={self.event_id} {self.status}>"
