"""Discussions: edits, comments, follows, notifications and moderation

Revision ID: 0004_conversation
Revises: 0003_discussions
Create Date: 2026-11-28 18:20:00

"""

from alembic import op
import sqlalchemy as sa

import wwc_community.core.database  # noqa: F401 - custom column types in revisions


revision = "0004_conversation"
down_revision = "0003_discussions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("read_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "emailed_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["member.id"],
            name=op.f("fk_notification_actor_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_notification_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_emailed_at_created_at", ["emailed_at", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_notification_member_id_created_at", ["member_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_notification_member_id_read_at", ["member_id", "read_at"], unique=False
        )

    op.create_table(
        "topic_follow",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_topic_follow_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_topic_follow_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "topic_id", name=op.f("pk_topic_follow")),
    )
    with op.batch_alter_table("topic_follow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_topic_follow_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "thread_follow",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_thread_follow_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_thread_follow_thread_id_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "thread_id", name=op.f("pk_thread_follow")),
    )
    with op.batch_alter_table("thread_follow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_thread_follow_thread_id"), ["thread_id"], unique=False)

    op.create_table(
        "thread_reading",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column(
            "last_read_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_thread_reading_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_thread_reading_thread_id_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "thread_id", name=op.f("pk_thread_reading")),
    )
    op.create_table(
        "flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "resolved_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_flag_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["member.id"],
            name=op.f("fk_flag_reporter_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["member.id"],
            name=op.f("fk_flag_resolved_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["thread.id"], name=op.f("fk_flag_thread_id_thread"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag")),
    )
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.create_index(
            "ix_flag_resolved_at_created_at", ["resolved_at", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_flag_thread_id"), ["thread_id"], unique=False)

    op.create_table(
        "moderation_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["member.id"],
            name=op.f("fk_moderation_entry_moderator_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["post.id"],
            name=op.f("fk_moderation_entry_post_id_post"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_moderation_entry_thread_id_thread"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_entry")),
    )
    with op.batch_alter_table("moderation_entry", schema=None) as batch_op:
        batch_op.create_index("ix_moderation_entry_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_moderation_entry_thread_id"), ["thread_id"], unique=False
        )

    op.create_table(
        "post_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["member.id"], name=op.f("fk_post_revision_editor_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_post_revision_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_post_revision_thread_id_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_revision")),
    )
    with op.batch_alter_table("post_revision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_revision_thread_id_post_id_created_at",
            ["thread_id", "post_id", "created_at"],
            unique=False,
        )

    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "hidden_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(
            "ix_post_parent_id_created_at", ["parent_id", "created_at"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_post_parent_id_post"), "post", ["parent_id"], ["id"], ondelete="CASCADE"
        )

    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "edited_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "locked_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "closed_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_thread_duplicate_of_id_thread"),
            "thread",
            ["duplicate_of_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_thread_accepted_post_id", ["accepted_post_id"])
        batch_op.create_index("ix_thread_duplicate_of_id", ["duplicate_of_id"])


def downgrade():
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.drop_index("ix_thread_duplicate_of_id")
        batch_op.drop_index("ix_thread_accepted_post_id")
        batch_op.drop_constraint(batch_op.f("fk_thread_duplicate_of_id_thread"), type_="foreignkey")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("duplicate_of_id")
        batch_op.drop_column("locked_at")
        batch_op.drop_column("edited_at")

    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_post_parent_id_post"), type_="foreignkey")
        batch_op.drop_index("ix_post_parent_id_created_at")
        batch_op.drop_column("hidden_at")
        batch_op.drop_column("parent_id")

    with op.batch_alter_table("post_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_post_revision_thread_id_post_id_created_at")

    op.drop_table("post_revision")
    with op.batch_alter_table("moderation_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_entry_thread_id"))
        batch_op.drop_index("ix_moderation_entry_created_at")

    op.drop_table("moderation_entry")
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flag_thread_id"))
        batch_op.drop_index("ix_flag_resolved_at_created_at")

    op.drop_table("flag")
    op.drop_table("thread_reading")
    with op.batch_alter_table("thread_follow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_follow_thread_id"))

    op.drop_table("thread_follow")
    with op.batch_alter_table("topic_follow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topic_follow_topic_id"))

    op.drop_table("topic_follow")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_member_id_read_at")
        batch_op.drop_index("ix_notification_member_id_created_at")
        batch_op.drop_index("ix_notification_emailed_at_created_at")

    op.drop_table("notification")
