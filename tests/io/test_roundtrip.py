"""Template → filled → import → score → export → re-import gives the same data points."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from cityindex.io.export import export_edition
from cityindex.io.importer import import_file
from cityindex.io.template import write_template
from cityindex.store import create_edition, edition_methodology, get_datapoints, load_result, score_edition

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"
SYNTHETIC = {  # synthetic values for a fictional methodology; no real city reported them
    "online_appointments": ["ja", "nein"], "eid_services": ["keine", "einige", "alle"],
}


def _fill(template: Path, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    workbook = load_workbook(template)
    for sheet in workbook.worksheets[1:]:
        codes = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=3):
            for cell, code in zip(row, codes):
                if code in SYNTHETIC:
                    cell.value = str(rng.choice(SYNTHETIC[code]))
                elif code in ("charging_points", "bike_share_share"):
                    cell.value = round(float(rng.uniform(0, 40)), 2)
                elif code and code.endswith("__source"):
                    cell.value = "https://example.org/synthetic"
    workbook.save(template)


@pytest.mark.parametrize("fmt", ["csv", "datapackage", "xlsx"])
def test_full_round_trip(store, tmp_path, fmt):
    create_edition(store, "e", METHODOLOGY)
    template = write_template(edition_methodology(store, "e"), tmp_path / "erhebung-e.xlsx", edition="e")
    _fill(template)
    report = import_file(store, template, edition="e", by="ana", reason="collection")
    assert report.valid, report.summary()
    result = score_edition(store, "e")
    assert load_result(store, "e").equals(result)
    files = export_edition(store, "e", format=fmt, out=tmp_path / "export")
    exported = next(f for f in files if "datapoints" in f.name or f.suffix == ".xlsx")
    create_edition(store, "again", METHODOLOGY)
    again = import_file(store, exported, edition="again", by="bob", reason="re-import")
    assert again.valid, again.summary()
    if fmt == "xlsx":  # the result sheets of the export workbook are skipped with a warning
        assert again.flatten(["sheet", "code"]) == [["areas", "unknown-sheet"], ["audit", "unknown-sheet"],
                                                    ["indicators", "unknown-sheet"], ["intervals", "unknown-sheet"],
                                                    ["overall", "unknown-sheet"]]
    columns = ["city", "parameter", "value", "unit", "source_url", "source_name", "retrieved", "note", "licence",
               "collected_by"]
    first, second = get_datapoints(store, edition="e"), get_datapoints(store, edition="again")
    assert len(first) == 4 * len(load_workbook(template)["Verwaltung"]["A"][2:])
    pd.testing.assert_frame_equal(first[columns], second[columns])
