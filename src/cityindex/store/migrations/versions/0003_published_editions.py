"""Published editions: the bundled Bitkom editions and their rows, append-only revisions.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("published_editions", "published_rows")

SQLITE = [
    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'published editions are append-only'); END"
    for table in TABLES for verb in ("UPDATE", "DELETE")
]

POSTGRES = [
    """CREATE FUNCTION cityindex_published_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'published editions are append-only'; END $$ LANGUAGE plpgsql""",
    *(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
      "FOR EACH ROW EXECUTE FUNCTION cityindex_published_append_only()" for table in TABLES),
]


def upgrade() -> None:
    op.create_table(
        "published_editions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("n_cities", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "revision", name="uq_published_edition"),
    )
    op.create_table(
        "published_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("published_edition_id", sa.Integer(), nullable=False),
        sa.Column("city_ags", sa.String(length=8), nullable=False),
        sa.Column("city_name", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=True),
        sa.Column("table_letter", sa.String(length=8), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("rank_change", sa.Integer(), nullable=True),
        sa.Column("rank_source", sa.Text(), nullable=True),
        sa.Column("score_source", sa.Text(), nullable=True),
        sa.Column("rank_change_source", sa.Text(), nullable=True),
        sa.Column("sources", sa.Text(), nullable=True),
        sa.CheckConstraint("(scope IS NULL) <> (table_letter IS NULL)", name="ck_published_rows_scope_or_table"),
        sa.ForeignKeyConstraint(["published_edition_id"], ["published_editions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_published_rows_edition", "published_rows", ["published_edition_id", "scope"])
    statements = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION cityindex_published_append_only()")
    else:
        for table in TABLES:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")
    op.drop_index("ix_published_rows_edition", table_name="published_rows")
    op.drop_table("published_rows")
    op.drop_table("published_editions")
