"""The certification benchmark and cities' self-assessments against it.

A framework version holds practice areas, criteria (each with a checklist and how many
of its items meet it) and the level thresholds. Versions are never edited in place once
cities assess against them: a new version is loaded and activated, the old one retired,
and assessments stay with the version they were made against.

A city's assessment keeps one progress row per criterion it has touched. Each row is
saved on its own with a version number, so two members editing different criteria never
overwrite each other and the second of two saves of the same criterion is refused
(see services.save_progress). The count of criteria met is kept on the assessment and
changed by one relative UPDATE in the same transaction, and a snapshot is written each
time it changes: the dashboard's progress over time.

Threads, library entries and events carry criteria as tags (the tables at the end)."""

import enum
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
from wwc_community.directory.models import City, Topic


class FrameworkStatus(enum.StrEnum):
    # Loaded, not yet used: admins check it, then activate it.
    DRAFT = "draft"
    # The version cities assess against; at most one at a time.
    ACTIVE = "active"
    # Kept with its assessments; nobody starts a new one against it.
    RETIRED = "retired"


class ProgressStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EvidenceKind(enum.StrEnum):
    LINK = "link"
    PRACTICE = "practice"
    FILE = "file"


class Framework(Base):
    """One version of the benchmark. Thresholds are in tenths of a percent (510 is 51%),
    so that "exactly 51%" compares exactly: met * 1000 >= threshold * criteria."""

    __tablename__ = "certification_framework"
    __table_args__ = (
        CheckConstraint(
            "silver_per_mille > 0 AND silver_per_mille < gold_per_mille "
            "AND gold_per_mille < platinum_per_mille AND platinum_per_mille <= 1000",
            name="thresholds_increase",
        ),
        CheckConstraint("status IN ('draft', 'active', 'retired')", name="status_known"),
        # At most one active version: the one every new assessment uses.
        Index(
            "ix_certification_framework_one_active",
            "status",
            unique=True,
            sqlite_where=Column("status") == "active",
            postgresql_where=Column("status") == "active",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # A sample written for the project, to be replaced with the official text.
    is_sample: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default=FrameworkStatus.DRAFT)
    silver_per_mille: Mapped[int]
    gold_per_mille: Mapped[int]
    platinum_per_mille: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]

    areas: Mapped[list["PracticeArea"]] = relationship(
        order_by="PracticeArea.position",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="framework",
    )

    def __repr__(self) -> str:
        return f"<Framework {self.version} {self.status}>"


class PracticeArea(Base):
    """A foundational practice area (Open Data, Evaluations...), optionally linked to the
    topic of the same subject so its criteria meet the threads and events on it."""

    __tablename__ = "certification_area"
    __table_args__ = (
        UniqueConstraint("framework_id", "code", name="uq_certification_area_framework_id_code"),
        UniqueConstraint(
            "framework_id", "position", name="uq_certification_area_framework_id_position"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("certification_framework.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topic.id", ondelete="SET NULL"), index=True
    )

    framework: Mapped[Framework] = relationship(lazy="raise", back_populates="areas")
    topic: Mapped[Topic | None] = relationship(lazy="raise")
    criteria: Mapped[list["Criterion"]] = relationship(
        order_by="Criterion.position",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="area",
    )


class Criterion(Base):
    """One criterion: met when at least `items_required` of its checklist are ticked."""

    __tablename__ = "certification_criterion"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint("items_required >= 1", name="items_required_positive"),
        # Tags are shown by code across versions: DG1 of any version.
        Index("ix_certification_criterion_code", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("certification_framework.id", ondelete="CASCADE")
    )
    area_id: Mapped[int] = mapped_column(
        ForeignKey("certification_area.id", ondelete="CASCADE"), index=True
    )
    # The order across the whole framework, area by area.
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    evidence_expected: Mapped[str] = mapped_column(Text, default="")
    items_required: Mapped[int]

    area: Mapped[PracticeArea] = relationship(lazy="raise", back_populates="criteria")
    items: Mapped[list["ChecklistItem"]] = relationship(
        order_by="ChecklistItem.position",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="criterion",
    )

    def __repr__(self) -> str:
        return f"<Criterion {self.code}>"


class ChecklistItem(Base):
    __tablename__ = "certification_item"
    __table_args__ = (UniqueConstraint("criterion_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("certification_criterion.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(400))

    criterion: Mapped[Criterion] = relationship(lazy="raise", back_populates="items")


class Assessment(Base):
    """A city's self-assessment against one framework version."""

    __tablename__ = "certification_assessment"
    __table_args__ = (
        UniqueConstraint("city_id", "framework_id"),
        CheckConstraint("met_count >= 0", name="met_count_not_negative"),
        Index("ix_certification_assessment_framework_id", "framework_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"))
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("certification_framework.id", ondelete="CASCADE")
    )
    # Criteria met, changed only by relative updates in the saving transaction.
    met_count: Mapped[int] = mapped_column(default=0)
    # Whether other members may see which criteria the city met (never notes or evidence).
    shares_met_criteria: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City] = relationship(lazy="raise")
    framework: Mapped[Framework] = relationship(lazy="raise")


class CriterionProgress(Base):
    """Where a city stands on one criterion: the items ticked, the status they give,
    notes and evidence. `version` rises with every save (optimistic locking)."""

    __tablename__ = "certification_progress"
    __table_args__ = (
        UniqueConstraint("assessment_id", "criterion_id"),
        CheckConstraint("status IN ('not_started', 'in_progress', 'met')", name="status_known"),
        # Who met a criterion: the criterion page, the peers, the cohort's gaps.
        Index("ix_certification_progress_criterion_id_status", "criterion_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("certification_assessment.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("certification_criterion.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(12), default=ProgressStatus.NOT_STARTED)
    # Ids of the ticked checklist items, in checklist order.
    checked_item_ids: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it last became met: who to ask first about it.
    met_at: Mapped[datetime | None]

    assessment: Mapped[Assessment] = relationship(lazy="raise")
    criterion: Mapped[Criterion] = relationship(lazy="raise")
    updated_by: Mapped[Member | None] = relationship(lazy="raise")


class ProgressChange(Base):
    """One save of a criterion: who, when, and what it changed, in words."""

    __tablename__ = "certification_change"
    __table_args__ = (Index("ix_certification_change_progress_id_id", "progress_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(
        ForeignKey("certification_progress.id", ondelete="CASCADE")
    )
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(String(400))

    member: Mapped[Member | None] = relationship(lazy="raise")


class Evidence(Base):
    """A link, a library entry or a file that shows a criterion is met."""

    __tablename__ = "certification_evidence"
    __table_args__ = (
        CheckConstraint("kind IN ('link', 'practice', 'file')", name="kind_known"),
        Index("ix_certification_evidence_progress_id", "progress_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(
        ForeignKey("certification_progress.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice.id", ondelete="CASCADE"), index=True
    )
    # A file: stored by SHA-256 like library attachments, in its own folder.
    filename: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoreSnapshot(Base):
    """The score each time it changed: the dashboard's progress over time."""

    __tablename__ = "certification_snapshot"
    __table_args__ = (
        Index("ix_certification_snapshot_assessment_id_taken_at", "assessment_id", "taken_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("certification_assessment.id", ondelete="CASCADE")
    )
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    met_count: Mapped[int]
    criteria_count: Mapped[int]
    level: Mapped[str] = mapped_column(String(16))


def _tag_table(name: str, owner_table: str) -> Table:
    owner = f"{owner_table}_id"
    return Table(
        name,
        Base.metadata,
        Column(owner, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            "criterion_id",
            ForeignKey("certification_criterion.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Index(f"ix_{name}_criterion_id_{owner}", "criterion_id", owner),
    )


# Criteria tagged on threads, library entries and events.
thread_criterion = _tag_table("thread_criterion", "thread")
practice_criterion = _tag_table("practice_criterion", "practice")
event_criterion = _tag_table("event_criterion", "event")
