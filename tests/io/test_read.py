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


def test_missing_file_is_reported(tmp_path):
    _, report = read_datapoints(tmp_path / "nope.csv")
    assert report.flatten(["code"]) == [["unreadable-file"]]
