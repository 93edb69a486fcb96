"""The website's downloads: formula text neutralised in every CSV/XLSX, each file built once per version.

A computed edition whose rows carry formula-like text (synthetic: the source column of the open
pilot result, rewritten) is served next to the bundled editions.
"""

import csv
import dataclasses
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cityindex import editions
from cityindex.web import data
from cityindex.web.app import create_app
from cityindex.web.routes import downloads

FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"click\")", "+49 228 1234", "-1+2", "@SUM(A1:A9)", "\t=1+1"]


@pytest.fixture()
def formula_client(monkeypatch):
    from cityindex.connectors.open_pilot import open_pilot_result

    view = editions.EditionView.from_result(open_pilot_result(), key="formula-2026", title="Formula test 2026",
                                            series="cityindex", year=2026, status="published")
    rows = view.rows.assign(source=[FORMULAS[i % len(FORMULAS)] for i in range(len(view.rows))])
    view = dataclasses.replace(view, rows=rows)
    known = editions.computed_editions()
    monkeypatch.setattr(editions, "computed_editions", lambda: {**known, view.key: view})
    monkeypatch.setitem(data._cache, "views", None)
    with TestClient(create_app(cache_ttl=0, warm=False), raise_server_exceptions=False) as client:
        yield client, view
    data._cache["views"] = None


def _neutralised(cells: list) -> None:
    texts = [c for c in cells if isinstance(c, str) and c.lstrip("'") in FORMULAS]
    assert texts and all(c.startswith("'") for c in texts), texts[:5]


def test_edition_csv_and_xlsx_neutralise_formula_text(formula_client):
    client, view = formula_client
    rows = list(csv.reader(io.StringIO(client.get(f"/downloads/{view.key}.csv").text)))
    _neutralised([cell for row in rows for cell in row])
    workbook = load_workbook(io.BytesIO(client.get(f"/downloads/{view.key}.xlsx").content))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    _neutralised([c.value for c in cells])


def test_city_csv_neutralises_formula_text(formula_client):
    client, _ = formula_client
    rows = list(csv.DictReader(io.StringIO(client.get("/staedte/oberhausen.csv").text)))
    mine = [r["source"] for r in rows if r["edition"] == "formula-2026"]
    assert len(mine) == 6  # overall and five areas
    _neutralised(mine)


def test_a_download_is_built_once_per_edition_version(formula_client, monkeypatch):
    client, view = formula_client
    calls = []
    real = downloads.edition_file
    monkeypatch.setattr(downloads, "edition_file", lambda *a: calls.append(a) or real(*a))
    first = client.get(f"/downloads/{view.key}.csv")
    second = client.get(f"/downloads/{view.key}.csv")
    assert len(calls) == 1 and first.content == second.content
    assert client.get(f"/downloads/{view.key}.csv", headers={"if-none-match": first.headers["etag"]}).status_code == 304
    rescored = dataclasses.replace(view, rows=view.rows.assign(source="computed again"))
    monkeypatch.setattr(editions, "computed_editions", lambda: {view.key: rescored})
    monkeypatch.setitem(data._cache, "views", None)
    third = client.get(f"/downloads/{view.key}.csv")
    assert len(calls) == 2 and "computed again" in third.text and third.headers["etag"] != first.headers["etag"]
