"""The review commands, run through the real Typer app (one SQLite store: the commands are thin;
the library tests run on both databases)."""

import json

import pandas as pd
import pytest
from review_helpers import AACHEN, DEADLINE, REVIEWER, build_edition, revision_of
from typer.testing import CliRunner

from cityindex.cli import app
from cityindex.review import Entry, OpenProposals, save_entries, submit_review

runner = CliRunner()


@pytest.fixture()
def sqlite_store():
    from cityindex.store.testing import fresh_store

    with fresh_store() as store:
        build_edition(store)
        yield store


def _run(store, *args):
    return runner.invoke(app, [*args, "--database-url", store.engine.url.render_as_string(hide_password=False)])


def _open_with_a_proposal(store):
    assert _run(store, "review", "open", "--edition", "e", "--deadline", DEADLINE.isoformat(), "--by",
                "ana@index.example").exit_code == 0
    save_entries(store, edition="e", city="Aachen", by=REVIEWER, entries=[
        Entry("charging_points", "correct", value="14", evidence_url="https://a.example/",
              base_revision=revision_of(store, AACHEN, "charging_points")),
        Entry("online_appointments", "confirm", base_revision=revision_of(store, AACHEN, "online_appointments"))])
    submit_review(store, edition="e", city="Aachen", by=REVIEWER)


def test_open_names_the_cities_without_a_reviewer_and_a_bad_deadline_is_one_line(sqlite_store):
    bad = _run(sqlite_store, "review", "open", "--edition", "e", "--deadline", "15.5.2026")
    assert bad.exit_code == 1 and "YYYY-MM-DD" in str(bad.exception)
    dry = _run(sqlite_store, "review", "open", "--edition", "e", "--deadline", DEADLINE.isoformat(), "--dry-run")
    assert dry.exit_code == 0 and "nothing was sent or changed" in dry.output
    assert "No reviewer for 3 city/cities: Bonn, Köln, Aachen" in dry.output
    done = _run(sqlite_store, "review", "open", "--edition", "e", "--deadline", DEADLINE.isoformat())
    assert done.exit_code == 0 and f"open until {DEADLINE.isoformat()} (3 cities)" in done.output


def test_status_queue_decide_and_freeze_through_the_cli(sqlite_store):
    _open_with_a_proposal(sqlite_store)
    status = _run(sqlite_store, "review", "status", "--edition", "e", "--lang", "en")
    assert "1 / 3 (33 %) cities reviewed their data" in status.output and "Mobility 1" in status.output
    board = json.loads(_run(sqlite_store, "review", "status", "--edition", "e", "--format", "json").output)
    assert [c["status"] for c in board["cities"]] == ["submitted", "not_started", "not_started"]
    listed = json.loads(_run(sqlite_store, "review", "queue", "--edition", "e", "--format", "json").output)
    [row] = listed["items"]
    assert (row["parameter"], row["old_value"], row["proposed_value"]) == ("charging_points", "12", "14")
    frozen = _run(sqlite_store, "freeze", "e")
    assert frozen.exit_code == 1 and isinstance(frozen.exception, OpenProposals)
    stale = _run(sqlite_store, "review", "decide", str(row["id"]), "--edition", "e", "--decision", "accept",
                 "--version", "1")
    assert stale.exit_code == 1 and "changed this entry" in str(stale.exception)
    done = _run(sqlite_store, "review", "decide", str(row["id"]), "--edition", "e", "--decision", "accept",
                "--reason", "utility's count")
    assert done.exit_code == 0 and "accept recorded" in done.output
    assert "1 confirmation(s) accepted" in _run(sqlite_store, "review", "accept-confirmations", "--edition", "e").output
    assert "now frozen" in _run(sqlite_store, "freeze", "e").output


def test_forced_freeze_needs_a_reason(sqlite_store):
    _open_with_a_proposal(sqlite_store)
    refused = _run(sqlite_store, "freeze", "e", "--force")
    assert refused.exit_code == 1 and "--force needs --reason" in str(refused.exception)
    assert "now frozen" in _run(sqlite_store, "freeze", "e", "--force", "--reason", "Redaktionsschluss").output


def test_export_and_receipt_files(sqlite_store, tmp_path):
    _open_with_a_proposal(sqlite_store)
    out = _run(sqlite_store, "review", "export", "--edition", "e", "--format", "csv", "--out", str(tmp_path))
    log = pd.read_csv(tmp_path / "cityindex-e-review-log.csv")
    assert out.exit_code == 0 and log["action"].tolist() == ["opened", "proposed", "confirmed", "submitted"]
    page = tmp_path / "beleg.html"
    assert _run(sqlite_store, "review", "receipt", "--edition", "e", "--city", "Aachen", "--out", str(page)).exit_code == 0
    assert "Prüfbeleg: Aachen" in page.read_text(encoding="utf-8") and "<style>" in page.read_text(encoding="utf-8")
    wrong = _run(sqlite_store, "review", "receipt", "--edition", "e", "--city", "Aachen", "--out", str(tmp_path / "b.doc"))
    assert wrong.exit_code == 1 and ".pdf or .html" in str(wrong.exception)
