"""whatif, levers and plan on the command line: thin wrappers, clear one-line errors."""

import json
import os
import subprocess

import pytest
import yaml
from typer.testing import CliRunner

from cityindex.analysis.catalogue import default_catalogue_path, load_catalogue
from cityindex.cli import app
from cityindex.connectors.open_pilot import read_bundle
from cityindex.engine import score
from cityindex.methodology import load_methodology
from cityindex.paths import METHODOLOGY_DIR

from tests.cli.test_core import _console_script

runner = CliRunner()
OBERHAUSEN = "05119000"


def run(*args):
    return runner.invoke(app, list(args))


def _rescored(changes):
    bundle = read_bundle()
    data = bundle[["city", "parameter", "value"]].copy()
    for code, value in changes.items():
        data.loc[(data.city == OBERHAUSEN) & (data.parameter == code), "value"] = value
    return score(load_methodology(METHODOLOGY_DIR / "open-2026.yaml"), data)


def _rank_today() -> int:
    return int(_rescored({}).ranks.at[OBERHAUSEN, "overall"])


def test_whatif_text_reports_new_rank_and_rescaling():
    result = run("whatif", "Oberhausen", "--edition", "open-2026", "--set", "gbfs_feeds_city=7", "--set", "oklab_any=ja")
    assert result.exit_code == 0, result.output
    expected = _rescored({"gbfs_feeds_city": "7", "oklab_any": "yes"})
    rank = int(expected.ranks.at[OBERHAUSEN, "overall"])
    assert f"Platz {rank} statt {_rank_today()} von 82" in result.output
    assert "Neuer Bestwert bei „Offene Sharing-Daten (GBFS)“: 7 statt 6" in result.output
    assert "Oberhausen überholt" in result.output


def test_whatif_json_in_english():
    result = run("whatif", "Oberhausen", "-e", "open-2026", "--set", "oklab_active=yes", "--format", "json")
    data = json.loads(result.output)
    expected = _rescored({"oklab_active": "yes"})
    assert data["scopes"][0]["score_after"] == pytest.approx(expected.overall[OBERHAUSEN])
    assert data["changes"][0]["after_text"] == {"de": "ja", "en": "yes"}
    english = run("whatif", "Oberhausen", "-e", "open-2026", "--set", "oklab_active=yes", "--lang", "en").output
    assert "instead of" in english and "rank" in english and "Platz" not in english


def test_levers_table_and_json():
    table = run("levers", "Oberhausen", "--edition", "open-2026")
    assert table.exit_code == 0 and "bester Wert" in table.output and "Median Ruhrgebiet" in table.output
    data = json.loads(run("levers", "Oberhausen", "--edition", "open-2026", "--format", "json").output)
    assert data["rank"] == _rank_today() and data["n_ranked"] == 82
    best = {lv["parameter"]: lv for lv in data["levers"]}["gbfs_feeds_city"]
    assert max(t["value"] for t in best["targets"]) == max(
        float(v) for v in read_bundle().query("parameter == 'gbfs_feeds_city'").value)


def test_plan_text_and_json():
    text = run("plan", "Oberhausen", "--edition", "open-2026", "--target-rank", "10")
    assert text.exit_code == 0, text.output
    assert "Günstigster Plan" in text.output and "geprüft durch Neuberechnung mit score()" in text.output
    assert "Beispielkatalog" in text.output  # the shipped catalogue's costs are illustrative
    data = json.loads(run("plan", "Oberhausen", "-e", "open-2026", "--target-rank", "10", "--format", "json").output)
    assert data["status"] == "planned" and data["after"]["rank"] <= 10
    catalogue = load_catalogue(default_catalogue_path("open-2026"))
    assert data["cost"]["euros"] == sum(catalogue.get(m["id"]).euros for m in data["measures"])


def test_plan_out_of_reach_in_budget_says_what_is_reachable():
    result = run("plan", "Oberhausen", "-e", "open-2026", "--target-rank", "10", "--budget", "1000", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "cannot be reached with this catalogue within the budget" in result.output
    assert "The best reachable is rank" in result.output and "Without the budget limit" in result.output


def test_plan_target_already_met():
    result = run("plan", "Oberhausen", "-e", "open-2026", "--target-score", "10")
    assert "bereits erreicht" in result.output


def _cycle_catalogue(tmp_path):
    path = tmp_path / "cycle.yaml"
    measure = lambda i, req: {"id": i, "name": i, "cost": {"euros": 1}, "sets": {"oklab_any": "yes"}, "requires": [req]}  # noqa: E731
    path.write_text(yaml.safe_dump({"key": "c", "methodology": "open-2026", "title": "c",
                                    "measures": [measure("a", "b"), measure("b", "a")]}), encoding="utf-8")
    return str(path)


BAD_INPUT = [
    (["whatif", "Oberhausen", "-e", "open-2026", "--set", "gbfs_feed=3"], "Did you mean gbfs_feeds_city"),
    (["whatif", "Oberhausen", "-e", "open-2026", "--set", "gbfs_feeds_city=viele"], "'viele' is not a number"),
    (["whatif", "Oberhusen", "-e", "open-2026", "--set", "oklab_any=ja"], "Did you mean Oberhausen"),
    (["whatif", "Oberhausen", "-e", "2022", "--set", "oklab_any=ja"], "published edition"),
    (["plan", "Oberhausen", "-e", "open-2026", "--target-rank", "0"], "--target-rank: 0 is better than rank 1"),
    (["plan", "Oberhausen", "-e", "open-2026", "--target-rank", "90"], "worse than the last rank 82"),
    (["plan", "Oberhausen", "-e", "open-2026", "--target-rank", "5", "--catalogue", "CYCLE"], "a → b → a"),
]


@pytest.mark.parametrize("args, message", BAD_INPUT)
def test_bad_input_is_a_clear_error(tmp_path, args, message):
    result = run(*[_cycle_catalogue(tmp_path) if a == "CYCLE" else a for a in args])
    assert result.exit_code == 1 and message in str(result.exception), result.output


def test_console_script_prints_one_line_without_traceback(tmp_path):
    args, message = BAD_INPUT[6]  # a catalogue whose prerequisites form a cycle
    args = [_cycle_catalogue(tmp_path) if a == "CYCLE" else a for a in args]
    proc = subprocess.run([_console_script(), *args], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines


def test_set_without_equals_names_the_option():
    result = run("whatif", "Oberhausen", "-e", "open-2026", "--set", "gbfs_feeds_city")
    assert result.exit_code == 1 and "--set 'gbfs_feeds_city'" in str(result.exception)
