"""Core CLI commands through Typer's CliRunner and the installed console script."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityindex.cli import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    return result


def test_city_oberhausen_2022_in_german():
    result = run("city", "Oberhausen", "--edition", "2022")
    assert result.exit_code == 0, result.output
    assert "Platz 52 von 81 mit 53,8 Punkten" in result.output
    assert "13 Plätze besser als 2021 (Tendenz +13)" in result.output
    assert "2019 lag Oberhausen auf Platz 77 mit 29,3 Punkten" in result.output


def test_city_oberhausen_2022_in_english_and_json():
    text = run("city", "Oberhausen", "--edition", "2022", "--lang", "en").output
    assert "rank 52 of 81 with 53.8 points" in text and "13 places better than in 2021" in text
    assert "rank 77 with 29.3 points" in text
    data = json.loads(run("city", "Oberhausen", "--edition", "2022", "--format", "json").output)
    assert (data["current"]["rank"], data["current"]["score"], data["current"]["rank_change"]) == (52, 53.8, 13)
    assert data["edition"]["n_cities"] == 81
    assert data["history"][0]["rank"] == 77 and data["history"][0]["score"] == 29.3
    assert "rank 52 of 81" in data["narrative"]["en"]


@pytest.mark.parametrize("query, name", [("muenchen", "München"), ("Halle Saale", "Halle (Saale)"),
                                         ("mülheim", "Mülheim an der Ruhr")])
def test_city_lookup_spellings(query, name):
    result = run("city", *query.split(), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["city"]["name"] == name


def test_unknown_city_suggests_and_exits_1():
    result = run("city", "Oberhusen")
    assert result.exit_code == 1
    assert "Did you mean Oberhausen" in str(result.exception)


def test_ranking_2022_top_three_german_and_english():
    out = run("ranking", "--edition", "2022").output
    lines = [line for line in out.splitlines() if "│" in line]
    assert "Hamburg" in lines[0] and "86,1" in lines[0]
    assert "München" in lines[1] and "85,3" in lines[1]
    assert "Dresden" in lines[2] and "81,6" in lines[2]
    assert "42 von 81" in out
    en = run("ranking", "--edition", "2022", "--lang", "en").output
    assert "86.1" in en and "42 of 81 ranks" in en.replace("\n", " ").replace("  ", " ")


def test_ranking_shows_gaps_and_never_fills_them():
    out = run("ranking", "--edition", "2022").output
    assert "30–40" in out and "(nicht veröffentlicht)" in out
    rows = list(csv.DictReader(io.StringIO(run("ranking", "--edition", "2022", "--format", "csv").output)))
    assert len(rows) == 42  # only published rows
    ranks = {int(r["rank"]) for r in rows}
    assert 13 not in ranks and 52 in ranks
    data = json.loads(run("ranking", "--edition", "2022", "--format", "json").output)
    assert data["known_ranks"] == 42 and data["n_cities"] == 81 and 13 in data["missing_ranks"]
    trier = next(r for r in data["rows"] if r["city"] == "Trier")
    assert trier["score"] is None


def test_ranking_filters_by_region_and_state():
    out = run("ranking", "--edition", "2022", "--region", "ruhr", "--format", "json").output
    data = json.loads(out)
    assert [r["city"] for r in data["rows"]][:2] == ["Bochum", "Gelsenkirchen"]
    assert data["unpublished"] == ["Hagen", "Herne", "Recklinghausen"]
    rows = json.loads(run("ranking", "--edition", "2022", "--state", "BY", "--format", "json").output)["rows"]
    assert {r["state_code"] for r in rows} == {"BY"}


def test_ranking_area_and_unassigned_table():
    data = json.loads(run("ranking", "--edition", "2023", "--area", "it_kommunikation", "--format", "json").output)
    assert data["rows"][0]["city"] == "München" and data["rows"][0]["score"] == 97.3
    table = json.loads(run("ranking", "--edition", "2022", "--area", "E", "--format", "json").output)
    assert table["scope"] == "E" and len(table["rows"]) == 20
    bad = run("ranking", "--edition", "2022", "--area", "mobility")
    assert bad.exit_code == 1 and "mobilitaet" in str(bad.exception)


def test_cities_command_formats():
    rows = list(csv.DictReader(io.StringIO(run("cities", "--region", "ruhr", "--format", "csv").output)))
    assert len(rows) == 13 and all(r["ags"].startswith("05") for r in rows)
    data = json.loads(run("cities", "--state", "Bayern", "--format", "json").output)
    assert all(c["state_code"] == "BY" for c in data) and any(c["name"] == "München" for c in data)
    assert "Oberhausen" in run("cities", "--region", "ruhr").output


def _console_script() -> str:
    script = Path(sys.executable).with_name("cityindex")
    return str(script) if script.exists() else shutil.which("cityindex")


@pytest.mark.parametrize("args, message", [
    (["city", "Oberhusen"], "Did you mean Oberhausen"),
    (["ranking", "--edition", "1999"], "Unknown edition '1999'"),
])
def test_console_script_user_error_is_one_line_without_traceback(args, message):
    proc = subprocess.run([_console_script(), *args], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_every_core_command_help_ends_with_an_example():
    for command in ("cities", "ranking", "city", "validate", "score"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output, command


METHODOLOGY = Path(__file__).resolve().parents[2] / "src" / "cityindex" / "data" / "methodologies" / "example.yaml"


def test_validate_accepts_the_bundled_example():
    result = run("validate", str(METHODOLOGY))
    assert result.exit_code == 0 and "valid" in result.output


def test_validate_lists_every_problem_naming_the_code(tmp_path):
    text = METHODOLOGY.read_text(encoding="utf-8").replace("\n  indicators:", "\n  weight: -1\n  indicators:", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "`verwaltung`" in result.output and "weight must be" in result.output


def test_validate_broken_yaml_and_missing_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [\n", encoding="utf-8")
    assert "YAML" in run("validate", str(broken)).output
    missing = run("validate", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1 and "not found" in missing.output


# One published fact, the 2023 share of e-vehicles (Bitkom Smart City Index 2023 page):
# Wiesbaden 7.8 %, Salzgitter 0.1 %. The methodology around it is fictional.
E_METHODOLOGY = (Path(__file__).resolve().parents[1] / "data" / "e_vehicle_share.yaml").read_text(encoding="utf-8")
E_DATA = "city,parameter,value,source_url\n{rows}"
SOURCE = "https://www.bitkom.org/Smart-City-Index-2023"
WIESBADEN = f"06414000,e_fahrzeuge,7.8,{SOURCE}\n"
SALZGITTER = f"Salzgitter,e_fahrzeuge,0.1,{SOURCE}\n"


@pytest.fixture()
def e_files(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text(E_METHODOLOGY, encoding="utf-8")
    both, only = tmp_path / "2023.csv", tmp_path / "previous.csv"
    both.write_text(E_DATA.format(rows=WIESBADEN + SALZGITTER), encoding="utf-8")
    only.write_text(E_DATA.format(rows=WIESBADEN), encoding="utf-8")
    return m, both, only


def _overall(output: str) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO(output))
    return {r["ags"]: r for r in rows if r["scope"] == "overall"}


def test_score_computes_best_worst_from_a_data_file(e_files):
    m, both, _ = e_files
    result = run("score", str(m), str(both), "--format", "csv")
    assert result.exit_code == 0, result.output
    overall = _overall(result.output)
    assert (overall["06414000"]["rank"], float(overall["06414000"]["score"])) == ("1", 100.0)
    assert (overall["03102000"]["rank"], float(overall["03102000"]["score"])) == ("2", 0.0)
    assert overall["03102000"]["city"] == "Salzgitter"
    assert all(r["rank_change"] == "" for r in overall.values())  # no --previous, no change
    table = run("score", str(m), str(both)).output
    assert "Mobilität" in table and "Wiesbaden" in table and "100,0" in table
    data = json.loads(run("score", str(m), str(both), "--format", "json", "--lang", "en").output)
    assert {(r["city"], r["scope"], r["rank"]) for r in data} >= {("Wiesbaden", "overall", 1), ("Salzgitter", "mobilitaet", 2)}


def test_score_with_previous_data_gives_rank_changes_and_none_for_new_cities(e_files):
    m, both, only = e_files
    result = run("score", str(m), str(both), "--previous", str(only), "--format", "csv")
    assert result.exit_code == 0, result.output
    overall = _overall(result.output)
    assert overall["06414000"]["rank_change"] == "0"  # rank 1 before and now
    assert overall["03102000"]["rank_change"] == ""  # new in the edition: no change
    again = run("score", str(m), str(both), "--previous", str(only), "--previous-methodology", str(m), "--format", "csv")
    assert again.output == result.output


def test_score_reports_bad_data_in_one_error_without_traceback(e_files, tmp_path):
    m, both, _ = e_files
    bad = tmp_path / "bad.csv"
    bad.write_text("city,parameter,value\nWiesbaden,no_such_parameter,1\n", encoding="utf-8")
    result = run("score", str(m), str(bad))
    assert result.exit_code == 1
    assert "no_such_parameter" in str(result.exception)
    lonely = run("score", str(m), str(both), "--previous-methodology", str(m))
    assert lonely.exit_code == 1 and "--previous" in str(lonely.exception)


def test_ranking_defaults_to_the_latest_published_edition():
    data = json.loads(run("ranking", "--format", "json").output)
    assert data["edition"] == "2025" and data["n_cities"] == 83
    assert all(r["score"] is None for r in data["rows"])  # 2025 published no scores


def test_score_edition_scores_the_stored_data_points_and_stores_the_result(e_files, tmp_path):
    from cityindex.store import load_result, open_store

    m, both, _ = e_files
    store_dir = ["--data-dir", str(tmp_path / "store")]
    assert run("edition", "create", "2023", str(m), *store_dir).exit_code == 0
    assert run("import", str(both), "--edition", "2023", "--by", "test", *store_dir).exit_code == 0
    result = run("score", "--edition", "2023", "--format", "csv", *store_dir)
    assert result.exit_code == 0, result.output
    overall = _overall(result.output)
    assert (overall["06414000"]["rank"], float(overall["06414000"]["score"])) == ("1", 100.0)
    with open_store(f"sqlite:///{tmp_path / 'store' / 'cityindex.sqlite'}") as store:
        assert float(load_result(store, "2023").overall["03102000"]) == 0.0


def test_score_needs_either_files_or_an_edition(e_files):
    m, both, _ = e_files
    neither = run("score")
    assert neither.exit_code == 1 and "--edition" in str(neither.exception)
    both_modes = run("score", str(m), str(both), "--edition", "2023")
    assert both_modes.exit_code == 1 and "not both" in str(both_modes.exception)


# Computed editions: the value and source behind every number -------------------------------


def _values_rows(output: str) -> dict[str, list[str]]:
    """The rows of the "Werte und Quellen" table by (joined) parameter name: cells as text."""
    lines = output[output.index("Werte und Quellen") if "Werte und Quellen" in output
                   else output.index("Values and sources"):].splitlines()
    rows, block = {}, []
    for line in lines[4:]:
        if line.startswith(("├", "└")):
            cells = [" ".join(part[i].strip() for part in block).strip() for i in range(len(block[0]))]
            rows[cells[0]] = cells[1:]
            block = []
            if line.startswith("└"):
                break
        elif line.startswith("│"):
            block.append(line.strip("│").split("│"))
    return rows


def test_city_computed_edition_shows_values_and_sources_in_german():
    result = run("city", "Oberhausen", "--edition", "open-2026")
    assert result.exit_code == 0, result.output
    rows = _values_rows(result.output)
    assert len(rows) == 20  # every parameter of the open edition methodology (version 2), unknown ones too
    mpsc = rows["Als Modellprojekt Smart Cities ausgewählt (2019–2021)"]
    assert mpsc[0] == "ja" and mpsc[3] == "2021-07-15" and mpsc[5] == "[1]"
    nodes = rows["Freifunk-Knoten laut API-Datei der Community (Kontext, nicht gewertet)"]
    assert nodes[0] == "in diesem Datensatz nicht veröffentlicht" and nodes[2:] == ["", "", "", ""]
    assert rows["Lab-Seite bei Code for Germany"][0] == "nein"
    assert rows["Öffentliche Ladepunkte je 1.000 Einwohner (Juli 2019)"][0] == "0,128"
    assert ("[1] https://staedtetag.de/ueber-uns/aus-den-staedten/2021/"
            "modellprojekte-smart-cities-fuer-die-dritte-staffel-ausgewaehlt") in result.output
    assert "„nein“ heißt: in der genannten Quelle nicht verzeichnet" in result.output
    assert "round 2021; category 'Großstädte'" not in result.output  # notes only with --notes
    assert "--notes" in result.output


def test_city_computed_edition_notes_and_english():
    result = run("city", "Oberhausen", "--edition", "open-2026", "--lang", "en", "--notes")
    assert result.exit_code == 0, result.output
    rows = _values_rows(result.output)
    assert rows["Selected as a federal Smart Cities model project (2019–2021)"][0] == "yes"
    unknown = [name for name, cells in rows.items() if cells[0] == "not published in this data set"]
    assert unknown == ["Freifunk nodes stated in the community's API file (context, not scored)"]
    assert "Note – Selected as a federal Smart Cities model project (2019–2021): round 2021; category 'Großstädte'" \
        in result.output
    assert "systems: Lime Oberhausen [lime_oberhausen]" in result.output  # brackets are not Rich markup


def test_city_computed_edition_json_has_values_with_sources():
    data = json.loads(run("city", "Oberhausen", "--edition", "open-2026", "--format", "json").output)
    values = {v["parameter"]: v for v in data["values"]}
    assert len(values) == 20  # methodology version 2
    mpsc = values["mpsc_funded"]
    assert (mpsc["value"], mpsc["kind"], mpsc["retrieved"]) == (1.0, "binary", "2021-07-15")
    assert mpsc["source_url"].startswith("https://staedtetag.de/")
    nodes = values["freifunk_nodes_stated"]
    assert nodes["value"] is None and nodes["source_url"] is None and nodes["context_only"] is True
    assert values["charging_points_2019"]["value"] == 27.0


def test_computed_edition_wording_says_computed_and_no_previous_edition():
    # open-2019 opens the open series: no previous edition (open-2026 has open-2025 since the series exists)
    de = run("city", "Oberhausen", "--edition", "open-2019").output
    assert "in der berechneten Ausgabe" in de and "Nächste Plätze:" in de
    assert "Nächste veröffentlichte Plätze" not in de
    assert "keine Vorgängerausgabe" in de and "= in diesem Datensatz nicht veröffentlicht" not in de
    en = run("city", "Oberhausen", "--edition", "open-2019", "--lang", "en").output
    assert "Ranking neighbours:" in en and "no previous edition" in en and "Nearest published" not in en
    ranking = " ".join(run("ranking", "--edition", "open-2019").output.split())  # the title wraps
    assert "82 von 82 Plätzen berechnet" in ranking and "keine Vorgängerausgabe" in ranking
    assert "veröffentlicht" not in ranking


def test_published_edition_keeps_its_wording_and_has_no_values_table():
    result = run("city", "Oberhausen", "--edition", "2022")
    assert "Werte und Quellen" not in result.output and "Nächste veröffentlichte Plätze" in result.output
    assert "— = in diesem Datensatz nicht veröffentlicht" in result.output
    assert json.loads(run("city", "Oberhausen", "--edition", "2022", "--format", "json").output)["values"] == []
    assert "Plätzen veröffentlicht" in " ".join(run("ranking", "--edition", "2022").output.split())


def test_cli_start_up_does_not_import_pandas():
    """`cityindex --help` and `cityindex version` stay quick: pandas loads only with commands that need it."""
    code = "import sys, cityindex.cli; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_csv_output_neutralises_text_a_spreadsheet_would_run_as_a_formula(capsys):
    import pandas as pd

    from cityindex.cli.core import TableFormat, _emit_frame

    _emit_frame(pd.DataFrame({"city": ["=HYPERLINK(\"x\")", "Oberhausen"], "score": [-5.0, 53.8]}), TableFormat.csv)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("\"'=HYPERLINK") and lines[1].endswith(",-5.0")
    assert lines[2] == "Oberhausen,53.8"


def test_flags_show_no_value_placeholder_and_a_bad_language_lists_the_choices():
    help_text = run("city", "--help").output
    assert "--notes" in help_text and "<bool>" not in help_text
    bad = run("city", "Oberhausen", "--lang", "fr")
    assert bad.exit_code == 2 and "'de'" in bad.output and "'en'" in bad.output
