"""Opening the store: engine, read sessions, write transactions with locks, automatic migrations.

Writes are serialised: on SQLite a write transaction starts with ``BEGIN IMMEDIATE`` (one writer
for the whole file; readers are never blocked in WAL mode), on PostgreSQL writers of the same
edition take an advisory lock (``advisory_lock``). A writer that has to wait says so through
``Store.on_wait`` and gives up after ``lock_timeout`` seconds with ``StoreBusy``, writing nothing.
Database faults (server unreachable, disk full, damaged or read-only file) become one clear
``StoreUnavailable`` line (``store.faults``); the web app shows them as 503 without any detail.
"""

from __future__ import annotations

import logging
import re
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from cityindex.errors import CityIndexError
from cityindex.settings import Settings, get_settings
from cityindex.store.faults import (URL_HINT, StoreBusy, StoreError, StoreUnavailable, faults, first_line, parse_url,
                                   sqlite_busy)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Advisory lock namespaces (first key of ``pg_advisory_xact_lock(int, int)``).
EDITION_LOCKS, STORE_LOCKS = 0x5C1, 0x5C2
MIGRATION_LOCK, PUBLISHED_LOCK = 1, 2
EMPTY_FILE_GRACE = 1.0  # seconds a 0-byte SQLite file may take to get its header from a concurrent opener

log = logging.getLogger("cityindex.store")

__all__ = ["EditionLocked", "Store", "StoreBusy", "StoreError", "StoreUnavailable", "advisory_lock", "open_store",
           "upgrade"]


class EditionLocked(CityIndexError):
    """The edition is frozen or published and cannot be changed."""


class Store:
    """A connection to the cityindex database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: sa.Engine, *, lock_timeout: float = 60.0,
                 on_wait: Callable[[str], None] | None = None):
        self.engine = engine
        self.lock_timeout = lock_timeout
        #: Called with one line when a writer has to wait for a lock (the CLI prints it).
        self.on_wait: Callable[[str], None] = on_wait or log.warning
        self._factory = sessionmaker(engine, expire_on_commit=False)
        if self.dialect == "sqlite":
            sa.event.listen(engine, "begin", self._sqlite_begin)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def sessions(self) -> Iterator[Session]:
        """A read session; database faults become ``StoreUnavailable``."""
        with self.faults(), self._factory() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session: committed at the end, or rolled back entirely on any error.

        SQLite: the transaction holds the store's write lock from its first statement on.
        PostgreSQL: call ``advisory_lock`` (via ``editions.lock_edition``) before reading what
        the write depends on.
        """
        with self.faults(), self.engine.connect() as connection:
            connection.execution_options(cityindex_write=True)
            with connection.begin(), Session(bind=connection, expire_on_commit=False) as session:
                session.info["store"] = self
                yield session
                session.flush()

    @contextmanager
    def faults(self) -> Iterator[None]:
        """Translate database faults into one-line ``StoreUnavailable`` errors naming this store."""
        with faults(self.url, sqlite_path(self.engine.url)):
            yield

    def _sqlite_begin(self, connection: sa.Connection) -> None:
        if not connection.get_execution_options().get("cityindex_write"):
            connection.exec_driver_sql("BEGIN")
            return
        _begin_immediate(connection.connection.driver_connection, self)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"


def _begin_immediate(dbapi_connection, store: Store) -> None:
    """``BEGIN IMMEDIATE``; if another writer holds the lock, say so once and wait up to the timeout."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            return
        except Exception as exc:
            if not sqlite_busy(exc):
                raise
        store.on_wait(f"Waiting for the store {sqlite_path(store.engine.url)}: another import or change is "
                      f"writing to it (waiting up to {store.lock_timeout:g} s) …")
        cursor.execute(f"PRAGMA busy_timeout = {int(store.lock_timeout * 1000)}")
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except Exception as exc:
            if sqlite_busy(exc):
                raise StoreBusy(_busy_message("the store", store.lock_timeout)) from None
            raise
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(store.lock_timeout * 1000)}")
        cursor.close()


def _busy_message(what: str, timeout: float) -> str:
    return (f"Gave up after waiting {timeout:g} s for {what}: another import or change is still running; "
            "nothing was written. Try again when it has finished (or raise CITYINDEX_LOCK_TIMEOUT).")


def advisory_lock(session: Session, namespace: int, key: int, *, what: str) -> None:
    """PostgreSQL: hold an advisory lock until the transaction ends (SQLite holds its write lock already).

    Says once that it waits, and for ``what``; gives up after the store's lock timeout with StoreBusy.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    store: Store = session.info["store"]
    params = {"namespace": namespace, "key": key}
    if session.execute(sa.text("SELECT pg_try_advisory_xact_lock(:namespace, :key)"), params).scalar():
        return
    store.on_wait(f"Waiting for {what}: another import or change of it is running "
                  f"(waiting up to {store.lock_timeout:g} s) …")
    session.execute(sa.text(f"SET LOCAL lock_timeout = {int(store.lock_timeout * 1000)}"))
    try:
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:namespace, :key)"), params)
    except sa.exc.OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
            raise StoreBusy(_busy_message(what, store.lock_timeout)) from None
        raise
    session.execute(sa.text("SET LOCAL lock_timeout TO DEFAULT"))


def sqlite_path(url: sa.URL) -> str | None:
    """The file of a SQLite URL (None for PostgreSQL and in-memory databases)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return str(Path(url.database).expanduser())


def open_store(url: str | None = None, *, settings: Settings | None = None, migrate: bool = True,
               on_wait: Callable[[str], None] | None = None) -> Store:
    """Open (and on first use create and migrate) the store at ``url`` or the configured one.

    ``on_wait`` receives the one line a writer says when it has to wait for a lock (default: a log warning).
    """
    settings = settings or get_settings()
    parsed = parse_url(url or settings.resolved_database_url)
    path = sqlite_path(parsed)
    if path:
        _prepare_sqlite_file(Path(path))
    engine = _engine(parsed, settings)
    store = Store(engine, lock_timeout=settings.lock_timeout, on_wait=on_wait)
    if migrate:
        upgrade(store)
    return store


def _prepare_sqlite_file(path: Path) -> None:
    """Create the data directory; refuse a 0-byte file (a damaged store, never a new one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"Cannot create the data directory for {path}: {exc.strerror}. "
                               "Choose a writable directory (CITYINDEX_DATA_DIR or --data-dir).") from None
    deadline = time.monotonic() + EMPTY_FILE_GRACE
    while path.is_file() and path.stat().st_size == 0:
        if time.monotonic() > deadline:
            raise StoreUnavailable(f"The store file {path} is empty (0 bytes), so it is not a cityindex store. "
                                   "Restore it from a backup, or delete it to start a new, empty store.")
        time.sleep(0.05)  # a concurrent first opener writes the header within milliseconds


def _engine(url: sa.URL, settings: Settings) -> sa.Engine:
    try:
        engine = sa.create_engine(url, echo=settings.sql_echo, **_engine_options(url, settings))
    except (ModuleNotFoundError, sa.exc.ArgumentError, sa.exc.NoSuchModuleError, TypeError) as exc:
        raise StoreError(f"Unsupported database URL {url.render_as_string()}: {first_line(exc)}. {URL_HINT}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_setup(settings))
    return engine


def _engine_options(url: sa.URL, settings: Settings) -> dict:
    if url.get_backend_name() == "sqlite":
        return {"connect_args": {"timeout": settings.lock_timeout}}
    if url.get_backend_name() == "postgresql":
        return {"connect_args": {"connect_timeout": max(1, int(settings.connect_timeout))}, "pool_pre_ping": True}
    return {}


def _sqlite_setup(settings: Settings):
    def setup(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun explicitly (Store._sqlite_begin)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        if settings.sqlite_max_mb:
            page_size = cursor.execute("PRAGMA page_size").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {max(1, settings.sqlite_max_mb * 1024 * 1024 // page_size)}")
        cursor.close()

    return setup


def upgrade(store: Store) -> None:
    """Apply every migration the database has not seen yet (no-op when up to date).

    Concurrent openers of a new store migrate it once: the migration runs in a write transaction
    (SQLite) or under an advisory lock (PostgreSQL) and checks the revision again inside. An
    up-to-date store is recognised without importing Alembic (it costs a CLI command ~0.25 s).
    """
    with store.sessions() as session:
        current = current_revision(session.connection())
    if current == head_revision():
        return
    if current is not None and current not in _migrations():
        raise StoreError(f"The store at {store.url} was migrated by a newer cityindex (schema {current}; this "
                         f"cityindex knows up to {head_revision()}). Update cityindex to use it.")
    from alembic import command

    with store.transaction() as session:
        advisory_lock(session, STORE_LOCKS, MIGRATION_LOCK, what="the store's migration")
        connection = session.connection()
        if current_revision(connection) == head_revision():
            return
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def alembic_config():
    """The Alembic configuration of the store's migrations (imports Alembic: only when migrating)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def current_revision(connection: sa.Connection) -> str | None:
    """The migration the database is at (None for a new, empty database)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str:
    """The newest migration: the revision that no migration file names as its ``down_revision``."""
    revisions = _migrations()
    [head] = set(revisions) - set(revisions.values())
    return head


def known_revisions() -> set[str]:
    """Every migration this cityindex knows."""
    return set(_migrations())


@lru_cache(maxsize=1)
def _migrations() -> dict[str, str | None]:
    """``{revision: down_revision}`` read from the migration files (without importing Alembic)."""
    found = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*=\s*[\"'](\w+)[\"']", text, flags=re.M)
        parent = re.search(r"^down_revision\s*=\s*[\"'](\w+)[\"']", text, flags=re.M)
        if revision:
            found[revision.group(1)] = parent.group(1) if parent else None
    return found

