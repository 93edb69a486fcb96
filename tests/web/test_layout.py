"""Every public page fits every screen and passes axe-core, in real Chromium against a real server.

``PAGES`` is the list of pages checked; a new page is added here once and is then checked at
every width and by axe. Screenshots of every page at every width go to
``test-artifacts/layout/<name>-<width>.jpeg`` (docs/web.md shows a few of them).
"""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser

WIDTHS = (390, 768, 1280)

#: (name, URL) of every public page: start, rankings of a published and a computed edition, map,
#: city pages, comparison, methodology, downloads, sources, API docs, search, city list and a 404.
PAGES = [
    ("start", "/"),
    ("ranking-published", "/2022/ranking"),
    ("ranking-computed", "/open-2026/ranking"),
    ("ranking-area", "/2022/ranking/mobilitaet"),
    ("map", "/karte?edition=2022"),
    ("city-published", "/staedte/oberhausen?edition=2022"),
    ("city-computed", "/staedte/oberhausen?edition=open-2026"),
    ("compare", "/vergleich?stadt=oberhausen&stadt=bochum&stadt=muenchen&edition=2022"),
    ("methodology", "/methodik"),
    ("downloads", "/downloads"),
    ("sources", "/quellen"),
    ("api-docs", "/api/docs"),
    ("cities", "/staedte"),
    ("search", "/suche?q=burg"),
    ("not-found", "/gibt-es-nicht"),
]

# Charts are drawn by script after load; wait for them so the width includes them.
_CHARTS_READY = "() => [...document.querySelectorAll('.chart[data-spec]')].every(c => c.dataset.rendered || c.dataset.error)"


@pytest.fixture(scope="module")
def widths_context(browser, live_server):
    contexts = {w: browser.new_context(base_url=live_server, viewport={"width": w, "height": 900}, locale="de-DE")
                for w in WIDTHS}
    yield contexts
    for context in contexts.values():
        context.close()


def _open(context, url):
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(url)
    page.wait_for_function(_CHARTS_READY, timeout=20000)
    return page


def _overflowing(page) -> list[str]:
    """Elements that stick out to the right of the viewport (for a readable failure message)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''}`)""")


@pytest.mark.parametrize("name, url", PAGES, ids=[name for name, _ in PAGES])
def test_page_fits_every_width_and_passes_axe(widths_context, name, url):
    """No page scrolls sideways at 390, 768 or 1280 px (only wide tables scroll, inside their box),
    and axe-core (axe-playwright-python) finds no serious or critical violation."""
    folder = ARTIFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    for width, context in widths_context.items():
        page = _open(context, url)
        try:
            scroll_width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            page.screenshot(path=str(folder / f"{name}-{width}.jpeg"), full_page=True, type="jpeg", quality=70)
            assert scroll_width <= inner, f"{url} at {width} px is {scroll_width} px wide: {_overflowing(page)}"
            assert page.errors == []
            if width == WIDTHS[-1]:
                assert _serious_violations(page) == [], url
        finally:
            page.close()


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations
            if v["impact"] in ("serious", "critical")]


def test_wide_table_scrolls_in_its_box_with_the_city_column_fixed(widths_context):
    page = _open(widths_context[390], "/2022/ranking")
    box = page.locator(".table-wrap").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table is wider than the phone
    city = page.locator("#ranking-table tbody th[scope=row]").first
    before = city.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = 400; }")
    after = city.bounding_box()["x"]
    assert after <= before and after >= box.bounding_box()["x"] - 1  # stuck at the box's left edge
    assert page.locator("#ranking-table tbody td.num").first.bounding_box()["x"] < before  # the rest moved
    page.close()
