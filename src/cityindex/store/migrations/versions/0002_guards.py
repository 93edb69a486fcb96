"""Database guards: revisions are append-only; data points of frozen/published editions are immutable.

The library checks both rules itself; these triggers make the database refuse a violation even
from other tools (a SQL console, a script).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LOCKED = "('frozen', 'published')"

SQLITE = [
    "CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions "
    "BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END",
    "CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions "
    "BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END",
    "CREATE TRIGGER datapoints_locked_insert BEFORE INSERT ON datapoints "
    f"WHEN (SELECT status FROM editions WHERE id = NEW.edition_id) IN {LOCKED} "
    "BEGIN SELECT RAISE(ABORT, 'the edition is frozen or published'); END",
    "CREATE TRIGGER datapoints_locked_update BEFORE UPDATE ON datapoints "
    f"WHEN (SELECT status FROM editions WHERE id = OLD.edition_id) IN {LOCKED} "
    "BEGIN SELECT RAISE(ABORT, 'the edition is frozen or published'); END",
    "CREATE TRIGGER datapoints_locked_delete BEFORE DELETE ON datapoints "
    f"WHEN (SELECT status FROM editions WHERE id = OLD.edition_id) IN {LOCKED} "
    "BEGIN SELECT RAISE(ABORT, 'the edition is frozen or published'); END",
]

POSTGRES = [
    """CREATE FUNCTION cityindex_revisions_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'revisions are append-only'; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER revisions_append_only BEFORE UPDATE OR DELETE ON revisions "
    "FOR EACH ROW EXECUTE FUNCTION cityindex_revisions_append_only()",
    f"""CREATE FUNCTION cityindex_datapoints_locked() RETURNS trigger AS $$
    DECLARE edition_status text;
    BEGIN
        SELECT status INTO edition_status FROM editions
         WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.edition_id ELSE OLD.edition_id END;
        IF edition_status IN {LOCKED} THEN
            RAISE EXCEPTION 'the edition is frozen or published';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER datapoints_locked BEFORE INSERT OR UPDATE OR DELETE ON datapoints "
    "FOR EACH ROW EXECUTE FUNCTION cityindex_datapoints_locked()",
]

DROP_SQLITE = ["revisions_no_update", "revisions_no_delete", "datapoints_locked_insert",
               "datapoints_locked_update", "datapoints_locked_delete"]


def upgrade() -> None:
    statements = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER datapoints_locked ON datapoints")
        op.execute("DROP TRIGGER revisions_append_only ON revisions")
        op.execute("DROP FUNCTION cityindex_datapoints_locked()")
        op.execute("DROP FUNCTION cityindex_revisions_append_only()")
    else:
        for name in DROP_SQLITE:
            op.execute(f"DROP TRIGGER {name}")
