"""Reports stored with a Result when its edition is published: statistical audit, rank uncertainty.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "result_reports",
        sa.Column("result_id", sa.Integer(), sa.ForeignKey("results.id"), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("result_reports")
