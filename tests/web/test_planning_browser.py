"""The what-if form in real Chromium: works without JavaScript, at phone and desktop width."""

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_whatif_form_from_the_city_page(browser, live_server, screenshot, width):
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900}, locale="de-DE",
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto("/staedte/oberhausen?edition=open-2026&lang=de")
    assert page.get_by_role("heading", name="Größte Hebel").is_visible()
    screenshot(page, f"city-oberhausen-open-2026-planning-{width}")
    page.get_by_label("Lab-Seite bei Code for Germany").select_option("yes")
    page.get_by_label("GBFS-Sharing-Feeds mit der Stadt als Ort").fill("3")
    page.get_by_role("button", name="Neu berechnen").click()
    page.wait_for_url(re.compile(r"/staedte/oberhausen/was-waere-wenn\?edition=open-2026"))
    headline = page.locator("#whatif-headline").inner_text()
    from tests.web.test_planning_pages import _rank_today

    assert headline.startswith("Oberhausen:") and f"statt {_rank_today()} von 82" in headline
    screenshot(page, f"whatif-oberhausen-{width}")
    context.close()


def test_planning_sections_raise_no_console_errors(page, screenshot):
    page.goto("/staedte/oberhausen?edition=open-2026&lang=en")
    assert page.get_by_role("heading", name="Biggest levers").is_visible()
    assert page.get_by_role("link", name="Report as PDF").get_attribute("href").startswith("/staedte/oberhausen/bericht.pdf")
    assert page.errors == []  # no CSP violation, no script error
    page.goto("/staedte/oberhausen/was-waere-wenn?edition=open-2026&lang=en&gbfs_feeds_city=zwei")
    assert "is not a number" in page.get_by_role("alert").inner_text()
    screenshot(page, "whatif-oberhausen-error-en")
    assert all("status of 400" in e for e in page.errors)  # only the page's own status
