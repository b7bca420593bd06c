"""Scale: an index that counts unanswered threads without reading their rows

Revision ID: 0009_scale
Revises: 0008_certification
Create Date: 2026-12-03 16:20:00.000000

"""

from alembic import op

revision = "0009_scale"
down_revision = "0008_certification"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.create_index("ix_thread_answer_count_id", ["answer_count", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.drop_index("ix_thread_answer_count_id")
