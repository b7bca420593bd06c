"""The search outbox: one row per change to a searchable document, written in the same
transaction as the change, so the index can always catch up with the database."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from wwc_community.core.database import Base, utcnow


class SearchOutbox(Base):
    """("thread", 12) changed: the indexer rebuilds that document from the database."""

    __tablename__ = "search_outbox"
    # AUTOINCREMENT: SQLite must never hand out an id again once pruning deleted it, or
    # a new row could fall below the index's high-water mark and be skipped.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchOutbox {self.id} {self.kind}:{self.object_id}>"
