"""Account commands through the real Typer app: the first admin in one command, users, audit, backup/restore."""

import json
import re

from typer.testing import CliRunner

from cityindex.auth.errors import BadRole
from cityindex.cli import app
from cityindex.store.backup import StoreNotEmpty
from cityindex.store.testing import fresh_store

runner = CliRunner()


def _run(store, *args, env=None):
    url = store.engine.url.render_as_string(hide_password=False)
    return runner.invoke(app, [*args, "--database-url", url], env=env)


def test_the_first_admin_is_one_command_that_prints_the_invitation(store):
    result = _run(store, "user", "add", "admin@example.org", "--role", "admin",
                  env={"CITYINDEX_BASE_URL": "https://index.example.org"})
    assert result.exit_code == 0, result.output
    assert "User admin@example.org added (admin)." in result.output
    assert re.search(r"https://index\.example\.org/zugang/[A-Za-z0-9_-]{43}\n", result.output)
    listed = json.loads(_run(store, "user", "list", "--format", "json").output)
    assert [(u["email"], u["role"], u["has_password"]) for u in listed] == [("admin@example.org", "admin", False)]


def test_city_users_by_name_and_the_last_admin_stays(store):
    _run(store, "user", "add", "admin@example.org", "--role", "admin", "--no-invite")
    added = _run(store, "user", "add", "pruefung@oberhausen.de", "--role", "city", "--city", "Oberhausen",
                 "--city", "Bochum", "--no-invite")
    assert "added (city: Oberhausen, Bochum)" in added.output and "zugang" not in added.output
    table = _run(store, "user", "list").output
    assert "pruefung@oberhausen.de" in table and "Oberhausen, Bochum" in table and "invited" in table
    refused = _run(store, "user", "disable", "admin@example.org")
    assert refused.exit_code == 1 and isinstance(refused.exception, BadRole)
    assert "disabled" in _run(store, "user", "disable", "pruefung@oberhausen.de").output
    reset = _run(store, "user", "reset-password", "admin@example.org")
    assert "Password reset link for admin@example.org (single use, valid until" in reset.output
    audit = json.loads(_run(store, "audit", "--format", "json", "--user", "oberhausen").output)
    assert [e["event"] for e in audit] == ["user.disabled", "user.added"]
    assert all(e["actor"].startswith("cli:") for e in audit)
    assert "No events match." in _run(store, "audit", "--event", "signin").output
    bad = _run(store, "audit", "--since", "gestern")
    assert bad.exit_code == 1 and "use YYYY-MM-DD" in str(bad.exception)


def test_backup_then_restore_into_an_empty_store_only(store, tmp_path):
    _run(store, "user", "add", "admin@example.org", "--role", "admin", "--no-invite")
    path = tmp_path / "cityindex.bak"
    made = _run(store, "backup", str(path))
    assert made.exit_code == 0 and f"Backup written to {path}" in made.output
    refused = _run(store, "restore", str(path))
    assert refused.exit_code == 1 and isinstance(refused.exception, StoreNotEmpty)
    with fresh_store() as empty:
        done = _run(empty, "restore", str(path))
        assert done.exit_code == 0 and "Restored" in done.output
        assert "admin@example.org" in _run(empty, "user", "list").output
