"""Accounts in real Chromium against a real server: invite → set password → sign in → team pages →
sign out; a city user cannot open another city's pages; axe-core finds no serious or critical
accessibility problem on the sign-in, invitation, account and admin pages."""

import re

import pytest

from cityindex.auth.testing import PASSWORD, account_settings, make_user
from cityindex.web.app import create_app

pytestmark = pytest.mark.browser
NEW_PASSWORD = "harbour kettle marching slowly"


@pytest.fixture(scope="module")
def site(serve):
    """The app with accounts on over a fresh SQLite store holding an admin and a city user (Oberhausen)."""
    from cityindex.store.testing import fresh_store

    with fresh_store() as store:
        make_user(store, "admin@example.org", role="admin")
        make_user(store, "pruefung@oberhausen.de", role="city", cities=("05119000",))
        def build(base: str):
            return create_app(cache_ttl=60, warm=False, settings=account_settings(base_url=base), store=store)

        yield serve(build)


@pytest.fixture()
def tab(open_page, site):
    return open_page(site)


def _sign_in(pg, email: str, password: str = PASSWORD) -> None:
    pg.goto("/anmelden")
    pg.get_by_label("E-Mail-Adresse").fill(email)
    pg.get_by_label("Passwort", exact=True).fill(password)
    pg.get_by_role("button", name="Anmelden").click()
    pg.wait_for_load_state()


def _serious_violations(pg) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(pg).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v.get("impact") in ("serious", "critical")]


def _both_widths(pg, screenshot, name: str) -> None:
    for width in (390, 1280):
        pg.set_viewport_size({"width": width, "height": 900})
        screenshot(pg, f"{name}-{width}")
    pg.set_viewport_size({"width": 1280, "height": 900})


def test_invite_set_password_sign_in_team_pages_sign_out(tab, open_page, site, screenshot):
    # the admin adds an analyst and gets the invitation link
    _sign_in(tab, "admin@example.org")
    tab.wait_for_url(re.compile(r"/team/$"))
    tab.get_by_role("link", name="Benutzerverwaltung").first.click()
    tab.get_by_label("E-Mail-Adresse").fill("ana@example.org")
    tab.get_by_label("Name", exact=True).fill("Ana Analyse")
    tab.get_by_label("Rolle", exact=True).select_option("analyst")
    tab.get_by_role("button", name="Hinzufügen und Einladungslink erzeugen").click()
    link = tab.get_by_label("Link").input_value()
    assert link.startswith(site + "/zugang/")
    assert _serious_violations(tab) == []
    _both_widths(tab, screenshot, "admin-users")
    tab.get_by_role("button", name="Abmelden").first.click()
    tab.wait_for_url(site + "/")

    # the analyst follows the link in a browser of their own
    ana = open_page(site)
    ana.set_viewport_size({"width": 390, "height": 844})
    ana.goto(link)
    assert "ana@example.org" in ana.locator("main").inner_text()
    assert _serious_violations(ana) == []
    screenshot(ana, "invitation-390")
    ana.get_by_label("Neues Passwort", exact=True).fill("passwort12345")
    ana.get_by_label("Neues Passwort wiederholen").fill("passwort12345")
    ana.get_by_role("button", name="Passwort speichern").click()
    assert "leicht zu erraten" in ana.locator(".form-error").inner_text()
    ana.get_by_label("Neues Passwort", exact=True).fill(NEW_PASSWORD)
    ana.get_by_label("Neues Passwort wiederholen").fill(NEW_PASSWORD)
    ana.get_by_role("button", name="Passwort speichern").click()
    ana.wait_for_url(re.compile(r"/anmelden\?done=password"))
    assert _serious_violations(ana) == []
    screenshot(ana, "sign-in-390")
    _sign_in(ana, "ana@example.org", NEW_PASSWORD)
    ana.wait_for_url(re.compile(r"/team/$"))
    assert "ana@example.org" in ana.locator("main").inner_text()
    ana.get_by_role("link", name="Mein Konto").first.click()
    assert _serious_violations(ana) == []
    screenshot(ana, "account-390")
    ana.get_by_role("button", name="Abmelden").first.click()
    ana.goto("/team/")
    assert "/anmelden" in ana.url  # signed out: the team page asks to sign in again
    # the used link is refused
    tab.goto(link)
    assert "bereits benutzt oder abgelaufen" in tab.locator("main").inner_text()


def test_a_city_user_sees_only_its_own_city(tab, screenshot):
    _sign_in(tab, "pruefung@oberhausen.de")
    tab.wait_for_url(re.compile(r"/pruefung/$"))
    cities = tab.locator("ul.city-list li").all_inner_texts()
    assert len(cities) == 1 and cities[0].startswith("Oberhausen")
    _both_widths(tab, screenshot, "review-home")
    tab.get_by_role("link", name="Oberhausen", exact=True).click()
    assert "Datenprüfung Oberhausen" in tab.get_by_role("heading", level=1).inner_text()
    for guess in ("/pruefung/bochum", "/pruefung/05911000", "/team/", "/team/admin/"):
        response = tab.goto(guess)
        assert response.status == 403, guess
        assert "Kein Zugriff" in tab.get_by_role("heading", level=1).inner_text()
    screenshot(tab, "review-forbidden-1280")
    assert [e for e in tab.errors if "status of 403" not in e] == []  # no CSP or script error


def test_sign_in_page_in_english_and_its_error_are_accessible(tab, screenshot):
    tab.goto("/anmelden?lang=en")
    tab.get_by_label("E-mail address").fill("nobody@example.org")
    tab.get_by_label("Password", exact=True).fill("wrong wrong wrong")
    tab.get_by_role("button", name="Sign in").click()
    assert tab.locator(".form-error").inner_text() == "E-mail address or password is wrong."
    assert _serious_violations(tab) == []
    _both_widths(tab, screenshot, "sign-in-error-en")
