"""The store: SQLAlchemy models, Alembic migrations, keyword-only query functions.

Open it with ``open_store()`` (the configured SQLite file or PostgreSQL URL; created and
migrated on first use) and pass the ``Store`` to the functions below.
"""

from cityindex.store.datapoints import get_datapoints, history
from cityindex.store.db import EditionLocked, Store, StoreError, open_store, upgrade
from cityindex.store.editions import (EditionExists, EditionInfo, StatusError, create_edition, edition_info,
                                      edition_methodology, freeze_edition, list_editions, publish_edition,
                                      revise_edition, set_status)

__all__ = [
    "EditionExists", "EditionInfo", "EditionLocked", "StatusError", "Store", "StoreError",
    "create_edition", "edition_info", "edition_methodology", "freeze_edition", "get_datapoints", "history",
    "list_editions", "open_store", "publish_edition", "revise_edition", "set_status", "upgrade",
]
