"""Threads (a question), posts (its answers) and the votes members give answers."""

from datetime import datetime

from sqlalchemy import (
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

thread_topic = Table(
    "thread_topic",
    Base.metadata,
    Column("thread_id", ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    # The list filters threads by topic: look up by topic first.
    Index("ix_thread_topic_topic_id_thread_id", "topic_id", "thread_id"),
)


class Thread(Base):
    """A question a member asked, with counters the services keep up to date."""

    __tablename__ = "thread"
    __table_args__ = (
        CheckConstraint("answer_count >= 0", name="answer_count_not_negative"),
        CheckConstraint("vote_count >= 0", name="vote_count_not_negative"),
        # One index per sort of the list; pinned threads come first in each.
        Index("ix_thread_pinned_last_activity_at", "pinned", "last_activity_at"),
        Index("ix_thread_pinned_created_at", "pinned", "created_at"),
        Index("ix_thread_pinned_vote_count", "pinned", "vote_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer_count: Mapped[int] = mapped_column(default=0)
    # The votes the thread's answers hold between them.
    vote_count: Mapped[int] = mapped_column(default=0)
    # The thread and its posts point at each other: this key is added after both tables.
    accepted_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="SET NULL", use_alter=True)
    )
    pinned: Mapped[bool] = mapped_column(default=False)

    author: Mapped[Member] = relationship(lazy="raise")
    city: Mapped[City | None] = relationship(lazy="raise")
    topics: Mapped[list[Topic]] = relationship(
        secondary=thread_topic, order_by=Topic.name, lazy="raise"
    )

    @property
    def is_answered(self) -> bool:
        return self.accepted_post_id is not None

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.slug}>"


class Post(Base):
    """An answer to a thread's question."""

    __tablename__ = "post"
    __table_args__ = (
        CheckConstraint("vote_count >= 0", name="vote_count_not_negative"),
        Index("ix_post_thread_id_created_at", "thread_id", "created_at"),
        Index("ix_post_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Removed by its author: the thread still shows where it was.
    deleted_at: Mapped[datetime | None]
    vote_count: Mapped[int] = mapped_column(default=0)

    thread: Mapped[Thread] = relationship(lazy="raise", foreign_keys=[thread_id])
    author: Mapped[Member] = relationship(lazy="raise")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Post {self.id} in thread {self.thread_id}>"


class Vote(Base):
    """One member's vote for one answer; the unique key refuses a second."""

    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("post_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
