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
    ("movers", "/open-2026/bewegung"),
    ("stats-audit", "/open-2026/statistik"),
    ("stats-audit-published", "/2022/statistik"),
    ("whatif", "/staedte/oberhausen/was-waere-wenn?edition=open-2026&gbfs_feeds_city=7&oklab_any=yes"),
    ("whatif-error", "/staedte/oberhausen/was-waere-wenn?edition=open-2026&gbfs_feeds_city=zwei"),
    ("map-comparable", "/karte?edition=open-2026&colour=comparable_change"),
    ("compare-series", "/vergleich?stadt=oberhausen&stadt=bochum&stadt=muenchen&edition=open-2026"),
]
#: (name, user or None, URL) of the sign-in page and the pages of the team and the cities' reviewers
#: (accounts on); ``{edition}`` is an edition in review.
SIGNED_IN = [
    ("sign-in", None, "/anmelden"),
    ("team", "analyst@example.org", "/team/"),
    ("admin-users", "admin@example.org", "/team/admin/"),
    ("admin-audit-log", "admin@example.org", "/team/admin/protokoll"),
    ("review-board", "analyst@example.org", "/team/pruefung/{edition}"),
    ("review-inbox", "analyst@example.org", "/team/pruefung/{edition}/eingang"),
    ("review-cities", "pruefung@oberhausen.de", "/pruefung/"),
    ("review-city", "pruefung@oberhausen.de", "/pruefung/oberhausen/{edition}"),
    ("review-area", "pruefung@oberhausen.de", "/pruefung/oberhausen/{edition}/bereich/mobilitaet"),
    ("account", "pruefung@oberhausen.de", "/konto"),
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
    _check_every_width(widths_context, name, url)


def _check_every_width(contexts: dict, name: str, url: str) -> None:
    folder = ARTIFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    for width, context in contexts.items():
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


@pytest.fixture(scope="module")
def team_site(serve, add_account_users, open_review_edition):
    """The app with accounts on over a fresh SQLite store: one user per role of tests/web/conftest.py
    and an edition in review (FICTIONAL test methodology, made-up values)."""
    from cityindex.auth.testing import account_settings
    from cityindex.store.testing import fresh_store
    from cityindex.web.app import create_app

    with fresh_store() as store:
        add_account_users(store)
        edition = open_review_edition(store)
        url = serve(lambda base: create_app(cache_ttl=60, warm=False, settings=account_settings(base_url=base),
                                            store=store))
        yield url, edition


@pytest.fixture(scope="module")
def signed_in_contexts(browser, team_site):
    """``contexts(user)``: a browser context per width, signed in as *user* through the sign-in form
    (None: anonymous)."""
    from cityindex.auth.testing import PASSWORD

    base, made = team_site[0], {}

    def contexts(user: str | None) -> dict:
        if user not in made:
            state = None
            if user:
                first = browser.new_context(base_url=base, locale="de-DE")
                page = first.new_page()
                page.goto("/anmelden")
                page.get_by_label("E-Mail-Adresse").fill(user)
                page.get_by_label("Passwort", exact=True).fill(PASSWORD)
                page.get_by_role("button", name="Anmelden").click()
                page.wait_for_load_state()
                state = first.storage_state()
                first.close()
            made[user] = {w: browser.new_context(base_url=base, viewport={"width": w, "height": 900}, locale="de-DE",
                                                 storage_state=state) for w in WIDTHS}
        return made[user]

    yield contexts
    for group in made.values():
        for context in group.values():
            context.close()


@pytest.mark.parametrize("name, user, url", SIGNED_IN, ids=[name for name, _, _ in SIGNED_IN])
def test_signed_in_page_fits_every_width_and_passes_axe(signed_in_contexts, team_site, name, user, url):
    """The sign-in page and the team's and reviewers' pages: no sideways scroll at any width, no
    serious or critical axe violation."""
    _check_every_width(signed_in_contexts(user), name, url.format(edition=team_site[1]))


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
