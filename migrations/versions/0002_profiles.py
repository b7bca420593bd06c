"""Profiles: handles, bios, expertise, e-mail preferences, account deletion

Revision ID: 0002_profiles
Revises: 0001_foundation
Create Date: 2026-11-28 16:32:10

"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

import wwc_community.core.database  # noqa: F401 - custom column types in revisions

revision = "0002_profiles"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

STATUSES = "'pending', 'active', 'declined', 'suspended'"
PURPOSES = "'verify_email', 'reset_password'"


def _handle_base(display_name: str) -> str:
    text = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:30] or "member"


def upgrade():
    op.create_table(
        "member_expertise",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_member_expertise_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_member_expertise_topic_id_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "topic_id", name=op.f("pk_member_expertise")),
    )
    op.create_index(
        "ix_member_expertise_topic_id_member_id", "member_expertise", ["topic_id", "member_id"]
    )

    with op.batch_alter_table("member") as batch_op:
        batch_op.add_column(sa.Column("pending_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("handle", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("bio", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("bio_html", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column(
                "email_notifications", sa.String(length=16), nullable=False, server_default="daily"
            )
        )
        batch_op.add_column(
            sa.Column(
                "deleted_at", wwc_community.core.database.UTCDateTime(timezone=True), nullable=True
            )
        )

    # Give every existing member a handle made from their name, numbered on a clash.
    connection = op.get_bind()
    member = sa.table(
        "member", sa.column("id", sa.Integer), sa.column("display_name"), sa.column("handle")
    )
    taken = set()
    for member_id, display_name in connection.execute(
        sa.select(member.c.id, member.c.display_name).order_by(member.c.id)
    ).all():
        base = _handle_base(display_name)
        handle, number = base, 2
        while handle in taken:
            handle, number = f"{base}-{number}", number + 1
        taken.add(handle)
        connection.execute(member.update().where(member.c.id == member_id).values(handle=handle))

    with op.batch_alter_table("member") as batch_op:
        batch_op.alter_column("handle", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(op.f("uq_member_handle"), ["handle"])
        batch_op.create_index("ix_member_status_display_name", ["status", "display_name"])
        batch_op.drop_constraint(op.f("ck_member_status_known"), type_="check")
        batch_op.create_check_constraint("status_known", f"status IN ({STATUSES}, 'deleted')")
        batch_op.create_check_constraint(
            "email_notifications_known", "email_notifications IN ('immediately', 'daily', 'never')"
        )
    with op.batch_alter_table("account_token") as batch_op:
        batch_op.drop_constraint(op.f("ck_account_token_purpose_known"), type_="check")
        batch_op.create_check_constraint(
            "purpose_known", f"purpose IN ({PURPOSES}, 'change_email')"
        )


def downgrade():
    op.execute("DELETE FROM account_token WHERE purpose = 'change_email'")
    with op.batch_alter_table("account_token") as batch_op:
        batch_op.drop_constraint(op.f("ck_account_token_purpose_known"), type_="check")
        batch_op.create_check_constraint("purpose_known", f"purpose IN ({PURPOSES})")
    op.execute("UPDATE member SET status = 'suspended' WHERE status = 'deleted'")
    with op.batch_alter_table("member") as batch_op:
        batch_op.drop_constraint(op.f("ck_member_email_notifications_known"), type_="check")
        batch_op.drop_constraint(op.f("ck_member_status_known"), type_="check")
        batch_op.create_check_constraint("status_known", f"status IN ({STATUSES})")
        batch_op.drop_index("ix_member_status_display_name")
        batch_op.drop_constraint(op.f("uq_member_handle"), type_="unique")
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("email_notifications")
        batch_op.drop_column("bio_html")
        batch_op.drop_column("bio")
        batch_op.drop_column("handle")
        batch_op.drop_column("pending_email")
    op.drop_index("ix_member_expertise_topic_id_member_id", table_name="member_expertise")
    op.drop_table("member_expertise")
