"""End-to-end tests in real Chromium (Debian's, through Playwright) against a real uvicorn server."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_search_typo_leads_to_oberhausen_rank_52_in_2022(page, screenshot):
    page.goto("/")
    page.get_by_label("Stadt suchen").fill("Oberhaus")
    page.get_by_label("Stadt suchen").press("Enter")
    page.wait_for_url(re.compile(r"/staedte/oberhausen"))
    page.goto("/staedte/oberhausen?edition=2022")
    headline = page.locator("#headline")
    assert "Rang 52 von 81" in headline.inner_text()
    assert "53,8" in headline.inner_text()
    page.wait_for_selector(".chart[data-rendered='true'] svg", timeout=20000)
    screenshot(page, "city-oberhausen-2022")
    assert page.errors == []


def test_switch_to_english_is_remembered(page, screenshot):
    page.goto("/2022/ranking")
    page.get_by_role("link", name=re.compile("English")).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ranking")
    page.goto("/staedte/oberhausen?edition=2022")  # no ?lang= any more: the cookie remembers
    assert "Rank 52 of 81" in page.locator("#headline").inner_text()
    screenshot(page, "city-oberhausen-2022-en")


def test_sort_ranking_by_mobilitaet(page, screenshot):
    page.goto("/2022/ranking")
    page.get_by_role("link", name="Mobilität", exact=True).last.click()
    page.wait_for_url(re.compile(r"sort=mobilitaet"))
    header = page.locator("th[aria-sort]")
    assert "Mobilität" in header.inner_text()
    assert header.get_attribute("aria-sort") == "descending"
    first = page.locator("#ranking-table tbody tr").first.locator("th").inner_text()
    screenshot(page, "ranking-2022-by-mobilitaet")
    # München has the best published 2022 Mobilität score among the known rows (91.4)
    assert first == "München"


def test_open_city_from_map(page, screenshot):
    page.goto("/karte?edition=2022")
    tip = page.locator(".map-tooltip")
    # mouse: hover shows name, rank and score; click opens the city
    hamburg = page.locator("a.marker[data-name='Hamburg']")
    hamburg.hover()
    assert "Hamburg" in tip.inner_text() and "#1" in tip.inner_text() and "86,1" in tip.inner_text()
    screenshot(page, "map-2022")
    hamburg.click()
    page.wait_for_url(re.compile(r"/staedte/hamburg$"))
    # keyboard: the Ruhr markers are dense, so reach Oberhausen by focus and open it with Enter
    page.goto("/karte?edition=2022")
    oberhausen = page.locator("a.marker[data-name='Oberhausen']")
    oberhausen.focus()
    assert "Oberhausen" in tip.inner_text() and "#52" in tip.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staedte/oberhausen$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Oberhausen")


def test_compare_two_cities(page, screenshot):
    page.goto("/vergleich")
    page.get_by_label("Stadt 1").select_option("oberhausen")
    page.get_by_label("Stadt 2").select_option("bochum")
    page.get_by_label("Ausgabe").select_option("2022")
    page.get_by_role("button", name="Vergleichen").click()
    page.wait_for_url(re.compile(r"/vergleich\?"))
    table = page.locator("#compare-table")
    assert "Oberhausen" in table.inner_text() and "Bochum" in table.inner_text()
    row_2022 = table.locator("tr", has=page.locator("th", has_text=re.compile(r"^\s*2022\s*$")))  # not open-2022
    assert "52" in row_2022.inner_text() and "8" in row_2022.inner_text()
    page.wait_for_selector(".chart[data-rendered='true'] svg", timeout=20000)
    screenshot(page, "compare-oberhausen-bochum")
    assert page.errors == []


def test_home_and_ranking_screenshots_without_console_errors(page, screenshot):
    page.goto("/")
    screenshot(page, "home")
    page.goto("/2022/ranking")
    screenshot(page, "ranking-2022")
    page.goto("/staedte/oberhusen")
    assert page.get_by_role("link", name="Oberhausen").count() >= 1
    screenshot(page, "not-found")
    assert [e for e in page.errors if "404" not in e] == []


@pytest.mark.parametrize("path", ["/", "/2022/ranking", "/staedte/oberhausen", "/karte", "/vergleich", "/methodik", "/downloads"])
def test_accessible_structure_and_keyboard(page, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert page.locator("main#main").count() == 1
    # every form control has an accessible name (label, aria-label)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.outerHTML)""")
    assert unlabelled == []
    # the first Tab reaches the skip link, Enter moves focus into the main content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # every table has header cells
    assert page.evaluate("[...document.querySelectorAll('table')].every(t => t.querySelector('th'))")
