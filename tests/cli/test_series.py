"""Series commands through the real CLI: rescore, diff-method, movers, collect --history, comparable columns."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cityindex.cli import app

runner = CliRunner()
HISTORY = Path(__file__).resolve().parents[1] / "data" / "connectors" / "open_history"
V1 = Path(__file__).resolve().parents[2] / "src" / "cityindex" / "data" / "methodologies" / "previous" / "open-2026-v1.yaml"


def run(*args):
    return runner.invoke(app, list(args))


def test_rescore_shows_both_ranks_and_the_parameters_left_out_or_unknown():
    out = run("rescore", "--edition", "open-2025", "--with-method", "open-2026", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert "bba_gigabit_hh_2021" in data["unknown_parameters"]  # scored by open-2026, no data point in 2025
    assert len(data["rows"]) == 82 and all(r["rescored_rank"] is not None for r in data["rows"])
    rows = {r["city"]: r for r in data["rows"]}
    assert all(r["difference"] == r["rank"] - r["rescored_rank"] for r in rows.values())
    text = run("rescore", "-e", "open-2026", "--with-method", str(V1), "--lang", "en").output
    assert "Not in the methodology (left out): " in text and "bba_gigabit_hh_2021" in text


def test_rescore_of_a_published_edition_is_one_clear_line():
    out = run("rescore", "--edition", "2022", "--with-method", "open-2026")
    assert out.exit_code != 0 and "published Bitkom edition" in str(out.exception)


def test_diff_method_lists_added_parameters_and_changed_rules():
    out = run("diff-method", str(V1), "open-2026", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["before"] == "open-2026 1.0" and data["after"] == "open-2026 2.0"
    assert "parking_realtime_parkendd" in data["added"] and data["removed"] == []
    assert {"level": "rules", "code": "", "field": "missing", "before": "zero", "after": "skip_and_reweight"} in data["changes"]
    text = run("diff-method", "open-2025", "open-2026").output
    assert "Neue Parameter: bba_gigabit_hh_2021" in text and "Entfallene Parameter: bba_gigabit_hh" in text


def test_movers_name_the_values_that_moved_each_city():
    out = run("movers", "--edition", "open-2023", "--top", "82", "--format", "json")
    data = json.loads(out.output)
    assert data["basis"] == "comparable" and data["previous"] == "open-2022"
    assert all(m["comparable_change"] > 0 for m in data["up"]) and all(m["comparable_change"] < 0 for m in data["down"])
    bochum = next(m for m in data["down"] if m["city"] == "Bochum")  # lost its feed to the regional one
    gbfs = next(c for c in bochum["changes"] if c["parameter"] == "gbfs_feeds_city")
    assert (gbfs["before"], gbfs["after"]) == ("1", "0") and "metropolradruhr" in gbfs["catalogue"]["de"]
    text = run("movers", "-e", "open-2023", "-n", "82").output
    assert "Aufsteiger" in text and "Absteiger" in text and "Katalogänderung: Der Feed „metropolradruhr Bochum“" in text


def test_movers_of_the_first_edition_is_one_clear_line():
    out = run("movers", "--edition", "open-2019")
    assert out.exit_code != 0 and "no previous computed edition" in str(out.exception)


def test_city_and_ranking_show_the_comparable_change_next_to_the_computed_one():
    text = run("city", "Oberhausen", "--edition", "open-2026").output
    assert "vergleichbar" in text and "Vergleichbar gerechnet" in text
    csv_text = run("ranking", "--edition", "open-2026", "--format", "csv").output
    assert csv_text.splitlines()[0].split(",")[7:9] == ["rank_change", "comparable_change"]


def test_collect_history_builds_the_years_of_a_folder_and_skips_the_open_edition_year(tmp_path):
    folder = tmp_path / "history"
    folder.mkdir()
    for name in ("MANIFEST.csv", "EXTRACTS.csv"):
        shutil.copy(HISTORY / name, folder / name)
    shutil.copytree(HISTORY / "derived", folder / "derived")
    for year in ("2025", "2026"):  # a team's folder with the newest two years
        shutil.copytree(HISTORY / year, folder / year)
    db = ["--database-url", f"sqlite:///{tmp_path / 'store.sqlite'}"]
    out = run("collect", "--history", str(folder), *db)
    assert out.exit_code == 0, out.output
    assert "open-2025" in out.output and "open-2026 is the open edition" in out.output
    assert "Done: open-2025, open-2026." in out.output
    editions = run("editions", *db).output
    assert "open-2025" in editions and "open-2026" in editions
