"""`cityindex uncertainty`, `cityindex stats-audit` and `cityindex publish` as a user runs them.

The open pilot edition open-2026 holds real data points of real cities (bundled, with sources).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityindex.cli import app

runner = CliRunner()
OBERHAUSEN = "05119000"


def run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def open_pilot_json():
    result = run("uncertainty", "--edition", "open-2026", "--runs", "2000", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_has_an_interval_for_every_city_and_scope(open_pilot_json):
    data = open_pilot_json
    assert data["edition"] == "open-2026" and data["runs"] == 2000 and data["seed"] == 0
    rows = data["rows"]
    assert len(rows) == 82 * 6
    oberhausen = next(r for r in rows if r["city"] == OBERHAUSEN and r["scope"] == "overall")
    assert oberhausen["low"] <= oberhausen["median"] <= oberhausen["high"]
    assert {a["address"] for a in data["assumptions"]} >= {"weights.areas", "rules.normalisation"}
    assert data["pawn"][-1]["input"].startswith("(dummy")


def test_table_in_german_and_english():
    german = run("uncertainty", "--edition", "open-2026", "--runs", "500")
    assert german.exit_code == 0, german.output
    assert "90-%-Intervall" in german.output and "Oberhausen" in german.output and "gleichauf" in german.output
    english = run("uncertainty", "--edition", "open-2026", "--runs", "500", "--lang", "en", "--area", "mobilitaet")
    assert "90 % interval" in english.output and "Rank uncertainty open-2026 – Mobility" in english.output
    assert "Läufe" not in english.output and "Mobilität" not in english.output and "Sensitivity (PAWN" in english.output


@pytest.mark.parametrize("args, message", [
    (["--edition", "2022"], "Edition 2022 is a published Bitkom edition"),
    (["--edition", "open-2026", "--runs", "0"], "runs must be at least 1, not 0 (--runs)"),
    (["--edition", "open-2026", "--runs", "200000"], "confirm with --force"),
    (["--edition", "open-2026", "--sobol", "1000"], "power of two such as 1024"),
    (["--edition", "open-2026", "--runs", "10", "--address", "tcp://127.0.0.1:9"], "--address needs --scheduler dask"),
    (["--edition", "open-2026", "--runs", "10", "--area", "verkehr"], "has no area 'verkehr'"),
])
def test_bad_options_give_one_line_and_exit_1(args, message):
    result = run("uncertainty", *args)
    assert result.exit_code == 1
    assert message in str(result.exception)


def test_stats_audit_table_and_json():
    table = run("stats-audit", "--edition", "open-2026")
    assert table.exit_code == 0, table.output
    assert "Statistische Prüfung open-2026" in table.output and "Cronbachs Alpha" in table.output
    data = json.loads(run("stats-audit", "--edition", "open-2026", "--format", "json").output)
    assert data["counts"]["coverage-city"]["checked"] == 82
    assert run("stats-audit", "--edition", "2024").exit_code == 1


def test_publish_stores_the_reports(tmp_path):
    options = ["--data-dir", str(tmp_path)]
    assert run("uncertainty", "--edition", "open-2026", "--runs", "10", *options).exit_code == 0  # builds it
    assert run("freeze", "open-2026", *options).exit_code == 0
    published = run("publish", "open-2026", *options)
    assert published.exit_code == 0, published.output
    assert "published; its statistical audit and rank intervals are stored" in published.output
    from cityindex.settings import get_settings
    from cityindex.store import open_store
    from cityindex.store.reports import load_report

    with open_store(settings=get_settings(data_dir=tmp_path)) as store:
        stored = load_report(store, edition="open-2026", kind="uncertainty")
    assert stored["runs"] == 10_000


def test_ctrl_c_stops_a_long_run_and_writes_nothing(tmp_path):
    env = {**os.environ, "CITYINDEX_DATA_DIR": str(tmp_path)}
    script = str(Path(sys.executable).with_name("cityindex"))
    warm = subprocess.run([script, "uncertainty", "--edition", "open-2026", "--runs", "10"], env=env,
                          capture_output=True, text=True, check=False)
    assert warm.returncode == 0, warm.stderr
    process = subprocess.Popen([script, "uncertainty", "--edition", "open-2026",
                                "--runs", "1000000", "--force", "--format", "json"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # imports and the first chunks; a million runs take far longer
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert out == "" and "Abgebrochen: es wurde nichts geschrieben." in err and "Traceback" not in err
