"""Reading long CSV files: encodings, separators, number formats, and the validation report."""

from pathlib import Path

import pytest

from cityindex.errors import DataFileError
from cityindex.io import load_datapoints, read_datapoints

DATA = Path(__file__).parent.parent / "data" / "io"


def test_utf8_bom_semicolon_and_decimal_comma_are_read():
    frame = load_datapoints(DATA / "bom_semicolon_decimal_comma.csv")
    assert frame[["city", "parameter", "value"]].values.tolist() == [
        ["09162000", "charging_points", 1234.5],
        ["05334002", "charging_points", 0.5],
    ]
    assert frame["source_url"].tolist() == ["https://example.org/a", "https://example.org/b"]


def test_cp1252_with_thousands_separator_is_read_with_a_warning():
    frame, report = read_datapoints(DATA / "cp1252_thousands_comma.csv")
    assert report.valid
    assert frame[["city", "value"]].values.tolist() == [["05117000", 1234.5], ["05315000", 7.0]]
    assert report.flatten(["code", "level"]) == [["decoded-as-cp1252", "warning"]]


def test_german_dates_become_iso_and_answers_stay_text():
    frame = load_datapoints(DATA / "long_minimal.csv")
    assert frame["retrieved"].tolist() == ["2026-03-31", "2026-03-31"]
    assert frame["value"].tolist() == [12.0, "ja"]


def test_every_bad_row_is_reported_at_once_with_row_and_column():
    frame, report = read_datapoints(DATA / "bad_rows.csv")
    assert not report.valid
    assert report.flatten(["row", "column", "code"]) == [
        [4, "city", "unknown-city"],
        [5, "parameter", "duplicate-data-point"],
        [6, "value", "formula-text"],
        [7, "parameter", "missing-value"],
    ]
    assert "München" in report.issues[0].message  # suggestion for the typo "Münchn"
    assert frame["city"].tolist() == ["05334002", "09162000"]


def test_load_datapoints_raises_one_error_naming_every_problem():
    with pytest.raises(DataFileError) as caught:
        load_datapoints(DATA / "bad_rows.csv")
    text = str(caught.value)
    assert text.startswith("bad_rows.csv: 4 problem(s)")
    for where in ("row 4, column 'city'", "row 5, column 'parameter'", "row 6, column 'value'",
                  "row 7, column 'parameter'"):
        assert where in text
    assert "Fix:" in text


def test_missing_required_columns_are_named():
    _, report = read_datapoints(DATA / "missing_column.csv")
    assert report.flatten(["code", "message"]) == [
        ["missing-column", "Required column 'parameter' is missing; found stadt, wert."],
    ]


def test_binary_file_is_an_encoding_error():
    _, report = read_datapoints(DATA / "binary.csv")
    assert report.flatten(["code"]) == [["encoding-error"]]


def test_missing_file_is_reported_as_missing(tmp_path):
    _, report = read_datapoints(tmp_path / "nope.csv")
    assert report.flatten(["code"]) == [["missing-file"]]
    assert report.issues[0].message == f"The file {tmp_path / 'nope.csv'} does not exist."


def _read(tmp_path, data: bytes, **kwargs):
    path = tmp_path / "case.csv"
    path.write_bytes(data)
    return read_datapoints(path, **kwargs)


def test_utf16_tab_separated_from_excel_unicode_text(tmp_path):
    text = "city\tparameter\tvalue\r\nKöln\tcharging_points\t2,5\r\n"
    frame, report = _read(tmp_path, b"\xff\xfe" + text.encode("utf-16-le"))
    assert report.valid and report.stats["separator"] == "\t"
    assert frame[["city", "value"]].values.tolist() == [["05315000", 2.5]]


def test_semicolon_file_reads_grouped_integers_as_thousands(tmp_path):
    frame, report = _read(tmp_path, b"city;parameter;value\nAachen;a;1.234\nBonn;a;12.345.678\nK\xc3\xb6ln;a;7\n")
    assert report.valid and frame["value"].tolist() == [1234.0, 12345678.0, 7.0]


def test_thousands_with_spaces_and_apostrophes(tmp_path):
    frame, _ = _read(tmp_path, "city,parameter,value\nAachen,a,1 234.5\nBonn,a,1'234.5\nKöln,a,\"1,234\"\n"
                     .encode("utf-8"))
    assert frame["value"].tolist() == [1234.5, 1234.5, 1234.0]


def test_ags_without_leading_zero_as_excel_writes_it(tmp_path):
    frame, report = _read(tmp_path, b"city,parameter,value\n5334002,a,1\n")
    assert report.valid and frame["city"].tolist() == ["05334002"]


def test_neutralised_text_from_our_exports_is_restored(tmp_path):
    frame, _ = _read(tmp_path, b"city,parameter,value,note\nAachen,a,1,'=SUM(A1)\nBonn,a,2,'-5 vs 2025\n")
    assert frame["note"].tolist() == ["=SUM(A1)", "-5 vs 2025"]


def test_ragged_rows_and_unknown_columns(tmp_path):
    _, report = _read(tmp_path, b"city,parameter,value,farbe\nAachen,a,1,rot\nBonn,a,2,gruen,extra,cells\n")
    assert report.flatten(["row", "column", "code", "level"]) == [
        [1, "farbe", "unknown-column", "warning"], [3, None, "ragged-row", "error"]]


def test_old_excel_and_ods_files_get_a_save_as_hint(tmp_path):
    (tmp_path / "case.xls").write_bytes(b"\xd0\xcf\x11\xe0 an old binary Excel file")
    _, report = read_datapoints(tmp_path / "case.xls")
    assert report.flatten(["code"]) == [["unreadable-file"]] and "save the file as .xlsx" in report.issues[0].message


def test_length_limits_are_the_store_column_lengths():
    from cityindex.io.validate import MAX_LENGTH
    from cityindex.store.models import DataPoint

    assert MAX_LENGTH == {name: DataPoint.__table__.c[name].type.length for name in MAX_LENGTH}


def test_a_number_too_large_for_a_float_is_not_a_number(tmp_path):
    """1e999 would be stored as infinity; a numeric parameter without a range must refuse it too."""
    import yaml

    from cityindex.methodology import load_methodology

    spec = yaml.safe_load((DATA / "methodology.yaml").read_text(encoding="utf-8"))
    del spec["areas"][1]["indicators"][0]["parameters"][0]["valid_range"]
    path = tmp_path / "overflow.csv"
    path.write_text("city,parameter,value\nBonn,charging_points,1e999\nAachen,charging_points," + "9" * 400 + "\n",
                    encoding="utf-8")
    frame, report = read_datapoints(path, methodology=load_methodology(yaml.safe_dump(spec)))
    assert report.flatten(["row", "column", "code"]) == [[2, "value", "not-a-number"], [3, "value", "not-a-number"]]
    assert frame.empty
