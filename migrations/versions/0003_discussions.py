"""Discussions: threads, their answers, and votes

Revision ID: 0003_discussions
Revises: 0002_profiles
Create Date: 2026-11-28 17:20:00

"""

import sqlalchemy as sa
from alembic import op

import wwc_community.core.database  # noqa: F401 - custom column types in revisions

revision = "0003_discussions"
down_revision = "0002_profiles"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(
        name, wwc_community.core.database.UTCDateTime(timezone=True), nullable=nullable
    )


def upgrade():
    op.create_table(
        "thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("last_activity_at"),
        sa.Column("answer_count", sa.Integer(), nullable=False),
        sa.Column("vote_count", sa.Integer(), nullable=False),
        sa.Column("accepted_post_id", sa.Integer(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.CheckConstraint("answer_count >= 0", name=op.f("ck_thread_answer_count_not_negative")),
        sa.CheckConstraint("vote_count >= 0", name=op.f("ck_thread_vote_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["member.id"], name=op.f("fk_thread_author_id_member")
        ),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"], name=op.f("fk_thread_city_id_city")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread")),
    )
    op.create_index("ix_thread_author_id", "thread", ["author_id"])
    op.create_index("ix_thread_city_id", "thread", ["city_id"])
    op.create_index("ix_thread_pinned_last_activity_at", "thread", ["pinned", "last_activity_at"])
    op.create_index("ix_thread_pinned_created_at", "thread", ["pinned", "created_at"])
    op.create_index("ix_thread_pinned_vote_count", "thread", ["pinned", "vote_count"])

    op.create_table(
        "thread_topic",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_thread_topic_thread_id_thread"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_thread_topic_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("thread_id", "topic_id", name=op.f("pk_thread_topic")),
    )
    op.create_index("ix_thread_topic_topic_id_thread_id", "thread_topic", ["topic_id", "thread_id"])

    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("edited_at", nullable=True),
        _timestamp("deleted_at", nullable=True),
        sa.Column("vote_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("vote_count >= 0", name=op.f("ck_post_vote_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["member.id"], name=op.f("fk_post_author_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["thread.id"], name=op.f("fk_post_thread_id_thread"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
    )
    op.create_index("ix_post_thread_id_created_at", "post", ["thread_id", "created_at"])
    op.create_index("ix_post_author_id_created_at", "post", ["author_id", "created_at"])

    # The thread and its posts point at each other, so this key waits for both tables.
    with op.batch_alter_table("thread") as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_thread_accepted_post_id_post"),
            "post",
            ["accepted_post_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_vote_member_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_vote_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote")),
        sa.UniqueConstraint("post_id", "member_id", name=op.f("uq_vote_post_id")),
    )
    op.create_index("ix_vote_member_id", "vote", ["member_id"])


def downgrade():
    op.drop_index("ix_vote_member_id", table_name="vote")
    op.drop_table("vote")
    with op.batch_alter_table("thread") as batch_op:
        batch_op.drop_constraint(op.f("fk_thread_accepted_post_id_post"), type_="foreignkey")
    op.drop_index("ix_post_author_id_created_at", table_name="post")
    op.drop_index("ix_post_thread_id_created_at", table_name="post")
    op.drop_table("post")
    op.drop_index("ix_thread_topic_topic_id_thread_id", table_name="thread_topic")
    op.drop_table("thread_topic")
    op.drop_index("ix_thread_pinned_vote_count", table_name="thread")
    op.drop_index("ix_thread_pinned_created_at", table_name="thread")
    op.drop_index("ix_thread_pinned_last_activity_at", table_name="thread")
    op.drop_index("ix_thread_city_id", table_name="thread")
    op.drop_index("ix_thread_author_id", table_name="thread")
    op.drop_table("thread")
