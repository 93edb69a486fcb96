"""The collection workbook: generated from the methodology, filled in, read back cell by cell."""

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cityindex.cities import load_register
from cityindex.io import read_datapoints
from cityindex.io.template import write_template
from cityindex.methodology import load_methodology

METHODOLOGY = load_methodology(Path(__file__).parent.parent / "data" / "io" / "methodology.yaml")


@pytest.fixture
def template(tmp_path):
    return write_template(METHODOLOGY, tmp_path / "erhebung-e.xlsx", edition="e")


def test_template_has_readme_one_sheet_per_area_and_one_row_per_city(template):
    workbook = load_workbook(template)
    assert workbook.sheetnames == ["README", "Verwaltung", "Mobilität"]
    sheet = workbook["Verwaltung"]
    assert [c.value for c in sheet[1]] == ["ags", "city", "online_appointments", "online_appointments__source",
                                           "eid_services", "eid_services__source"]
    assert sheet.max_row == 2 + len(load_register())
    assert (sheet["A3"].value, sheet["B3"].value) == (next(iter(load_register())).ags,
                                                      next(iter(load_register())).name)
    readme = [row for row in workbook["README"].values]
    assert ("Verwaltung", "E", "eid_services", "Dienste mit Online-Ausweis", "Services with eID", "points",
            None, "keine, einige, alle", "nein") in readme


def test_value_columns_carry_excel_data_validation(template):
    rules = {str(rule.sqref): rule for rule in load_workbook(template)["Verwaltung"].data_validations.dataValidation}
    binary, points = rules[next(k for k in rules if k.startswith("C3:"))], rules[next(k for k in rules if k.startswith("E3:"))]
    assert (binary.type, binary.formula1) == ("list", '"ja,nein"')
    assert (points.type, points.formula1) == ("list", '"keine,einige,alle"')
    numeric = next(iter(load_workbook(template)["Mobilität"].data_validations.dataValidation))
    assert (numeric.type, numeric.formula1, numeric.formula2) == ("decimal", "0", "100")


def test_csv_variant_lists_every_city_and_parameter(tmp_path):
    out = write_template(METHODOLOGY, tmp_path / "erhebung.csv", edition="e", format="csv")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "city,city_name,parameter,parameter_name,value,unit,source_url,source_name,retrieved,note"
    assert len(lines) == 1 + 4 * len(load_register())
    frame, report = read_datapoints(out, methodology=METHODOLOGY)
    assert report.valid and frame.empty  # an empty template imports nothing and complains about nothing
    assert report.counts() == {"empty-value": 4 * len(load_register())}


def test_filled_workbook_is_read_with_sources_and_exact_cells(template):
    workbook = load_workbook(template)
    verwaltung, mobilitaet = workbook["Verwaltung"], workbook["Mobilität"]
    verwaltung["C3"], verwaltung["D3"], verwaltung["E3"] = "ja", "https://example.org/termine", "alle"
    verwaltung["C4"], verwaltung["D4"] = "nein", "Telefonauskunft der Stadt"
    mobilitaet["C5"], mobilitaet["E6"] = 12.5, "viele"
    workbook.save(template)
    frame, report = read_datapoints(template, methodology=METHODOLOGY)
    assert report.flatten(["sheet", "row", "column", "code"]) == [
        ["Mobilität", 6, "E (bike_share_share)", "not-a-number"]]
    assert frame[["parameter", "value", "source_url", "source_name"]].values.tolist() == [
        ["online_appointments", 1.0, "https://example.org/termine", ""],
        ["eid_services", "alle", "", ""],
        ["online_appointments", 0.0, "", "Telefonauskunft der Stadt"],
        ["charging_points", 12.5, "", ""],
    ]


def _with_cached_value(path: Path, cell: str, value: str) -> None:
    """Write the value Excel would have saved for a formula (openpyxl itself saves none)."""
    copy = path.with_suffix(".tmp")
    shutil.copy(path, copy)
    with zipfile.ZipFile(copy) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v />", f"<v>{value}</v>".encode(), 1) if f'r="{cell}"'.encode() in data else data
            target.writestr(item, data)


def test_formulas_use_the_saved_value_or_are_reported(template):
    workbook = load_workbook(template)
    workbook["Mobilität"]["C3"] = "=2*3"
    workbook["Mobilität"]["C4"] = "=1/0+A1"
    workbook.save(template)
    _, report = read_datapoints(template, methodology=METHODOLOGY)
    assert report.flatten(["row", "column", "code"]) == [[3, "C", "formula-without-value"],
                                                         [4, "C", "formula-without-value"]]
    workbook = load_workbook(template)
    workbook["Mobilität"]["C4"] = None
    workbook.save(template)
    _with_cached_value(template, "C3", "6")
    frame, report = read_datapoints(template, methodology=METHODOLOGY)
    assert report.valid and report.flatten(["row", "code"]) == [[3, "formula-cached-value"]]
    assert frame["value"].tolist() == [6.0]


def test_merged_cells_and_empty_sheets_are_reported(template):
    workbook = load_workbook(template)
    workbook["Mobilität"].merge_cells("C3:C4")
    workbook.create_sheet("Notizen")
    workbook.save(template)
    _, report = read_datapoints(template, methodology=METHODOLOGY)
    assert report.flatten(["sheet", "code", "level"]) == [
        ["Mobilität", "merged-cells", "error"], ["Notizen", "empty-sheet", "warning"]]


def test_not_a_workbook_is_reported(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("city,parameter,value\n")
    _, report = read_datapoints(fake)
    assert report.flatten(["code"]) == [["unreadable-file"]]


def test_template_into_a_directory_is_one_clear_error(tmp_path):
    from cityindex.io.output import OutputError

    with pytest.raises(OutputError, match="Is a directory. Give a .xlsx file name as --out"):
        write_template(METHODOLOGY, tmp_path, edition="2026")
