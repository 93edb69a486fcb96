"""Fuzzing the CSV importer: random bytes and mutated valid files never crash the importer, never
leave a partial write, and always end in a report (errors → nothing written) or a success."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityindex.io.importer import import_file
from cityindex.store import create_edition, get_datapoints

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"
VALID = (
    "city;parameter;value;unit;source_url;source_name;retrieved;note\n"
    "Aachen;charging_points;1,5;per 1000 inhabitants;https://example.org/a;Stadt;31.03.2026;synthetic\n"
    "Bonn;online_appointments;ja;;https://example.org/b;;2026-03-31;\n"
    "05315000;eid_services;einige;;;;;\"note; with separator\"\n"
    "Münster;bike_share_share;12,5;%;;;;\n"
)
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def fuzz_store(module_store):
    create_edition(module_store, "fuzz", METHODOLOGY)
    return module_store


def _check_import(store, tmp_path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    before = get_datapoints(store, edition="fuzz")
    report = import_file(store, path, edition="fuzz", by="fuzzer", reason="fuzz")
    after = get_datapoints(store, edition="fuzz")
    assert isinstance(report.valid, bool) and all(issue.message for issue in report.issues)
    if not report.valid:
        assert not report.stats["written"]
        assert after.drop(columns="updated_at").equals(before.drop(columns="updated_at"))
    else:
        touched = report.stats.get("added", 0) + report.stats.get("changed", 0) + report.stats.get("unchanged", 0)
        assert touched == report.stats["data_points"]
        assert len(after) == len(before) + report.stats.get("added", 0)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(fuzz_store, tmp_path, data):
    _check_import(fuzz_store, tmp_path, data)


def _mutate(text: str, edits) -> str:
    for kind, position, payload in edits:
        position = position % (len(text) + 1)
        if kind == "insert":
            text = text[:position] + payload + text[position:]
        elif kind == "delete":
            text = text[:position] + text[position + len(payload):]
        else:
            text = text[:position] + payload + text[position + len(payload):]
    return text


EDITS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.integers(0, 10_000),
                           st.text(alphabet=";,\"\n\r'=+-@.0123456789 äöüxja\t\x00", max_size=6)), max_size=6)


@FUZZ
@given(edits=EDITS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       comma=st.booleans())
def test_mutated_valid_files(fuzz_store, tmp_path, edits, encoding, comma):
    text = _mutate(VALID.replace(";", ",").replace("1,5", "1.5").replace("12,5", "12.5")
                   .replace("\"note, with", "\"note; with") if comma else VALID, edits)
    _check_import(fuzz_store, tmp_path, text.encode(encoding, errors="replace"))


def test_the_unmutated_file_imports(fuzz_store, tmp_path):
    path = tmp_path / "valid.csv"
    path.write_text(VALID, encoding="utf-8")
    report = import_file(fuzz_store, path, edition="fuzz", by="fuzzer", dry_run=True)
    assert report.valid, report.summary()
    assert report.stats["data_points"] == 4
