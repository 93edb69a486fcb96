"""Throw-away stores for tests: a SQLite file in a temporary directory, or a fresh schema in a
PostgreSQL database that is dropped afterwards. Used by the test suite's ``store`` fixtures."""

from __future__ import annotations

import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cityindex.store.db import Store, open_store


@contextmanager
def fresh_store(postgres_url: str | None = None) -> Iterator[Store]:
    """An empty, migrated store; SQLite unless a PostgreSQL URL is given."""
    if postgres_url is None:
        with tempfile.TemporaryDirectory(prefix="cityindex-store-") as tmp:
            store = open_store(f"sqlite:///{Path(tmp) / 'test.sqlite'}")
            try:
                yield store
            finally:
                store.close()
        return
    with _postgres_schema(postgres_url) as store:
        yield store


@contextmanager
def _postgres_schema(url: str) -> Iterator[Store]:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    store = open_store(scoped.render_as_string(hide_password=False))
    try:
        yield store
    finally:
        store.close()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
