"""Members and the single-use tokens mailed to them."""

import enum
import hashlib
import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wwc_community.core.database import Base, utcnow
from wwc_community.directory.models import City, Organisation, Topic, member_expertise


class Role(enum.StrEnum):
    """What a member may do; each role can do everything the ones before it can."""

    PRACTITIONER = "practitioner"
    PARTNER = "partner"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    @property
    def label(self) -> str:
        return self.value.title()


class MemberStatus(enum.StrEnum):
    """Where a member's account stands."""

    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"
    SUSPENDED = "suspended"
    DELETED = "deleted"

    @property
    def label(self) -> str:
        return self.value.title()


class TokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    CHANGE_EMAIL = "change_email"


class EmailFrequency(enum.StrEnum):
    """How often a member wants e-mail about activity they follow."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {
            EmailFrequency.IMMEDIATELY: "As it happens",
            EmailFrequency.DAILY: "A daily digest",
            EmailFrequency.NEVER: "Never",
        }[self]


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_calendar_key() -> str:
    return secrets.token_hex(16)


class Member(Base):
    """A person with an account: city staff, partner staff, coordinators and admins."""

    __tablename__ = "member"
    __table_args__ = (
        CheckConstraint(
            "role IN ('practitioner', 'partner', 'coordinator', 'admin')", name="role_known"
        ),
        CheckConstraint(
            "status IN ('pending', 'active', 'declined', 'suspended', 'deleted')",
            name="status_known",
        ),
        CheckConstraint(
            "email_notifications IN ('immediately', 'daily', 'never')",
            name="email_notifications_known",
        ),
        CheckConstraint("city_id IS NULL OR organisation_id IS NULL", name="one_affiliation"),
        Index("ix_member_status_created_at", "status", "created_at"),
        Index("ix_member_status_display_name", "status", "display_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # A new address waits here until its owner follows the link mailed to it.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    department: Mapped[str] = mapped_column(String(120), default="")
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.PRACTITIONER)
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.PENDING)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Rotated on sign-out and password change, which ends every session at once.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    email_verified_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    email_notifications: Mapped[str] = mapped_column(String(16), default=EmailFrequency.DAILY)
    # An IANA name ("America/Chicago"); empty: show events in their own time zone.
    time_zone: Mapped[str] = mapped_column(String(64), default="")
    # Part of the signed address of the member's calendar feed; replacing it (resetting
    # the address) makes every old address stop working.
    calendar_key: Mapped[str] = mapped_column(String(32), default=new_calendar_key)
    deleted_at: Mapped[datetime | None]
    last_signed_in_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City | None] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    expertise: Mapped[list[Topic]] = relationship(
        secondary=member_expertise, order_by=Topic.name, lazy="raise"
    )

    # Flask-Login's interface ------------------------------------------------------------

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        """Suspended and declined members can sign in to nothing."""
        return self.status in (MemberStatus.ACTIVE, MemberStatus.PENDING)

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session carries the token too, so rotating it signs every session out."""
        return f"{self.id}:{self.session_token}"

    # What the rest of the app asks -------------------------------------------------------

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_member(self) -> bool:
        """Approved, verified and not suspended: may see members-only pages."""
        return self.status == MemberStatus.ACTIVE and self.email_verified_at is not None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_role(self, role: Role) -> bool:
        """True when the member is active and holds `role` or a stronger one."""
        return self.is_member and self.role_enum.rank >= role.rank

    @property
    def affiliation_label(self) -> str:
        if self.city is not None:
            return self.city.label
        if self.organisation is not None:
            return self.organisation.name
        return ""

    @property
    def is_deleted(self) -> bool:
        return self.status == MemberStatus.DELETED

    @property
    def initials(self) -> str:
        """One or two letters for the avatar: "Dana Analyst" -> "DA"."""
        words = [word for word in self.display_name.split() if word[:1].isalnum()]
        letters = "".join(word[0] for word in words[:1] + words[1:][-1:])
        return (letters or "?").upper()

    @property
    def role_badge(self) -> str | None:
        """The badge a profile shows: partners, coordinators and admins stand out."""
        return None if self.role == Role.PRACTITIONER else self.role_enum.label

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.email}>"


class AccountToken(Base):
    """A single-use link mailed to a member: e-mail verification or password reset.

    Only the SHA-256 of the token is stored, so a copy of the database cannot be
    used to take over accounts.
    """

    __tablename__ = "account_token"
    __table_args__ = (
        CheckConstraint(
            "purpose IN ('verify_email', 'reset_password', 'change_email')", name="purpose_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship(lazy="joined")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
