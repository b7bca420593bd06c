"""Practices (library entries) with their evidence, results, links, attachments and
published versions, and what members do with them: bookmarks, helpful marks and the
"we adapted this" log."""

import enum
from datetime import date, datetime

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
from wwc_community.directory.models import City, Organisation, Topic


class PracticeKind(enum.StrEnum):
    GUIDE = "guide"
    CASE_STUDY = "case_study"
    TOOLKIT = "toolkit"
    POLICY_TEMPLATE = "policy_template"
    EVALUATION_REPORT = "evaluation_report"
    DATASET_STANDARD = "dataset_standard"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EvaluationDesign(enum.StrEnum):
    """How the practice's results were measured, strongest first."""

    RANDOMISED_TRIAL = "randomised_trial"
    QUASI_EXPERIMENTAL = "quasi_experimental"
    PRE_POST = "pre_post"
    DESCRIPTIVE = "descriptive"


class EvidenceTier(enum.StrEnum):
    """How much the evidence supports the claim that the practice caused the result.
    Derived from the evaluation design, never typed in."""

    STRONG = "strong"
    MODERATE = "moderate"
    PROMISING = "promising"
    EMERGING = "emerging"


class PracticeStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"


class AdaptationStatus(enum.StrEnum):
    PLANNING = "planning"
    PILOTING = "piloting"
    IN_PLACE = "in_place"


practice_topic = Table(
    "practice_topic",
    Base.metadata,
    Column("practice_id", ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_practice_topic_topic_id_practice_id", "topic_id", "practice_id"),
)


class Practice(Base):
    """A library entry. What the public page shows is the entry's current fields once it
    is published; each publication also keeps a PracticeVersion."""

    __tablename__ = "practice"
    __table_args__ = (
        CheckConstraint("adaptation_count >= 0", name="adaptation_count_not_negative"),
        CheckConstraint("helpful_count >= 0", name="helpful_count_not_negative"),
        # The list: published entries by each sort, featured first on the first page.
        Index("ix_practice_status_published_at", "status", "published_at"),
        Index("ix_practice_status_adaptation_count", "status", "adaptation_count"),
        Index("ix_practice_status_helpful_count", "status", "helpful_count"),
        Index("ix_practice_status_featured_at", "status", "featured_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default=PracticeKind.GUIDE)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # One or two plain sentences for the card and the top of the page.
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The evidence block.
    problem: Mapped[str] = mapped_column(Text, default="")
    intervention: Mapped[str] = mapped_column(Text, default="")
    outcome_measure: Mapped[str] = mapped_column(String(300), default="")
    evaluation_design: Mapped[str | None] = mapped_column(String(30))
    evidence_tier: Mapped[str | None] = mapped_column(String(20), index=True)
    cost: Mapped[str] = mapped_column(String(200), default="")
    time_to_implement: Mapped[str] = mapped_column(String(200), default="")

    status: Mapped[str] = mapped_column(String(16), default=PracticeStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Changes to the draft fields (before or between publications).
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    # First publication, and the latest one ("updated on").
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    # How many versions have been published.
    version_count: Mapped[int] = mapped_column(default=0)
    featured_at: Mapped[datetime | None]
    # Counters kept by the services with atomic updates.
    adaptation_count: Mapped[int] = mapped_column(default=0)
    helpful_count: Mapped[int] = mapped_column(default=0)

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    created_by: Mapped[Member | None] = relationship(lazy="raise")
    topics: Mapped[list[Topic]] = relationship(
        secondary=practice_topic, order_by=Topic.name, lazy="raise"
    )
    results: Mapped[list["PracticeResult"]] = relationship(
        order_by="PracticeResult.position",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="practice",
    )
    links: Mapped[list["PracticeLink"]] = relationship(
        order_by="PracticeLink.position",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="practice",
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        order_by="Attachment.id", cascade="all, delete-orphan", lazy="raise"
    )

    @property
    def is_published(self) -> bool:
        return self.status == PracticeStatus.PUBLISHED

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None

    def __repr__(self) -> str:
        return f"<Practice {self.id} {self.slug} {self.status}>"


class PracticeResult(Base):
    """One measured result: the baseline and the result, with dates and a unit."""

    __tablename__ = "practice_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    measure: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline_value: Mapped[str] = mapped_column(String(40), default="")
    baseline_date: Mapped[date | None]
    result_value: Mapped[str] = mapped_column(String(40), default="")
    result_date: Mapped[date | None]

    practice: Mapped[Practice] = relationship(back_populates="results", lazy="raise")


class PracticeLink(Base):
    """An external link from an entry (the original report, a dataset, a template)."""

    __tablename__ = "practice_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))

    practice: Mapped[Practice] = relationship(back_populates="links", lazy="raise")


class PracticeVersion(Base):
    """An entry as it was published: every field, kept whole so older versions can be
    opened after the entry changes."""

    __tablename__ = "practice_version"
    __table_args__ = (UniqueConstraint("practice_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    # Every other field as published (summary, body_html, evidence, results, links...).
    snapshot: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )

    published_by: Mapped[Member | None] = relationship(lazy="raise")


class Attachment(Base):
    """A file attached to an entry. The bytes live under the instance folder, named by
    their SHA-256, so the same file uploaded twice is stored once."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), index=True
    )
    # The name shown and offered on download, cleaned of paths and control characters.
    filename: Mapped[str] = mapped_column(String(200))
    # The type found in the content (application/pdf, text/csv...), never the name's.
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Words inside the file (PDF and text), for search.
    extracted_text: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Bookmark(Base):
    """A member saved an entry for later."""

    __tablename__ = "bookmark"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HelpfulMark(Base):
    """A member found an entry helpful (once). The member's city at that moment is kept,
    so helpfulness can be shown by population band."""

    __tablename__ = "helpful_mark"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Adaptation(Base):
    """A city's record that it adapted an entry: one per city and entry, kept up to date
    by that city's members."""

    __tablename__ = "adaptation"
    __table_args__ = (
        UniqueConstraint("practice_id", "city_id"),
        Index("ix_adaptation_city_id_updated_at", "city_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), index=True
    )
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id"))
    # Who recorded it last.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=AdaptationStatus.PLANNING)
    changes: Mapped[str] = mapped_column(Text, default="")
    changes_html: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    practice: Mapped[Practice] = relationship(lazy="raise")
    city: Mapped[City] = relationship(lazy="raise")
    member: Mapped[Member | None] = relationship(lazy="raise")
