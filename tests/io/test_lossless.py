"""Numbers survive every text form: exports, the history and a re-import of an edition's own export."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cityindex.cities import load_register
from cityindex.floats import number_text
from cityindex.io.export import export_edition
from cityindex.io.importer import import_file, import_frame
from cityindex.store import create_edition, get_datapoints, history, score_edition

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"
#: Values a 15-digit text loses (100/3 → 33.3333333333333) plus extremes of the valid range 0–100.
HARD = [100 / 3, 200 / 3, 0.1 + 0.2, 1 / 7, 99.99999999999999, 5e-324, 1e-17, 2 ** -30, 12.0, 0.0]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_reads_back_to_the_same_float(x):
    assert float(number_text(x)) == x
    assert not number_text(x).endswith(".0")


def test_whole_numbers_read_as_people_write_them():
    assert [number_text(v) for v in (12.0, 12, -3.0, 1e16, 33.333333333333336)] == [
        "12", "12", "-3", "1e+16", "33.333333333333336"]


def _values() -> pd.DataFrame:
    """Synthetic values for the fictional test methodology: the hard cases, then seeded random floats."""
    cities = [c.ags for c in load_register()][:40]
    rng = np.random.default_rng(13)
    values = (HARD + list(rng.uniform(0, 100, 2 * len(cities))))[:2 * len(cities)]
    return pd.DataFrame({"city": cities * 2, "parameter": ["charging_points"] * len(cities) + ["bike_share_share"] * len(cities),
                         "value": values, "note": ["=1+1 looks like a formula"] + [""] * (2 * len(cities) - 1)})


@pytest.fixture
def edition(store):
    create_edition(store, "e", METHODOLOGY)
    assert import_frame(store, _values(), edition="e", by="ana", reason="synthetic").valid
    score_edition(store, "e")
    return store


def _stored(store) -> dict:
    points = get_datapoints(store, edition="e")
    return {(r.city, r.parameter): r.value for r in points.itertuples()}


def test_stored_values_are_the_imported_floats(edition):
    expected = {(r.city, r.parameter): r.value for r in _values().itertuples()}
    assert _stored(edition) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "datapackage"])
def test_importing_an_editions_own_export_changes_nothing(edition, tmp_path, fmt):
    before = _stored(edition)
    files = export_edition(edition, "e", format=fmt, out=tmp_path)
    exported = next(f for f in files if "datapoints" in f.name or f.suffix == ".xlsx")
    report = import_file(edition, exported, edition="e", by="bob", reason="own export")
    assert report.valid, report.summary()
    assert (report.stats["added"], report.stats["changed"]) == (0, 0)
    assert _stored(edition) == before
    assert history(edition, edition="e", city=next(iter(before))[0])["revision"].max() == 1


def test_parquet_and_xlsx_exports_keep_every_digit(edition, tmp_path):
    before = _stored(edition)
    parquet = next(f for f in export_edition(edition, "e", format="parquet", out=tmp_path / "p")
                   if "datapoints" in f.name)
    table = pd.read_parquet(parquet)
    assert {(a, p): float(v) for a, p, v in table[["ags", "parameter", "value"]].itertuples(index=False)} == before
    [xlsx] = export_edition(edition, "e", format="xlsx", out=tmp_path / "x")
    sheet = load_workbook(xlsx, read_only=True)["datapoints"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    a, p, v = header.index("ags"), header.index("parameter"), header.index("value")
    assert {(r[a], r[p]): float(r[v]) for r in rows[1:]} == before


def test_history_keeps_every_digit(edition):
    city = _values()["city"].iloc[0]
    first = history(edition, edition="e", city=city, parameter="charging_points")
    assert float(first["new_value"].iloc[0]) == 100 / 3
    frame = pd.DataFrame({"city": [city], "parameter": ["charging_points"], "value": [200 / 3]})
    assert import_frame(edition, frame, edition="e", by="bob", reason="correction").stats["changed"] == 1
    change = history(edition, edition="e", city=city, parameter="charging_points").iloc[-1]
    assert (float(change["old_value"]), float(change["new_value"])) == (100 / 3, 200 / 3)
    assert change["old_value"] == "33.333333333333336"
