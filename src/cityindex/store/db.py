"""Opening the store: engine, sessions and automatic Alembic migrations."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from cityindex.errors import CityIndexError
from cityindex.settings import Settings, get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreError(CityIndexError):
    """The store cannot be opened."""


class EditionLocked(CityIndexError):
    """The edition is frozen or published and cannot be changed."""


class Store:
    """A connection to the cityindex database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back entirely on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"


def open_store(url: str | None = None, *, settings: Settings | None = None, migrate: bool = True) -> Store:
    """Open (and on first use create and migrate) the store at ``url`` or the configured one."""
    settings = settings or get_settings()
    url = url or settings.resolved_database_url
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"Not a database URL: {url!r}. Use sqlite:///path or postgresql+psycopg://…") from None
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_dir(parsed)
    engine = _engine(parsed, echo=settings.sql_echo)
    store = Store(engine)
    if migrate:
        upgrade(store)
    return store


def _prepare_sqlite_dir(url: sa.URL) -> None:
    if url.database and url.database != ":memory:":
        try:
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the data directory for {url.database}: {exc.strerror}") from None


def _engine(url: sa.URL, *, echo: bool) -> sa.Engine:
    try:
        engine = sa.create_engine(url, echo=echo)
    except (ModuleNotFoundError, sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(f"Unsupported database URL {url.render_as_string()}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(store: Store) -> None:
    """Apply every migration the database has not seen yet (no-op when up to date)."""
    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with store.engine.begin() as connection:
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except sa.exc.DBAPIError as exc:
        raise StoreError(f"Cannot open the store at {store.url}: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)) or type(exc).__name__
    return text.strip().splitlines()[0]
