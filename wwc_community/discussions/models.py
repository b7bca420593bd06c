"""Threads (a question), posts (its answers and the comments under them), votes, edit
history, follows, read marks, flags and the moderation log."""

import enum
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
        # Counting a topic's unanswered threads checks each thread's answer count: read
        # from this index, not from the wide thread row (8 ms to 2 ms at 9,000 threads).
        Index("ix_thread_answer_count_id", "answer_count", "id"),
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
    # Indexed: removing a post sets this to NULL wherever it points at the post.
    accepted_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="SET NULL", use_alter=True), index=True
    )
    pinned: Mapped[bool] = mapped_column(default=False)
    # The question's last edit; earlier versions are kept as PostRevision rows.
    edited_at: Mapped[datetime | None]
    # A locked thread takes no new answers or comments.
    locked_at: Mapped[datetime | None]
    # Closed as a duplicate: the notice on the page links the original.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="SET NULL"), index=True
    )
    closed_at: Mapped[datetime | None]
    # A question asked about a library entry (shown on the entry's page).
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice.id", ondelete="SET NULL"), index=True
    )

    author: Mapped[Member] = relationship(lazy="raise")
    city: Mapped[City | None] = relationship(lazy="raise")
    duplicate_of: Mapped["Thread | None"] = relationship(
        remote_side=[id], foreign_keys=[duplicate_of_id], lazy="raise"
    )
    topics: Mapped[list[Topic]] = relationship(
        secondary=thread_topic, order_by=Topic.name, lazy="raise"
    )

    @property
    def is_answered(self) -> bool:
        return self.accepted_post_id is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.slug}>"


class Post(Base):
    """An answer to a thread's question, or a comment under one (`parent_id` set)."""

    __tablename__ = "post"
    __table_args__ = (
        CheckConstraint("vote_count >= 0", name="vote_count_not_negative"),
        Index("ix_post_thread_id_created_at", "thread_id", "created_at"),
        Index("ix_post_author_id_created_at", "author_id", "created_at"),
        Index("ix_post_parent_id_created_at", "parent_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    # The answer a comment sits under; answers have none (comments go one level deep).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Removed by its author: the thread still shows where it was.
    deleted_at: Mapped[datetime | None]
    # Hidden by a moderator: other members see that something was hidden, not what.
    hidden_at: Mapped[datetime | None]
    vote_count: Mapped[int] = mapped_column(default=0)

    thread: Mapped[Thread] = relationship(lazy="raise", foreign_keys=[thread_id])
    author: Mapped[Member] = relationship(lazy="raise")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_comment(self) -> bool:
        return self.parent_id is not None

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


class PostRevision(Base):
    """An earlier version of a question (`post_id` empty) or of a post, kept at each edit."""

    __tablename__ = "post_revision"
    __table_args__ = (
        Index(
            "ix_post_revision_thread_id_post_id_created_at", "thread_id", "post_id", "created_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    # Who wrote this version (the author, or whoever edited it into this state).
    editor_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    # Questions only: the title as it was.
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # When this version was written (not when it was replaced).
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[Member] = relationship(lazy="raise")


class ThreadFollow(Base):
    """A member follows a thread: new answers and comments reach their notifications."""

    __tablename__ = "thread_follow"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicFollow(Base):
    """A member follows a topic: new questions on it reach their notifications."""

    __tablename__ = "topic_follow"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadReading(Base):
    """How far a member has read a thread, for the "first unread" link."""

    __tablename__ = "thread_reading"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_at: Mapped[datetime] = mapped_column(default=utcnow)


class FlagReason(enum.StrEnum):
    """Why a member flags a post."""

    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    DISRESPECTFUL = "disrespectful"
    PRIVATE_DATA = "private_data"
    OTHER = "other"


class Flag(Base):
    """A member asks coordinators to look at a question (`post_id` empty) or a post.
    Only coordinators and the member who flagged see it."""

    __tablename__ = "flag"
    __table_args__ = (Index("ix_flag_resolved_at_created_at", "resolved_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20), default=FlagReason.OTHER)
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    # What the coordinator did: "hidden" or "dismissed".
    resolution: Mapped[str] = mapped_column(String(20), default="")

    thread: Mapped[Thread] = relationship(lazy="raise")
    post: Mapped[Post | None] = relationship(lazy="raise")
    reporter: Mapped[Member] = relationship(lazy="raise", foreign_keys=[reporter_id])
    resolved_by: Mapped[Member | None] = relationship(lazy="raise", foreign_keys=[resolved_by_id])


class ModerationEntry(Base):
    """One moderator action on a thread or post: who, what, when and why."""

    __tablename__ = "moderation_entry"
    __table_args__ = (Index("ix_moderation_entry_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    # A short verb: hide_post, restore_post, lock, unlock, pin, unpin, move_topics,
    # close_duplicate, reopen, dismiss_flag.
    action: Mapped[str] = mapped_column(String(30))
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="SET NULL"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # What changed, in words (for example the topics before and after a move).
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moderator: Mapped[Member | None] = relationship(lazy="raise")
    thread: Mapped[Thread | None] = relationship(lazy="raise")
