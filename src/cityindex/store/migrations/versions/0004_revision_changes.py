"""Revisions keep every changed provenance field (unit, note, retrieval date …) with old and new value.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch table copy), so the append-only triggers of 0002 stay in place.
    op.add_column("revisions", sa.Column("changes", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("revisions", "changes")
