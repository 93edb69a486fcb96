"""Rank intervals and the statistical audit on the website: HTML, JSON twins, real Chromium.

open-2026 holds real data points of real cities (bundled with their sources); the intervals come
from run_uncertainty on them with the methodology's default seed.
"""

import re

import pytest

OBERHAUSEN = "05119000"


@pytest.fixture(scope="module")
def oberhausen_interval(client):
    rows = client.get("/open-2026/ranking.json").json()["data"]["rows"]
    return next(r for r in rows if r["ags"] == OBERHAUSEN)


def test_ranking_json_has_intervals_and_groups(client, oberhausen_interval):
    data = client.get("/open-2026/ranking.json").json()["data"]
    u = data["uncertainty"]
    assert u["available"] and u["runs"] == 10_000 and u["seed"] == 0
    interval = oberhausen_interval["interval"]
    assert interval["low"] <= interval["median"] <= interval["high"]
    grouped = {c["name"] for g in u["groups"] for c in g["cities"]}
    assert all(r["city"] in grouped for r in data["rows"] if r["interval"]["group"] is not None)
    assert u["chart"]["layer"][0]["mark"]["type"] == "rule"


def test_ranking_html_shows_the_interval_next_to_the_rank(client, oberhausen_interval):
    interval = oberhausen_interval["interval"]
    html = client.get("/open-2026/ranking?lang=de").text
    row = re.search(r'<tr>\s*<td>[^<]*<small class="interval">.*?Oberhausen</a>', html, re.S).group(0)
    assert f'{interval["low"]}–{interval["high"]}</small>' in row
    assert "Statistisch gleichauf" in html and 'href="/open-2026/statistik"' in html


def test_city_page_says_platz_with_interval_in_both_languages(client, oberhausen_interval):
    i = oberhausen_interval["interval"]
    german = client.get("/staedte/oberhausen?edition=open-2026&lang=de").text
    assert f"Platz {oberhausen_interval['rank']} ({i['low']}–{i['high']})" in german
    assert "in 90 % von 10.000 Berechnungen" in german
    english = client.get("/staedte/oberhausen?edition=open-2026&lang=en").text
    assert f"Rank {oberhausen_interval['rank']} ({i['low']}–{i['high']})" in english
    assert "Gewichte" not in english and "(weights, aggregation, normalisation)" in english
    data = client.get("/staedte/oberhausen.json?edition=open-2026").json()["data"]["rank_interval"]
    assert (data["low"], data["high"]) == (i["low"], i["high"])


@pytest.mark.parametrize("url", ["/2022/ranking", "/staedte/oberhausen?edition=2022"])
def test_published_editions_say_no_interval_can_be_computed(client, url):
    joiner = "&" if "?" in url else "?"
    assert "kann kein Rangintervall berechnet werden" in client.get(f"{url}{joiner}lang=de").text
    assert "No rank interval can be computed" in client.get(f"{url}{joiner}lang=en").text


def test_methodology_page_lists_what_varied(client):
    html = client.get("/methodik?lang=de").text
    assert "Was die Unsicherheitsanalyse variiert" in html and "Gewichte der Bereiche" in html
    methodologies = client.get("/methodik.json?lang=en").json()["data"]["methodologies"]
    u = next(m for m in methodologies if m["key"] == "open-2026")["uncertainty"]
    assert {a["address"] for a in u["assumptions"]} >= {"weights.areas", "rules.normalisation"}
    assert u["sensitivity"][0]["pawn"] >= u["sensitivity"][-1]["pawn"]


def test_stats_audit_page_and_twin(client):
    data = client.get("/open-2026/statistik.json").json()["data"]
    assert data["available"] and data["checked"] > 82
    assert {c["check"] for c in data["checks"]} >= {"coverage-city", "cronbach-alpha"}
    assert "Statistische Prüfung" in client.get("/open-2026/statistik?lang=de").text
    published = client.get("/2022/statistik.json").json()["data"]
    assert published["available"] is False
    assert "keine statistische Prüfung möglich" in client.get("/2022/statistik?lang=de").text


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_whiskers_render_in_chromium(browser, live_server, screenshot, width):
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900}, locale="de-DE")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto("/open-2026/ranking")
    page.wait_for_selector(".chart[data-spec='chart-intervals'][data-rendered='true'] svg", timeout=30000)
    screenshot(page, f"ranking-open-2026-intervals-{width}")
    page.goto("/staedte/oberhausen?edition=open-2026")
    assert re.search(r"Platz \d+ \(\d+–\d+\)", page.locator("#rank-interval").inner_text())
    screenshot(page, f"city-oberhausen-open-2026-interval-{width}")
    for url, name in (("/methodik", "methodology-uncertainty"), ("/open-2026/statistik", "stats-audit-open-2026")):
        page.goto(url)
        screenshot(page, f"{name}-{width}")
    assert errors == []
    context.close()
