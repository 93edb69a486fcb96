"""The store: SQLAlchemy models, Alembic migrations, keyword-only query functions.

Open it with ``open_store()`` (the configured SQLite file or PostgreSQL URL; created and
migrated on first use) and pass the ``Store`` to the functions below.
"""

from cityindex.store.datapoints import get_datapoints, history, revise_edition, set_review_status
from cityindex.store.db import EditionLocked, Store, StoreBusy, StoreError, StoreUnavailable, open_store, upgrade
from cityindex.store.editions import (EditionExists, EditionInfo, StatusError, create_edition, edition_info,
                                      edition_methodology, freeze_edition, list_editions, publish_edition,
                                      set_methodology, set_status)
from cityindex.store.published import (PublishedEditionInfo, list_published_editions, load_published_editions,
                                       published_edition_info, published_ranks, published_rows, published_unassigned)
from cityindex.store.results import (NoResult, load_result, load_scores, result_history, result_scores, save_result,
                                     score_edition)

__all__ = [
    "EditionExists", "EditionInfo", "EditionLocked", "NoResult", "PublishedEditionInfo", "StatusError", "Store",
    "StoreBusy", "StoreError", "StoreUnavailable", "create_edition", "edition_info", "edition_methodology",
    "freeze_edition", "get_datapoints", "history", "list_editions", "list_published_editions", "load_published_editions", "load_result", "load_scores", "open_store",
    "publish_edition", "published_edition_info", "published_ranks", "published_rows", "published_unassigned",
    "result_history", "result_scores", "revise_edition", "save_result", "score_edition", "set_methodology",
    "set_review_status", "set_status",
    "upgrade",
]
