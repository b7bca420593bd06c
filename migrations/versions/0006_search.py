"""The search outbox: one row per change to a searchable document

Revision ID: 0006_search
Revises: 0005_library
Create Date: 2026-11-28 19:42:13

"""

from alembic import op
import sqlalchemy as sa

import wwc_community.core.database  # noqa: F401 - custom column types in revisions


revision = "0006_search"
down_revision = "0005_library"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outbox")),
        # SQLite must never reuse an id once pruning deleted it.
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table("search_outbox")
