"""The practice library: entries, evidence, versions, attachments, bookmarks, helpful marks, adaptations

Revision ID: 0005_library
Revises: 0004_conversation
Create Date: 2026-11-28 19:20:00

"""

from alembic import op
import sqlalchemy as sa

import wwc_community.core.database  # noqa: F401 - custom column types in revisions


revision = "0005_library"
down_revision = "0004_conversation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("intervention", sa.Text(), nullable=False),
        sa.Column("outcome_measure", sa.String(length=300), nullable=False),
        sa.Column("evaluation_design", sa.String(length=30), nullable=True),
        sa.Column("evidence_tier", sa.String(length=20), nullable=True),
        sa.Column("cost", sa.String(length=200), nullable=False),
        sa.Column("time_to_implement", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "edited_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "published_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "updated_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.Column(
            "featured_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("adaptation_count", sa.Integer(), nullable=False),
        sa.Column("helpful_count", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "adaptation_count >= 0", name=op.f("ck_practice_adaptation_count_not_negative")
        ),
        sa.CheckConstraint(
            "helpful_count >= 0", name=op.f("ck_practice_helpful_count_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["member.id"],
            name=op.f("fk_practice_created_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_practice_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice")),
        sa.UniqueConstraint("slug", name=op.f("uq_practice_slug")),
    )
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_evidence_tier"), ["evidence_tier"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "ix_practice_status_adaptation_count", ["status", "adaptation_count"], unique=False
        )
        batch_op.create_index(
            "ix_practice_status_featured_at", ["status", "featured_at"], unique=False
        )
        batch_op.create_index(
            "ix_practice_status_helpful_count", ["status", "helpful_count"], unique=False
        )
        batch_op.create_index(
            "ix_practice_status_published_at", ["status", "published_at"], unique=False
        )

    op.create_table(
        "adaptation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("changes_html", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("outcome_html", sa.Text(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(["city_id"], ["city.id"], name=op.f("fk_adaptation_city_id_city")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_adaptation_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_adaptation_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adaptation")),
        sa.UniqueConstraint("practice_id", "city_id", name=op.f("uq_adaptation_practice_id")),
    )
    with op.batch_alter_table("adaptation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_adaptation_city_id_updated_at", ["city_id", "updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_adaptation_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("extracted_text", sa.Text(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_attachment_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["member.id"],
            name=op.f("fk_attachment_uploaded_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachment_practice_id"), ["practice_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)

    op.create_table(
        "bookmark",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_bookmark_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_bookmark_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "practice_id", name=op.f("pk_bookmark")),
    )
    with op.batch_alter_table("bookmark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bookmark_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "helpful_mark",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["city_id"], ["city.id"], name=op.f("fk_helpful_mark_city_id_city"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_helpful_mark_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_helpful_mark_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "practice_id", name=op.f("pk_helpful_mark")),
    )
    with op.batch_alter_table("helpful_mark", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_helpful_mark_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "practice_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_link_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_link")),
    )
    with op.batch_alter_table("practice_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_link_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "practice_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("baseline_value", sa.String(length=40), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=True),
        sa.Column("result_value", sa.String(length=40), nullable=False),
        sa.Column("result_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_result_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_result")),
    )
    with op.batch_alter_table("practice_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_result_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "practice_topic",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_topic_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_practice_topic_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "topic_id", name=op.f("pk_practice_topic")),
    )
    with op.batch_alter_table("practice_topic", schema=None) as batch_op:
        batch_op.create_index(
            "ix_practice_topic_topic_id_practice_id", ["topic_id", "practice_id"], unique=False
        )

    op.create_table(
        "practice_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column(
            "published_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
            name=op.f("fk_practice_version_practice_id_practice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["member.id"],
            name=op.f("fk_practice_version_published_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_version")),
        sa.UniqueConstraint("practice_id", "number", name=op.f("uq_practice_version_practice_id")),
    )
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.add_column(sa.Column("practice_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_thread_practice_id"), ["practice_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_thread_practice_id_practice"),
            "practice",
            ["practice_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_thread_practice_id_practice"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_thread_practice_id"))
        batch_op.drop_column("practice_id")

    op.drop_table("practice_version")
    with op.batch_alter_table("practice_topic", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_topic_topic_id_practice_id")

    op.drop_table("practice_topic")
    with op.batch_alter_table("practice_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_result_practice_id"))

    op.drop_table("practice_result")
    with op.batch_alter_table("practice_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_link_practice_id"))

    op.drop_table("practice_link")
    with op.batch_alter_table("helpful_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpful_mark_practice_id"))

    op.drop_table("helpful_mark")
    with op.batch_alter_table("bookmark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bookmark_practice_id"))

    op.drop_table("bookmark")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_practice_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("adaptation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adaptation_practice_id"))
        batch_op.drop_index("ix_adaptation_city_id_updated_at")

    op.drop_table("adaptation")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_status_published_at")
        batch_op.drop_index("ix_practice_status_helpful_count")
        batch_op.drop_index("ix_practice_status_featured_at")
        batch_op.drop_index("ix_practice_status_adaptation_count")
        batch_op.drop_index(batch_op.f("ix_practice_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_practice_evidence_tier"))

    op.drop_table("practice")
