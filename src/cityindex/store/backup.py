"""Backup and restore of the whole store.

- SQLite: ``backup`` copies the live database with SQLite's online backup API into a SQLite
  file; ``restore`` copies such a file back the same way.
- PostgreSQL (and any other combination, e.g. a SQLite backup into PostgreSQL): a portable
  dump written by cityindex — gzip'd JSON lines, one header, then every table's columns and
  rows, read in one repeatable-read transaction. It restores into any schema or database.

``restore`` refuses a store that holds data unless ``force=True``, which first drops every
table. Rows go in at the backup's migration; the store is then migrated to the current one.
Append-only guards stay in force: rows are inserted, never updated, except the status of
editions, which is set after their data points (a frozen edition refuses new data points).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from cityindex.errors import CityIndexError
from cityindex.store.db import Store, _alembic_config, upgrade

FORMAT = "cityindex-backup"
SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK = 500


class BackupError(CityIndexError):
    """The backup cannot be written or read."""


class StoreNotEmpty(CityIndexError):
    """The store holds data; restore into an empty store, or pass --force to replace everything."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # sqlite | dump
    revision: str | None
    tables: dict[str, int]


# Backup ----------------------------------------------------------------------------------------

def backup(store: Store, path: Path) -> BackupInfo:
    """Write the whole store to ``path`` (a SQLite file for a SQLite store, else a portable dump)."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise BackupError(f"{path} is a directory; name a file.")
    tmp = path.with_name(path.name + ".part")
    try:
        _sqlite_backup(store, tmp) if store.dialect == "sqlite" else _dump(store, tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"Cannot write {path}: {exc.strerror or exc}") from None
    return inspect_backup(path)


def _sqlite_backup(store: Store, target: Path) -> None:
    target.unlink(missing_ok=True)
    raw = store.engine.raw_connection()
    try:
        with sqlite3.connect(target) as out:
            raw.driver_connection.backup(out)
    finally:
        raw.close()


def _dump(store: Store, target: Path) -> None:
    with store.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, \
            gzip.open(target, "wt", encoding="utf-8") as out:
        tables = _tables(conn)
        header = {"format": FORMAT, "version": 1, "dialect": store.dialect, "revision": _revision(conn),
                  "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                  "tables": [t.name for t in tables]}
        out.write(json.dumps(header) + "\n")
        for table in tables:
            out.write(json.dumps({"table": table.name, "columns": [c.name for c in table.columns]}) + "\n")
            for row in conn.execution_options(yield_per=CHUNK).execute(sa.select(table)):
                out.write(json.dumps([_encode(v) for v in row]) + "\n")


def _tables(conn) -> list[sa.Table]:
    meta = sa.MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def _revision(conn) -> str | None:
    try:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:
        return None


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return dt.date.fromisoformat(value["$d"])
        if "$b" in value:
            return base64.b64decode(value["$b"])
    return value


# Reading a backup ------------------------------------------------------------------------------

def inspect_backup(path: Path) -> BackupInfo:
    """What a backup file holds: its kind, migration and the row count of every table."""
    path = Path(path)
    kind, revision, counts = None, None, {}
    for item in _read(path):
        if item[0] == "header":
            kind, revision = item[1], item[2]
        else:
            counts[item[1].name] = counts.get(item[1].name, 0) + len(item[2])
    return BackupInfo(path=path, kind=kind, revision=revision, tables=counts)


def _read(path: Path) -> Iterator[tuple]:
    """``("header", kind, revision)`` then ``("rows", table, [dict, …])`` chunks."""
    try:
        with path.open("rb") as file:
            start = file.read(16)
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror or exc}") from None
    if start.startswith(SQLITE_MAGIC):
        yield from _read_sqlite(path)
    elif start[:2] == b"\x1f\x8b":
        yield from _read_dump(path)
    else:
        raise BackupError(f"{path} is not a cityindex backup (neither a SQLite file nor a cityindex dump).")


def _read_sqlite(path: Path) -> Iterator[tuple]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            revision = _revision(conn)
            if revision is None:
                raise BackupError(f"{path} is a SQLite file but not a cityindex store (no alembic_version).")
            yield ("header", "sqlite", revision)
            for table in _tables(conn):
                result = conn.execution_options(yield_per=CHUNK).execute(sa.select(table))
                for chunk in result.mappings().partitions(CHUNK):
                    yield ("rows", table, [dict(r) for r in chunk])
                yield ("rows", table, [])
    except sa.exc.DatabaseError:
        raise BackupError(f"{path} is damaged: SQLite cannot read it.") from None
    finally:
        engine.dispose()


def _read_dump(path: Path) -> Iterator[tuple]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            header = json.loads(next(lines))
            if header.get("format") != FORMAT:
                raise BackupError(f"{path} is not a cityindex backup (format {header.get('format')!r}).")
            yield ("header", "dump", header.get("revision"))
            table, columns, rows = None, [], []
            for line in lines:
                item = json.loads(line)
                if isinstance(item, dict):
                    if table is not None:
                        yield ("rows", table, rows)
                    table, columns, rows = _dump_table(item), item["columns"], []
                else:
                    rows.append({c: _decode(v) for c, v in zip(columns, item)})
                    if len(rows) >= CHUNK:
                        yield ("rows", table, rows)
                        rows = []
            if table is not None:
                yield ("rows", table, rows)
    except (OSError, EOFError, ValueError, StopIteration, KeyError) as exc:
        raise BackupError(f"{path} is damaged or truncated ({type(exc).__name__}).") from None


def _dump_table(item: dict) -> sa.Table:
    return sa.Table(item["table"], sa.MetaData(), *(sa.Column(c) for c in item["columns"]))


# Restore ---------------------------------------------------------------------------------------

def restore(store: Store, path: Path, *, force: bool = False) -> BackupInfo:
    """Replace the (empty, or with ``force`` any) store's content by the backup at ``path``."""
    path = Path(path)
    info = inspect_backup(path)  # reads the whole file once: a damaged one fails before any change
    _check_revision(info)
    counts = row_counts(store)
    if any(counts.values()) and not force:
        busy = ", ".join(f"{name} ({n})" for name, n in counts.items() if n)
        raise StoreNotEmpty(f"The store at {store.url} holds data ({busy}); restore into an empty store, "
                            "or pass --force to replace everything.")
    if info.kind == "sqlite" and store.dialect == "sqlite":
        _sqlite_restore(store, path)
    else:
        _drop_everything(store)
        _migrate_to(store, info.revision)
        _insert_all(store, path)
    upgrade(store)
    return info


def _check_revision(info: BackupInfo) -> None:
    from alembic.script import ScriptDirectory

    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    if info.revision not in known:
        raise BackupError(f"{info.path} was made at store migration {info.revision!r}, which this version of "
                          "cityindex does not know; restore it with the cityindex version that made it.")


def row_counts(store: Store) -> dict[str, int]:
    """Rows per table of the store (the migration bookkeeping left out)."""
    with store.engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in _tables(conn)}


def _sqlite_restore(store: Store, path: Path) -> None:
    store.engine.dispose()
    raw = store.engine.raw_connection()
    try:
        with sqlite3.connect(path) as source:
            source.backup(raw.driver_connection)
    finally:
        raw.close()
        store.engine.dispose()


def _drop_everything(store: Store) -> None:
    with store.engine.begin() as conn:
        meta = sa.MetaData()
        meta.reflect(conn)
        meta.drop_all(conn)
        if store.dialect == "postgresql":
            names = conn.execute(sa.text(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE 'cityindex\\_%'")).scalars().all()
            for name in names:
                conn.execute(sa.text(f'DROP FUNCTION IF EXISTS "{name}"() CASCADE'))


def _migrate_to(store: Store, revision: str | None) -> None:
    config = _alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision or "head")


def _insert_all(store: Store, path: Path) -> None:
    statuses: dict[int, str] = {}
    with store.engine.begin() as conn:
        target = {t.name: t for t in _tables(conn)}
        for item in _read(path):
            if item[0] != "rows" or not item[2]:
                continue
            table = target.get(item[1].name)
            if table is None:
                raise BackupError(f"The backup has a table {item[1].name!r} this store does not know.")
            rows = item[2]
            if table.name == "editions":
                statuses.update({r["id"]: r["status"] for r in rows})
                rows = [{**r, "status": "draft"} for r in rows]
            conn.execute(table.insert(), rows)
        editions = target.get("editions")
        for edition_id, status in statuses.items():
            conn.execute(sa.update(editions).where(editions.c.id == edition_id).values(status=status))
        if store.dialect == "postgresql":
            _reset_sequences(conn, target.values())


def _reset_sequences(conn, tables) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence:
                conn.execute(sa.text(f"SELECT setval('{sequence}', COALESCE((SELECT MAX({column.name}) "
                                     f"FROM {table.name}), 0) + 1, false)"))
