"""The site with a computed, complete edition: the open pilot scored by the engine from bundled data."""

import pytest
from fastapi.testclient import TestClient

from cityindex import editions
from cityindex.web import data
from cityindex.web.app import create_app


@pytest.fixture()
def computed_client(monkeypatch):
    from cityindex.connectors.open_pilot import open_pilot_result

    view = editions.EditionView.from_result(open_pilot_result(), key="open-2026", title="Open pilot 2026",
                                            series="open", year=2026)
    known = editions.computed_editions()
    monkeypatch.setattr(editions, "computed_editions", lambda: {**known, "open-2026": view})
    monkeypatch.setitem(data._cache, "views", None)
    with TestClient(create_app(cache_ttl=0, warm=False), raise_server_exceptions=False) as client:
        yield client
    data._cache["views"] = None


def test_complete_ranking_without_gaps_note(computed_client):
    ctx = computed_client.get("/open-2026/ranking.json").json()["data"]
    assert ctx["complete"] is True and ctx["count"] == ctx["edition"]["n_cities"] == 82
    assert all(r["rank"] is not None and r["score"] is not None for r in ctx["rows"])
    html = computed_client.get("/open-2026/ranking").text
    assert "vollständiges Ranking aller 82 Städte" in html


def test_start_page_shows_the_newest_edition(computed_client):
    ctx = computed_client.get("/index.json").json()["data"]
    assert ctx["edition"]["key"] == "open-2026" and len(ctx["top"]) == 10
    assert all(w["winner"] is not None for w in ctx["winners"])


def test_city_page_and_methodology_of_the_computed_edition(computed_client):
    city = computed_client.get("/staedte/oberhausen.json?edition=open-2026").json()["data"]
    assert city["current"]["rank"] is not None
    assert all(a["score"] is not None for a in city["areas"])
    methods = computed_client.get("/methodik.json").json()["data"]["methodologies"]
    # the fictional example file is not shown; the open series' methodology is (since issue 14)
    assert [m["key"] for m in methods] == ["open-2026", "open-series"]


def test_no_open_pilot_hides_the_computed_edition(computed_client, monkeypatch):
    monkeypatch.setattr(data, "SHOW_OPEN_PILOT", False)
    monkeypatch.setitem(data._cache, "views", None)
    assert computed_client.get("/open-2026/ranking").status_code == 404
    assert computed_client.get("/index.json").json()["data"]["edition"]["key"] == "2025"


def test_store_export_of_the_computed_edition_as_zip(computed_client, tmp_path, monkeypatch):
    import io
    import json
    import zipfile

    from cityindex.connectors.open_pilot import build_open_pilot
    from cityindex.store.db import open_store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("CITYINDEX_DATABASE_URL", url)
    with open_store(url) as store:
        build_open_pilot(store)
    listing = computed_client.get("/downloads.json").json()["data"]["editions"]
    pilot = next(e for e in listing if e["key"] == "open-2026")
    assert pilot["exports"]["datapackage"] == "/downloads/open-2026/export-datapackage.zip"
    response = computed_client.get(pilot["exports"]["datapackage"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "datapackage.json" in names and "cityindex-open-2026-datapoints.csv" in names
    package = json.loads(archive.read("datapackage.json"))
    assert {r["name"] for r in package["resources"]} >= {"overall", "datapoints"}
