"""The review round: campaigns, per-city state, items, message threads, uploads and the review log.

The review log (``review_events``) is append-only: triggers refuse UPDATE and DELETE on both
databases, as 0002 does for revisions. ``revisions.review_item_id`` links a revision to the
review item that caused it (a plain ``ADD COLUMN``, so the triggers of 0002 stay).
Needs nothing of 0006 (accounts) but comes after it; self-contained otherwise.

Revision ID: 0010
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None

SQLITE = [
    f"CREATE TRIGGER review_events_no_{verb.lower()} BEFORE {verb} ON review_events "
    "BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]

POSTGRES = [
    """CREATE FUNCTION cityindex_review_log_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the review log is append-only'; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER review_events_append_only BEFORE UPDATE OR DELETE ON review_events "
    "FOR EACH ROW EXECUTE FUNCTION cityindex_review_log_append_only()",
    "CREATE TRIGGER review_events_no_truncate BEFORE TRUNCATE ON review_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION cityindex_review_log_append_only()",
]


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _who(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=254), nullable=nullable)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "review_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        _at("opened_at"), _who("opened_by"), _at("closed_at", True), _who("closed_by", True),
        sa.ForeignKeyConstraint(["edition_id"], ["editions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("edition_id"),
    )
    op.create_table(
        "review_cities",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("city_ags", sa.String(length=8), nullable=False),
        _at("started_at"), _at("submitted_at", True), _who("submitted_by", True),
        sa.ForeignKeyConstraint(["campaign_id"], ["review_campaigns.id"]),
        sa.PrimaryKeyConstraint("campaign_id", "city_ags"),
    )
    op.create_table(
        "review_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("city_ags", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        _who("uploaded_by"), _at("uploaded_at"),
        sa.ForeignKeyConstraint(["campaign_id"], ["review_campaigns.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("city_ags", sa.String(length=8), nullable=False),
        sa.Column("parameter", sa.String(length=80), nullable=False),
        sa.Column("datapoint_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        _text("base_value"), _text("proposed_value"),
        sa.Column("proposed_num", sa.Float(), nullable=True),
        _text("evidence_url"),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        _text("comment"), _at("updated_at"), _who("updated_by"), _at("decided_at", True), _who("decided_by", True),
        _text("decision_reason"),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["review_campaigns.id"]),
        sa.ForeignKeyConstraint(["datapoint_id"], ["datapoints.id"]),
        sa.ForeignKeyConstraint(["upload_id"], ["review_uploads.id"]),
        sa.ForeignKeyConstraint(["revision_id"], ["revisions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "city_ags", "parameter", name="uq_review_item"),
    )
    op.create_index("ix_review_items_state", "review_items", ["campaign_id", "state"])
    op.create_table(
        "review_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=4), nullable=False),
        _who("author"), _text("body", False), _at("at"),
        sa.ForeignKeyConstraint(["item_id"], ["review_items.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_messages_item", "review_messages", ["item_id"])
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        _at("at"), _who("actor"),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("city_ags", sa.String(length=8), nullable=True),
        sa.Column("parameter", sa.String(length=80), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        _text("old_value"), _text("new_value"), _text("detail"),
        sa.ForeignKeyConstraint(["campaign_id"], ["review_campaigns.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_events_campaign", "review_events", ["campaign_id", "at"])
    op.add_column("revisions", sa.Column("review_item_id", sa.Integer(), nullable=True))
    for statement in POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER review_events_no_truncate ON review_events")
        op.execute("DROP TRIGGER review_events_append_only ON review_events")
        op.execute("DROP FUNCTION cityindex_review_log_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER review_events_no_{verb}")
    op.drop_column("revisions", "review_item_id")
    for table in ("review_events", "review_messages", "review_items", "review_uploads", "review_cities",
                  "review_campaigns"):
        op.drop_table(table)
