"""The store commands, run through the real Typer app against the fixture's database."""

import json
from pathlib import Path

from typer.testing import CliRunner

from cityindex.cli import app
from cityindex.store import EditionLocked

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"
BAD = Path(__file__).parent.parent / "data" / "io" / "bad_rows.csv"
runner = CliRunner()


def _run(store, *args):
    url = store.engine.url.render_as_string(hide_password=False)
    return runner.invoke(app, [*args, "--database-url", url])


def test_edition_lifecycle_through_the_cli(store, tmp_path):
    assert "Edition e created (draft)" in _run(store, "edition", "create", "e", str(METHODOLOGY), "--by", "ana").output
    template = tmp_path / "t.xlsx"
    assert _run(store, "template", "--edition", "e", "--out", str(template)).exit_code == 0 and template.is_file()
    data = tmp_path / "data.csv"
    data.write_text("city;parameter;value\nAachen;charging_points;3,5\nBonn;charging_points;2\n", encoding="utf-8")
    dry = _run(store, "import", str(data), "--edition", "e", "--dry-run")
    assert dry.exit_code == 0 and "Dry run: 2 would be added" in dry.output
    done = _run(store, "import", str(data), "--edition", "e", "--by", "ana", "--reason", "first round")
    assert done.exit_code == 0 and "2 added" in done.output
    shown = json.loads(_run(store, "history", "--edition", "e", "--city", "Aachen", "--format", "json").output)
    assert [(h["new_value"], h["changed_by"], h["reason"]) for h in shown] == [("3.5", "ana", "first round")]
    listed = json.loads(_run(store, "editions", "--format", "json").output)
    assert [(e["key"], e["status"], e["datapoints"]) for e in listed] == [("e", "draft", 2)]
    assert "now frozen" in _run(store, "freeze", "e").output
    refused = _run(store, "import", str(data), "--edition", "e")
    assert refused.exit_code == 1 and isinstance(refused.exception, EditionLocked)


def test_import_report_lists_every_problem_and_exits_1(store):
    _run(store, "edition", "create", "e", str(METHODOLOGY))
    result = _run(store, "import", str(BAD), "--edition", "e", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert not report["valid"] and [(i["row"], i["code"]) for i in report["issues"]] == [
        (4, "unknown-city"), (5, "duplicate-data-point"), (6, "formula-text"), (7, "missing-value")]
    assert report["stats"]["written"] is False


def test_export_writes_files(store, tmp_path):
    _run(store, "edition", "create", "e", str(METHODOLOGY))
    result = _run(store, "export", "--edition", "e", "--format", "csv", "--out", str(tmp_path))
    assert result.exit_code == 0 and (tmp_path / "cityindex-e-datapoints.csv").is_file()


def test_user_text_with_brackets_is_printed_as_is(store, tmp_path):
    """Values, notes and reasons are data, not Rich markup: `[/]` must not crash the report or history."""
    _run(store, "edition", "create", "e", str(METHODOLOGY))
    bad = tmp_path / "round[bold].csv"
    bad.write_text("city,parameter,value\nAachen,charging_points,[/]\n", encoding="utf-8")
    refused = _run(store, "import", str(bad), "--edition", "e")
    assert refused.exit_code == 1 and "'[/]' is not a number" in refused.output
    assert "round[bold].csv — nothing was written" in refused.output
    good = tmp_path / "good.csv"
    good.write_text("city,parameter,value\nAachen,charging_points,2\n", encoding="utf-8")
    assert _run(store, "import", str(good), "--edition", "e", "--reason", "[bold]check[/]").exit_code == 0
    shown = _run(store, "history", "--edition", "e", "--city", "Aachen")
    assert shown.exit_code == 0 and "[bold]check[/]" in shown.output
