"""Importing files into an edition: all or nothing, every problem reported at once."""

from pathlib import Path

import pytest

from cityindex.cities import load_register
from cityindex.io.importer import import_file
from cityindex.store import create_edition, get_datapoints, history

DATA = Path(__file__).parent.parent / "data" / "io"
METHODOLOGY = DATA / "methodology.yaml"


@pytest.fixture
def edition(store):
    create_edition(store, "e", METHODOLOGY)
    return "e"


def _big_file(path: Path, *, bad_row: int | None = None) -> int:
    """Every register city × 4 parameters, repeated under notes to reach thousands of rows."""
    lines = ["city;parameter;value;unit;source_url;note"]
    answers = {"online_appointments": "ja", "eid_services": "einige", "charging_points": "1,5",
               "bike_share_share": "12,25"}
    for city in load_register():
        for parameter, value in answers.items():
            lines.append(f"{city.ags};{parameter};{value};;https://example.org/{city.ags};synthetic test value")
    if bad_row is not None:
        lines[bad_row - 1] = lines[bad_row - 1].replace(";1,5;", ";150;")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def test_valid_file_is_written_with_provenance(store, edition, tmp_path):
    rows = _big_file(tmp_path / "all.csv")
    report = import_file(store, tmp_path / "all.csv", edition=edition, by="ana", reason="first round")
    assert report.valid and report.stats["written"] and report.stats["added"] == rows
    stored = get_datapoints(store, edition=edition)
    assert len(stored) == rows
    aachen = stored[(stored["city"] == "05334002") & (stored["parameter"] == "charging_points")].iloc[0]
    assert (aachen["value"], aachen["source_url"], aachen["collected_by"]) == (
        1.5, "https://example.org/05334002", "ana")


def test_one_bad_row_among_hundreds_writes_nothing_and_names_the_row(store, edition, tmp_path):
    rows = _big_file(tmp_path / "bad.csv", bad_row=200)
    assert rows > 300
    report = import_file(store, tmp_path / "bad.csv", edition=edition, by="ana", reason="first round")
    assert not report.valid and not report.stats["written"]
    assert report.flatten(["row", "column", "code"]) == [[200, "value", "out-of-range"]]
    assert "0 … 100" in report.issues[0].message
    assert get_datapoints(store, edition=edition).empty


def test_dry_run_counts_but_writes_nothing(store, edition, tmp_path):
    rows = _big_file(tmp_path / "all.csv")
    report = import_file(store, tmp_path / "all.csv", edition=edition, by="ana", dry_run=True)
    assert report.valid and report.stats["added"] == rows and not report.stats["written"]
    assert get_datapoints(store, edition=edition).empty
    assert history(store, edition=edition, city="Aachen").empty


@pytest.mark.parametrize("case, expected", [
    ("answer_not_allowed.csv", [[2, "value", "answer-not-allowed"], [3, "value", "answer-not-allowed"]]),
    ("unit_mismatch.csv", [[2, "unit", "unit-mismatch"]]),
    ("missing_source.csv", [[2, "source_url", "missing-source"]]),
    ("unknown_parameter.csv", [[2, "parameter", "unknown-parameter"]]),
    ("not_a_number.csv", [[2, "value", "not-a-number"], [3, "value", "ambiguous-number"]]),
])
def test_methodology_checks(store, edition, case, expected):
    report = import_file(store, DATA / case, edition=edition, by="ana")
    assert report.flatten(["row", "column", "code"]) == expected
    assert get_datapoints(store, edition=edition).empty


def test_a_100000_row_file_is_read_and_its_one_bad_row_named(tmp_path):
    from cityindex.io import read_datapoints

    cities = [city.ags for city in load_register()]
    lines = ["city;parameter;value;note"]
    for n in range(100_000):  # synthetic rows for fictional parameters p0 … p99999
        lines.append(f"{cities[n % len(cities)]};p{n};{n % 90},5;synthetic row {n}")
    lines[77_778] = lines[77_778].replace(",5;", ",5,5;")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, report = read_datapoints(path)
    assert report.flatten(["row", "column", "code"]) == [[77_779, "value", "ambiguous-number"]]
    assert len(frame) == 99_999 and frame["value"].iloc[0] == 0.5


def test_text_longer_than_the_store_keeps_is_reported_on_both_databases(store, edition, tmp_path):
    """PostgreSQL refuses over-long text mid-write; the validator reports it first, for SQLite too."""
    path = tmp_path / "long.csv"
    path.write_text("city,parameter,value,unit,source_name,licence,collected_by\n"
                    f"Bonn,online_appointments,ja,{'u' * 41},Amt,{'L' * 101},{'c' * 101}\n", encoding="utf-8")
    report = import_file(store, path, edition=edition, by="ana")
    assert report.flatten(["row", "column", "code"]) == [
        [2, "unit", "too-long"], [2, "licence", "too-long"], [2, "collected_by", "too-long"]]
    assert not report.stats["written"] and get_datapoints(store, edition=edition).empty


def test_an_over_long_by_name_is_refused_before_anything_is_written(store, edition, tmp_path):
    from cityindex.errors import CityIndexError

    path = tmp_path / "ok.csv"
    path.write_text("city,parameter,value\nBonn,charging_points,2\n", encoding="utf-8")
    with pytest.raises(CityIndexError, match="--by is 101 characters long; at most 100"):
        import_file(store, path, edition=edition, by="x" * 101)
    assert get_datapoints(store, edition=edition).empty
