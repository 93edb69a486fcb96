"""The review round end to end in Chromium on PostgreSQL: `review open` mails the city's reviewer
through a real SMTP server → the link → set a password → confirm three values, correct one with a
PDF → submit → the analyst accepts → the edition is scored again → `cityindex history` shows the
change with the entry → the public pages show nothing of it before publication. On the way: axe-core
on the city's review page and the team's inbox (no serious or critical violation) and screenshots
at 390 and 1280 px. FICTIONAL test methodology with made-up values for three real cities."""

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cityindex.auth.testing import PASSWORD, account_settings, make_user
from cityindex.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
METHODOLOGY = Path(__file__).parents[1] / "data" / "io" / "methodology.yaml"
EDITION, NEW_PASSWORD = "pruef-2026", "harbour kettle marching slowly"
VALUES = [("Oberhausen", "online_appointments", "ja"), ("Oberhausen", "eid_services", "einige"),
          ("Oberhausen", "charging_points", 4.0), ("Oberhausen", "bike_share_share", 2.5),
          ("Bochum", "online_appointments", "nein"), ("Bochum", "eid_services", "alle"),
          ("Bochum", "charging_points", 6.0), ("Bochum", "bike_share_share", 1.0),
          ("Essen", "online_appointments", "ja"), ("Essen", "eid_services", "keine"),
          ("Essen", "charging_points", 9.0), ("Essen", "bike_share_share", 4.0)]


@pytest.fixture()
def round_store(pg_url, monkeypatch):
    """A PostgreSQL store that is also the website's store: edition in draft, a new city reviewer, an analyst."""
    from cityindex import editions
    from cityindex.io.importer import import_frame
    from cityindex.store import create_edition
    from cityindex.store.testing import fresh_store
    from cityindex.web import data

    with fresh_store(pg_url) as store:
        url = store.engine.url.render_as_string(hide_password=False)
        monkeypatch.setenv("CITYINDEX_DATABASE_URL", url)
        monkeypatch.setenv("CITYINDEX_OPEN_PILOT", "false")
        data._cache["views"] = None
        create_edition(store, EDITION, METHODOLOGY, title="Prüfausgabe 2026 (fiktiv)")
        frame = pd.DataFrame(VALUES, columns=["city", "parameter", "value"]).assign(
            source_url="https://example.org/erhebung", retrieved="2026-03-01")
        import_frame(store, frame, edition=EDITION, by="collector")
        make_user(store, "pruefung@oberhausen.de", role="city", cities=("05119000",), password=None)
        make_user(store, "analyst@example.org", role="analyst")
        yield store, url
        data._cache["views"] = None
        editions._STORES.pop(url, None)


def _cli(url: str, *args: str):
    from cityindex.cli import app

    result = CliRunner().invoke(app, [*args, "--database-url", url])
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


def _serious(pg) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [f"{v['id']}: {v['help']}" for v in Axe().run(pg).response["violations"]
            if v.get("impact") in ("serious", "critical")]


def _shots(pg, screenshot, name: str) -> None:
    for width in (390, 1280):
        pg.set_viewport_size({"width": width, "height": 900})
        screenshot(pg, f"{name}-{width}")
    pg.set_viewport_size({"width": 1280, "height": 900})


def _sign_in(pg, email: str, password: str) -> None:
    pg.goto("/anmelden")
    pg.get_by_label("E-Mail-Adresse").fill(email)
    pg.get_by_label("Passwort", exact=True).fill(password)
    pg.get_by_role("button", name="Anmelden").click()
    pg.wait_for_load_state()


def test_review_round_end_to_end(round_store, serve, open_page, smtp_server, monkeypatch, screenshot):
    import vl_convert as vl

    store, url = round_store
    smtp, inbox = smtp_server

    def build(base: str):
        monkeypatch.setenv("CITYINDEX_BASE_URL", base)
        monkeypatch.setenv("CITYINDEX_SMTP_HOST", smtp["smtp_host"])
        monkeypatch.setenv("CITYINDEX_SMTP_PORT", str(smtp["smtp_port"]))
        return create_app(cache_ttl=60, warm=False, settings=account_settings(base_url=base), store=store)

    site = serve(build)
    deadline = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    assert "1 invitation(s) sent" in _cli(url, "review", "open", "--edition", EDITION, "--deadline", deadline)

    # the mail arrived at the SMTP server: a personal link and the review page
    [(to, mail)] = inbox.messages
    body = mail.get_content()
    assert to == ["pruefung@oberhausen.de"] and "Frist" in body
    access = re.search(r"(http://\S+/zugang/\S+)", body).group(1)
    review_url = re.search(r"Oberhausen: (http://\S+)", body).group(1)
    assert review_url == f"{site}/pruefung/oberhausen/{EDITION}"

    # the reviewer sets a password and signs in
    city = open_page(site)
    city.goto(access)
    city.get_by_label("Neues Passwort", exact=True).fill(NEW_PASSWORD)
    city.get_by_label("Neues Passwort wiederholen").fill(NEW_PASSWORD)
    city.get_by_role("button", name="Passwort speichern").click()
    city.wait_for_url(re.compile(r"/anmelden\?done=password"))
    city.goto(review_url)
    city.get_by_label("E-Mail-Adresse").fill("pruefung@oberhausen.de")
    city.get_by_label("Passwort", exact=True).fill(NEW_PASSWORD)
    city.get_by_role("button", name="Anmelden").click()
    city.wait_for_url(review_url)
    assert "Datenprüfung Oberhausen" in city.get_by_role("heading", level=1).inner_text()

    # three confirmations and one correction with a PDF, area by area
    city.get_by_role("link", name="Verwaltung").click()
    for code in ("online_appointments", "eid_services"):
        city.locator(f"#p-{code}").get_by_label("bestätigen").check()
    city.get_by_role("button", name="Bereich speichern").click()
    assert "Gespeichert." in city.locator("main").inner_text()
    city.get_by_role("link", name="Zurück zur Übersicht").click()
    city.get_by_role("link", name="Mobilität").click()
    city.locator("#p-bike_share_share").get_by_label("bestätigen").check()
    charging = city.locator("#p-charging_points")
    charging.get_by_label("korrigieren").check()
    charging.get_by_label("Richtiger Wert").fill("4,5")
    charging.get_by_label("Kommentar").fill("Zählung der Stadtwerke vom 1. April")
    charging.get_by_label("Nachweis: Datei").set_input_files(
        {"name": "zaehlung.pdf", "mimeType": "application/pdf", "buffer": vl.vegalite_to_pdf(
            {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitative"}}})})
    city.get_by_role("button", name="Bereich speichern").click()
    assert "Gespeichert." in city.locator("main").inner_text() and "zaehlung.pdf" in charging.inner_text()
    assert _serious(city) == []
    _shots(city, screenshot, "review-city-area")
    city.get_by_role("link", name="Zurück zur Übersicht").click()
    assert _serious(city) == []
    _shots(city, screenshot, "review-city-overview")
    city.get_by_role("button", name="Prüfung abschließen").click()
    assert "Die Prüfung ist abgeschlossen" in city.locator("main").inner_text()

    # the analyst accepts the correction
    team = open_page(site)
    _sign_in(team, "analyst@example.org", PASSWORD)
    team.goto(f"/team/pruefung/{EDITION}/eingang")
    entry = team.locator("article.queue-item").filter(has_text="Ladepunkte")
    assert "4,5 je 1.000 Einwohner" in entry.inner_text() and "zaehlung.pdf" in entry.inner_text()
    assert _serious(team) == []
    _shots(team, screenshot, "review-team-inbox")
    entry.get_by_label("Begründung oder Rückfrage").fill("Zählung der Stadtwerke übernommen")
    entry.get_by_role("button", name="übernehmen").click()
    assert "Entscheidung gespeichert." in team.locator("main").inner_text()
    team.goto(f"/team/pruefung/{EDITION}")
    assert _serious(team) == []
    _shots(team, screenshot, "review-team-board")

    # scored again; the history shows the change with the entry
    _cli(url, "score", "--edition", EDITION)
    history = _cli(url, "history", "--edition", EDITION, "--city", "Oberhausen", "--parameter", "charging_points",
                   "--format", "json")
    import json

    last = json.loads(history)[-1]
    assert (last["old_value"], last["new_value"]) == ("4", "4.5") and last["review_item_id"]
    assert "Zählung der Stadtwerke übernommen" in last["reason"] and f"review #{last['review_item_id']}" in last["reason"]

    # the public sees nothing of the edition before publication; the team does
    from cityindex.web import data

    data._cache["views"] = None  # the site reads its editions again (as after its cache time)
    public = open_page(site)
    for path in (f"/{EDITION}/ranking", f"/staedte/oberhausen?edition={EDITION}"):
        assert public.goto(path).status == 404, path
    assert EDITION not in public.goto("/index.json").text()
    assert team.goto(f"/{EDITION}/ranking").status == 200
    assert [e for e in city.errors + team.errors if "status of 40" not in e] == []
