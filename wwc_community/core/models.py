"""The audit trail: who did what to whom, and when."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wwc_community.core.database import Base, utcnow


class AuditEntry(Base):
    """One administrative action, kept for admins to review."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("Member", lazy="raise")
