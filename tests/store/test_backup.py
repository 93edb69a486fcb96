"""Backup and restore: every table row by row, on both databases and across them; refusals change nothing."""

import gzip

import pytest
import sqlalchemy as sa

from cityindex.auth import add_user, list_events, log_event
from cityindex.connectors.open_pilot import build_open_pilot
from cityindex.store import freeze_edition
from cityindex.store.backup import BackupError, StoreNotEmpty, backup, restore, row_counts
from cityindex.store.testing import fresh_store


def _rows(store) -> dict[str, list]:
    with store.engine.connect() as conn:
        meta = sa.MetaData()
        meta.reflect(conn)
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr) for t in meta.sorted_tables}


@pytest.fixture(scope="module")
def filled(module_store):
    """A store with the open pilot (frozen), a user and audit events."""
    build_open_pilot(module_store)
    freeze_edition(module_store, "open-2026")
    add_user(module_store, "pruefung@oberhausen.de", role="city", cities=("05119000",), by="test")
    log_event(module_store, "signin.failed", actor=None, subject="x@example.org", ip="192.0.2.1")
    return module_store


@pytest.mark.parametrize("target", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_restore_gives_back_every_row_of_every_table(filled, target, tmp_path, request):
    path = tmp_path / "store.bak"
    info = backup(filled, path)
    assert info.kind == ("sqlite" if filled.dialect == "sqlite" else "dump")
    assert info.tables["datapoints"] > 500 and info.tables["audit_log"] == 2
    with fresh_store(request.getfixturevalue("pg_url") if target == "postgresql" else None) as fresh:
        restore(fresh, path)
        assert _rows(fresh) == _rows(filled)
        # the restored store keeps working: guards hold, new rows get new ids
        with pytest.raises(sa.exc.DBAPIError), fresh.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM datapoints"))
        log_event(fresh, "signout", actor="a@example.org")
        assert len(list_events(fresh)) == 3


def test_restore_refuses_a_store_with_data_unless_forced(filled, tmp_path):
    path = tmp_path / "store.bak"
    backup(filled, path)
    with fresh_store() as other:
        add_user(other, "someone@example.org", role="admin", by="test")
        before = _rows(other)
        with pytest.raises(StoreNotEmpty, match="--force"):
            restore(other, path)
        assert _rows(other) == before
        restore(other, path, force=True)
        assert _rows(other) == _rows(filled)


def test_a_damaged_backup_is_refused_before_anything_changes(filled, tmp_path):
    path = tmp_path / "store.bak"
    backup(filled, path)
    truncated = tmp_path / "truncated.bak"
    data = path.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with fresh_store() as other:
        add_user(other, "someone@example.org", role="admin", by="test")
        before = _rows(other)
        for bad in (truncated, not_a_backup, tmp_path / "missing.bak"):
            with pytest.raises(BackupError):
                restore(other, bad, force=True)
        assert _rows(other) == before
    wrong = tmp_path / "wrong.bak"
    with gzip.open(wrong, "wt") as out:
        out.write('{"format": "something-else"}\n')
    with fresh_store() as other, pytest.raises(BackupError, match="not a cityindex backup"):
        restore(other, wrong)
    assert row_counts(filled)["editions"] == 1
