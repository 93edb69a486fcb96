"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from cityindex.store.db import upgrade
from cityindex.store.models import Base


def test_migrated_schema_matches_the_models(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrade_is_idempotent(store):
    upgrade(store)
    upgrade(store)
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0007"


def test_database_refuses_to_rewrite_history_or_change_a_frozen_edition(store):
    from pathlib import Path

    import pandas as pd
    import sqlalchemy as sa

    from cityindex.io.importer import import_frame
    from cityindex.store import create_edition, freeze_edition

    create_edition(store, "e", Path(__file__).parent.parent / "data" / "io" / "methodology.yaml")
    import_frame(store, pd.DataFrame({"city": ["Aachen"], "parameter": ["charging_points"], "value": [2.0]}),
                 edition="e", by="ana")
    for statement in ("UPDATE revisions SET new_value = '3'", "DELETE FROM revisions"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(sa.text(statement))
    freeze_edition(store, "e")
    for statement in ("UPDATE datapoints SET value_num = 3", "DELETE FROM datapoints"):
        with pytest.raises(sa.exc.DBAPIError, match="frozen or published"), store.engine.begin() as connection:
            connection.execute(sa.text(statement))
