"""City page planning sections, the what-if page and the report downloads (open pilot edition)."""

import re

import pytest

from cityindex.connectors.open_pilot import read_bundle
from cityindex.engine import score
from cityindex.methodology import load_methodology
from cityindex.paths import METHODOLOGY_DIR

OBERHAUSEN = "05119000"


def _rescored(changes):
    data = read_bundle()[["city", "parameter", "value"]].copy()
    for code, value in changes.items():
        data.loc[(data.city == OBERHAUSEN) & (data.parameter == code), "value"] = value
    return score(load_methodology(METHODOLOGY_DIR / "open-2026.yaml"), data)


def _rank_today() -> int:
    return int(_rescored({}).ranks.at[OBERHAUSEN, "overall"])


def test_city_page_of_a_computed_edition_has_the_planning_sections(client):
    html = client.get("/staedte/oberhausen?edition=open-2026&lang=de").text
    for heading in ("Größte Hebel", "Was wäre, wenn …?", "Von vergleichbaren Städten lernen", "Bericht für den Rat"):
        assert heading in html
    assert 'action="/staedte/oberhausen/was-waere-wenn"' in html and 'name="gbfs_feeds_city"' in html
    tools = client.get("/staedte/oberhausen.json?edition=open-2026").json()["data"]["tools"]
    shown = [lv["parameter"] for lv in tools["levers"]]
    assert len(shown) == 5 and "parking_realtime_parkendd" in shown  # a yes/no lever Oberhausen lacks
    gains = [max(t["points"] for t in lv["targets"]) for lv in tools["levers"]]
    assert gains == sorted(gains, reverse=True) and gains[-1] > 0
    lesson = {ls["parameter"]: ls for ls in tools["learning"]}["oklab_any"]
    assert all(p["source_url"].startswith("https://") for p in lesson["peers"])


def test_published_edition_has_no_planning_sections(client):
    assert client.get("/staedte/oberhausen.json?edition=2022").json()["data"]["tools"] is None
    assert "Was wäre, wenn" not in client.get("/staedte/oberhausen?edition=2022&lang=de").text


def test_whatif_page_equals_a_full_rescore(client):
    page = client.get("/staedte/oberhausen/was-waere-wenn?edition=open-2026&lang=de&gbfs_feeds_city=7&oklab_any=yes")
    assert page.status_code == 200
    expected = _rescored({"gbfs_feeds_city": "7", "oklab_any": "yes"})
    headline = re.search(r'id="whatif-headline">([^<]*)<', page.text).group(1)
    assert f"Platz {int(expected.ranks.at[OBERHAUSEN, 'overall'])} statt {_rank_today()} von 82" in headline
    assert "Neuer Bestwert" in page.text  # 7 feeds: a new best, everyone rescaled
    data = client.get("/staedte/oberhausen/was-waere-wenn.json?edition=open-2026&gbfs_feeds_city=7&oklab_any=yes").json()
    assert data["ok"] is True
    assert data["data"]["answer"]["data"]["scopes"][0]["score_after"] == pytest.approx(expected.overall[OBERHAUSEN])
    # the form keeps what was asked
    assert re.search(r'name="gbfs_feeds_city" type="text" inputmode="decimal" value="7"', page.text)


@pytest.mark.parametrize("query, lang, words", [
    ("gbfs_feeds_city=viele", "de", ["GBFS-Sharing-Feeds mit der Stadt als Ort: „viele“ ist keine Zahl."]),
    ("gbfs_feeds_city=viele", "en", ["GBFS sharing feeds located in the city: “viele” is not a number."]),
    ("gbfs_feeds_city=-2", "de", ["ist kleiner als der kleinste gültige Wert 0"]),
    ("oklab_any=vielleicht", "de", ["„vielleicht“ ist keine Ja/Nein-Antwort."]),
    ("gbfs_feed=3", "de", ["Einen Parameter „gbfs_feed“ gibt es", "gbfs_feeds_city"]),
])
def test_bad_input_gives_a_page_in_the_users_language(client, query, lang, words):
    page = client.get(f"/staedte/oberhausen/was-waere-wenn?edition=open-2026&lang={lang}&{query}")
    assert page.status_code == 400 and all(w in page.text for w in words)
    body = client.get(f"/staedte/oberhausen/was-waere-wenn.json?edition=open-2026&lang={lang}&{query}").json()
    assert body["ok"] is False and body["status"] == 400 and all(w in body["errors"][0] for w in words)


def test_whatif_on_a_published_edition_is_refused_in_german(client):
    page = client.get("/staedte/oberhausen/was-waere-wenn?edition=2022&lang=de")
    assert page.status_code == 400 and "braucht eine berechnete Ausgabe" in page.text


def test_report_downloads(client):
    html = client.get("/staedte/oberhausen/bericht?edition=open-2026&lang=de")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert "script-src" not in html.headers["content-security-policy"]  # no script may run at all
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert "Bericht für Oberhausen" in html.text and "<script" not in html.text
    ctx = client.get("/staedte/oberhausen/bericht.json?edition=open-2026&ziel=10").json()["data"]
    assert ctx["rank"] == _rank_today() and ctx["plan"]["rank"] == 10
    pdf = client.get("/staedte/oberhausen/bericht.pdf?edition=open-2026&lang=en", headers={"accept-encoding": "gzip"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf" and "content-encoding" not in pdf.headers


def test_a_pdf_report_is_printed_once_per_version_and_refused_while_the_printers_are_busy(client, monkeypatch):
    from cityindex.report import pdf
    from cityindex.web.routes import planning as planning_routes

    calls = []
    real = pdf.print_pdf
    monkeypatch.setattr(pdf, "print_pdf", lambda html, **kw: calls.append(kw) or real(html, **kw))
    url = "/staedte/oberhausen/bericht.pdf?edition=open-2026&lang=de&ziel=30"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert len(calls) == 1  # the second request got the printed file
    monkeypatch.setattr(planning_routes, "PDF_WAIT", 0.05)
    held = [pdf.PRINTERS.acquire(timeout=5) for _ in range(2)]  # both printers busy
    try:
        busy = client.get("/staedte/oberhausen/bericht.pdf?edition=open-2026&lang=en&ziel=31")
    finally:
        for _ in held:
            pdf.PRINTERS.release()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "60"
    assert "/usr/bin" not in busy.text and "chromium" not in busy.text.lower()
