"""A notification: something that happened that one member should hear about."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wwc_community.accounts.models import Member
from wwc_community.core.database import Base, utcnow


class Notification(Base):
    """One item in a member's notification list, with where it leads.

    Features write the sentence and the address when the event happens, so this
    package knows nothing of threads or events.
    """

    __tablename__ = "notification"
    __table_args__ = (
        # The header's unread count and the list, newest first.
        Index("ix_notification_member_id_read_at", "member_id", "read_at"),
        Index("ix_notification_member_id_created_at", "member_id", "created_at"),
        # The digest looks for what has not been e-mailed yet.
        Index("ix_notification_emailed_at_created_at", "emailed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    # answer, comment, mention, accepted, new_question, moderation, event...
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(300))
    # A site-relative address ("/discussions/12-slug#post-40").
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Set when the item went out by e-mail (at once or in a digest), so it never goes twice.
    emailed_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship(lazy="raise", foreign_keys=[member_id])
    actor: Mapped[Member | None] = relationship(lazy="raise", foreign_keys=[actor_id])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
