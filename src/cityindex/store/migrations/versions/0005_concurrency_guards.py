"""Guards for concurrent writers and for finished editions.

* ``(datapoint_id, revision)`` is unique: two writers can never record the same revision twice.
* An edition's status moves only draft ⇄ review → frozen → published; a frozen edition changes
  nothing but its status (to published), a published edition nothing at all, and neither can be
  deleted.
* A published edition's stored results (``results``, ``result_tables``, ``result_scores``) can be
  neither added to, changed nor deleted.

The library checks all of this itself; the triggers make the database refuse a violation from a
SQL console or another tool as well. A store whose history already holds duplicate revisions
(written by an older cityindex under concurrent imports) is not migrated: the error names the
number of affected data points.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MOVES = ("('draft','draft')", "('review','review')", "('draft','review')", "('review','draft')",
         "('draft','frozen')", "('review','frozen')", "('frozen','frozen')", "('frozen','published')")
FIXED = ("key", "title", "methodology_yaml", "methodology_version", "methodology_hash", "previous_key",
         "revision_of", "created_at", "created_by", "frozen_at")
EDITION_MESSAGE = "a frozen or published edition cannot go back or change"
RESULT_MESSAGE = "the results of a published edition cannot change"
RESULT_EDITION = "(SELECT e.status FROM results r JOIN editions e ON e.id = r.edition_id WHERE r.id = {row}.result_id)"
RESULT_TABLES = ("result_tables", "result_scores")


def _sqlite_move_refused() -> str:
    pairs = " OR ".join(f"(OLD.status, NEW.status) = {pair}" for pair in MOVES)
    fixed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FIXED)
    return (f"NOT ({pairs}) OR OLD.status = 'published' "
            f"OR (OLD.status = 'frozen' AND ({fixed}))")


SQLITE = [
    f"CREATE TRIGGER editions_status_guard BEFORE UPDATE ON editions WHEN {_sqlite_move_refused()} "
    f"BEGIN SELECT RAISE(ABORT, '{EDITION_MESSAGE}'); END",
    "CREATE TRIGGER editions_locked_delete BEFORE DELETE ON editions WHEN OLD.status IN ('frozen', 'published') "
    f"BEGIN SELECT RAISE(ABORT, '{EDITION_MESSAGE}'); END",
    *(f"CREATE TRIGGER results_published_{verb.lower()} BEFORE {verb} ON results "
      f"WHEN (SELECT status FROM editions WHERE id = {row}.edition_id) = 'published' "
      f"BEGIN SELECT RAISE(ABORT, '{RESULT_MESSAGE}'); END"
      for verb, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))),
    *(f"CREATE TRIGGER {table}_published_{verb.lower()} BEFORE {verb} ON {table} "
      f"WHEN {RESULT_EDITION.format(row=row)} = 'published' "
      f"BEGIN SELECT RAISE(ABORT, '{RESULT_MESSAGE}'); END"
      for table in RESULT_TABLES for verb, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))),
]
SQLITE_TRIGGERS = ["editions_status_guard", "editions_locked_delete",
                   *(f"{t}_published_{v}" for t in ("results", *RESULT_TABLES) for v in ("insert", "update", "delete"))]


def _postgres_move_refused() -> str:
    fixed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FIXED)
    return (f"(OLD.status, NEW.status) NOT IN ({', '.join(MOVES)}) OR OLD.status = 'published' "
            f"OR (OLD.status = 'frozen' AND ({fixed}))")


POSTGRES = [
    f"""CREATE FUNCTION cityindex_editions_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status IN ('frozen', 'published') THEN RAISE EXCEPTION '{EDITION_MESSAGE}'; END IF;
            RETURN OLD;
        END IF;
        IF {_postgres_move_refused()} THEN RAISE EXCEPTION '{EDITION_MESSAGE}'; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER editions_guard BEFORE UPDATE OR DELETE ON editions "
    "FOR EACH ROW EXECUTE FUNCTION cityindex_editions_guard()",
    f"""CREATE FUNCTION cityindex_results_guard() RETURNS trigger AS $$
    DECLARE edition_status text; result_row integer;
    BEGIN
        IF TG_TABLE_NAME = 'results' THEN
            SELECT status INTO edition_status FROM editions
             WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.edition_id ELSE OLD.edition_id END;
        ELSE
            result_row := CASE WHEN TG_OP = 'INSERT' THEN NEW.result_id ELSE OLD.result_id END;
            SELECT e.status INTO edition_status FROM results r JOIN editions e ON e.id = r.edition_id
             WHERE r.id = result_row;
        END IF;
        IF edition_status = 'published' THEN RAISE EXCEPTION '{RESULT_MESSAGE}'; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    *(f"CREATE TRIGGER {table}_published_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
      "FOR EACH ROW EXECUTE FUNCTION cityindex_results_guard()" for table in ("results", *RESULT_TABLES)),
]


def _refuse_duplicate_revisions() -> None:
    duplicates = op.get_bind().execute(sa.text(
        "SELECT COUNT(*) FROM (SELECT datapoint_id FROM revisions GROUP BY datapoint_id, revision "
        "HAVING COUNT(*) > 1) AS d")).scalar()
    if duplicates:
        from cityindex.store.faults import StoreError

        raise StoreError(f"The store's history holds {duplicates} duplicate revision number(s) (written by concurrent "
                         "imports of an older cityindex); migration 0005 cannot make revisions unique. Export the "
                         "editions, create a new store and import them there.")


def upgrade() -> None:
    _refuse_duplicate_revisions()
    op.create_index("uq_revisions_datapoint_revision", "revisions", ["datapoint_id", "revision"], unique=True)
    statements = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER editions_guard ON editions")
        for table in ("results", *RESULT_TABLES):
            op.execute(f"DROP TRIGGER {table}_published_guard ON {table}")
        op.execute("DROP FUNCTION cityindex_editions_guard()")
        op.execute("DROP FUNCTION cityindex_results_guard()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_index("uq_revisions_datapoint_revision", table_name="revisions")
