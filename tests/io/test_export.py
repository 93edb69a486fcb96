"""Open-data export: every format, a valid Data Package, and no formula injection."""

import json
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate
from openpyxl import load_workbook

from cityindex.io.export import export_edition, neutralise
from cityindex.io.importer import import_frame
from cityindex.store import create_edition, score_edition

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"
NASTY_NOTE = "=HYPERLINK(\"https://evil.example\",\"click\")"


@pytest.fixture
def scored(store):
    create_edition(store, "e", METHODOLOGY)
    frame = pd.DataFrame({  # synthetic values for a fictional methodology
        "city": ["Aachen", "Bonn", "Köln", "Aachen", "Bonn", "Köln"],
        "parameter": ["charging_points"] * 3 + ["online_appointments"] * 3,
        "value": [1.5, 2.5, 0.5, "ja", "nein", "ja"],
        "source_name": ["Stadt Aachen", "+49 228 Hotline", "@koeln", "Umfrage", "Umfrage", "Umfrage"],
        "source_url": ["", "", "", "https://example.org/a", "https://example.org/b", "https://example.org/c"],
        "note": [NASTY_NOTE, "-5 compared with last year", "", "", "", ""],
        "licence": ["dl-de/by-2-0", "", "", "CC-BY-4.0", "CC-BY-4.0", "CC-BY-4.0"],
    })
    assert import_frame(store, frame, edition="e", by="ana", reason="synthetic").valid
    score_edition(store, "e")
    return store


def test_neutralise_prefixes_only_dangerous_text():
    assert [neutralise(v) for v in ["=1+2", "+49", "-x", "@a", "ok", -5.0, None]] == [
        "'=1+2", "'+49", "'-x", "'@a", "ok", -5.0, None]


def test_csv_export_has_results_and_neutralised_provenance(scored, tmp_path):
    files = export_edition(scored, "e", format="csv", out=tmp_path)
    assert [f.name for f in files] == ["cityindex-e-overall.csv", "cityindex-e-areas.csv",
                                       "cityindex-e-indicators.csv", "cityindex-e-datapoints.csv"]
    overall = pd.read_csv(files[0], dtype={"ags": str})
    assert overall.columns.tolist() == ["ags", "city_name", "score", "rank", "rank_change"]
    assert overall["rank"].iloc[0] == 1 and overall["rank"].is_monotonic_increasing and set(overall["ags"]) == {"05334002", "05314000", "05315000"}
    points = pd.read_csv(files[3], dtype=str, keep_default_na=False)
    assert set(points.loc[points["note"] != "", "note"]) == {"'" + NASTY_NOTE, "'-5 compared with last year"}
    assert "'+49 228 Hotline" in points["source_name"].tolist() and "'@koeln" in points["source_name"].tolist()


def test_xlsx_export_never_contains_formulas(scored, tmp_path):
    [path] = export_edition(scored, "e", format="xlsx", out=tmp_path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["overall", "areas", "indicators", "datapoints", "audit", "intervals"]
    intervals = pd.read_excel(path, sheet_name="intervals", dtype={"ags": str})
    overall = intervals[intervals["scope"] == "overall"]
    assert set(overall["ags"]) == {"05334002", "05314000", "05315000"} and (overall["low"] <= overall["high"]).all()
    audit = pd.read_excel(path, sheet_name="audit")
    assert "coverage-parameter" in set(audit["check"]) and "flagged_if" in audit.columns
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + NASTY_NOTE in [c.value for c in cells]


def test_parquet_export_keeps_types(scored, tmp_path):
    files = export_edition(scored, "e", format="parquet", out=tmp_path)
    overall = pd.read_parquet(files[0])
    assert str(overall["rank"].dtype) == "Int64" and overall["score"].dtype == float


def test_datapackage_passes_frictionless_validation(scored, tmp_path):
    files = export_edition(scored, "e", format="datapackage", out=tmp_path)
    descriptor = json.loads(files[-1].read_text())
    assert [r["name"] for r in descriptor["resources"]] == ["overall", "areas", "indicators", "datapoints"]
    assert {"name": "dl-de-by-2-0", "title": "dl-de/by-2-0 (data points that name it)"} in descriptor["licenses"]
    assert {"title": "Umfrage", "path": "https://example.org/a"} in descriptor["sources"]
    report = validate(str(files[-1]))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_unknown_format_is_refused(scored, tmp_path):
    with pytest.raises(Exception, match="Unknown export format 'json'"):
        export_edition(scored, "e", format="json", out=tmp_path)


def test_negative_values_stay_numbers_while_text_is_neutralised(store, tmp_path):
    """A number is never a formula: -5 is written as -5 (docs/export.md), a note '-x' as '-x."""
    import yaml

    spec = yaml.safe_load(METHODOLOGY.read_text(encoding="utf-8"))
    spec["areas"][1]["indicators"][0]["parameters"][0]["valid_range"] = {"min": -100, "max": 100}
    create_edition(store, "e", yaml.safe_dump(spec))
    frame = pd.DataFrame({"city": ["Aachen", "Bonn"], "parameter": ["charging_points"] * 2,  # synthetic
                          "value": [-5.0, 2.5], "note": ["-x", ""]})
    assert import_frame(store, frame, edition="e", by="ana").valid
    [csv_file] = export_edition(store, "e", format="csv", out=tmp_path)
    points = pd.read_csv(csv_file, dtype=str, keep_default_na=False)
    assert points[["value", "note"]].values.tolist() == [["2.5", ""], ["-5", "'-x"]]
    [xlsx_file] = export_edition(store, "e", format="xlsx", out=tmp_path)
    sheet = load_workbook(xlsx_file)["datapoints"]
    assert [sheet.cell(row, 4).value for row in (2, 3)] == ["2.5", "-5"]


def test_an_output_path_that_is_a_file_is_one_clear_error(scored, tmp_path):
    from cityindex.io.output import OutputError

    taken = tmp_path / "taken"
    taken.write_text("not a directory", encoding="utf-8")
    with pytest.raises(OutputError, match="Cannot write .*taken: File exists. Give a directory"):
        export_edition(scored, "e", format="csv", out=taken)
