"""The Alembic migrations build exactly the schema the models describe, on both databases."""

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
        assert MigrationContext.configure(connection).get_current_revision() == "0001"
