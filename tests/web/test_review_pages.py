"""The review pages over HTTP: a city saves, corrects with evidence, meets a conflict instead of
losing an update, submits and reads the decisions; the team filters, decides and accepts in bulk.
FICTIONAL test methodology with made-up values for Oberhausen."""

import re

import pytest

from cityindex.auth.testing import csrf_of

CITY, ANALYST = "pruefung@oberhausen.de", "analyst@example.org"
AREA = "/pruefung/oberhausen/r/bereich/mobilitaet"
SPEC = {"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}


@pytest.fixture()
def edition_r(accounts_store, open_review_edition):
    """A fresh edition in review (its own key per test: the module shares one store)."""
    return open_review_edition(accounts_store)


def _area_form(html: str) -> dict:
    """The hidden fields (CSRF token, versions, revisions) of the area form, as a browser sends them."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_a_city_saves_corrects_with_a_file_submits_and_reads_the_decision(visitor, edition_r, evidence_png):
    city, team = visitor(CITY), visitor(ANALYST)
    area = AREA.replace("/r/", f"/{edition_r}/")
    page = city.get(area)
    assert page.status_code == 200 and "Ladepunkte je 1.000 Einwohner" in page.text
    form = {**_area_form(page.text), "k_charging_points": "correct", "v_charging_points": "4,5",
            "c_charging_points": "Zählung der Stadtwerke", "k_bike_share_share": "confirm"}
    saved = city.post(area, data=form, files={"f_charging_points": ("zaehlung.png", evidence_png, "image/png")})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?ok=saved")
    page = city.get(saved.headers["location"])
    assert "Gespeichert." in page.text and "zaehlung.png" in page.text
    upload = re.search(r'/nachweis/(\d+)">zaehlung.png', page.text).group(1)
    file = city.get(f"/pruefung/oberhausen/{edition_r}/nachweis/{upload}")
    assert file.content == evidence_png and file.headers["x-content-type-options"] == "nosniff"
    assert file.headers["content-disposition"] == 'attachment; filename="zaehlung.png"'
    done = city.post(f"/pruefung/oberhausen/{edition_r}/abschliessen", data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 303
    assert 'enctype="multipart/form-data" class="review-form"' not in city.get(area).text  # read-only now
    inbox = team.get(f"/team/pruefung/{edition_r}/eingang")
    assert "4 je 1.000 Einwohner" in inbox.text and "4,5 je 1.000 Einwohner" in inbox.text
    item = re.search(r'/entscheidung/(\d+)"', inbox.text).group(1)
    decided = team.post(f"/team/pruefung/{edition_r}/entscheidung/{item}", data={
        "csrf_token": csrf_of(inbox.text), "ver": "2", "decision": "reject", "reason": "Nur öffentliche Ladepunkte."})
    assert decided.status_code == 303
    page = city.get(area)
    assert "abgelehnt" in page.text and "Nur öffentliche Ladepunkte." in page.text


def test_a_refused_file_is_named_and_nothing_is_stored(visitor, edition_r, accounts_store):
    from cityindex.review import review_entries

    city = visitor(CITY)
    area = AREA.replace("/r/", f"/{edition_r}/")
    form = {**_area_form(city.get(area).text), "k_charging_points": "correct", "v_charging_points": "5"}
    refused = city.post(area, data=form, files={"f_charging_points": ("beleg.pdf", b"<html><script>x</script>",
                                                                      "application/pdf")})
    assert refused.status_code == 422
    assert "Die Datei ist HTML; erlaubt sind nur PDF, PNG und JPEG." in refused.text
    assert 'value="5"' in refused.text  # what was typed is kept
    assert review_entries(accounts_store, edition=edition_r).empty


def test_two_reviewers_of_one_city_get_a_conflict_and_lose_nothing(visitor, edition_r, accounts_store):
    from cityindex.auth.testing import make_user
    from cityindex.review import review_entries

    make_user(accounts_store, f"zweite-{edition_r}@oberhausen.de", role="city", cities=("05119000",))
    first, second = visitor(CITY), visitor(f"zweite-{edition_r}@oberhausen.de")
    area = AREA.replace("/r/", f"/{edition_r}/")
    seen_first, seen_second = first.get(area).text, second.get(area).text
    ok = first.post(area, data={**_area_form(seen_first), "k_charging_points": "correct", "v_charging_points": "5",
                                "u_charging_points": "https://oberhausen.example/1"})
    assert ok.status_code == 303
    late = second.post(area, data={**_area_form(seen_second), "k_charging_points": "correct",
                                   "v_charging_points": "7", "u_charging_points": "https://oberhausen.example/2"})
    assert late.status_code == 409 and "inzwischen geändert" in late.text
    entries = review_entries(accounts_store, edition=edition_r)
    assert entries[["proposed_value", "updated_by"]].values.tolist() == [["5", CITY]]


def test_the_team_filters_accepts_confirmations_in_bulk_and_a_stale_decision_is_refused(visitor, edition_r):
    city, team = visitor(CITY), visitor(ANALYST)
    area = AREA.replace("/r/", f"/{edition_r}/")
    city.post(area, data={**_area_form(city.get(area).text), "k_charging_points": "confirm",
                          "k_bike_share_share": "correct", "v_bike_share_share": "3",
                          "u_bike_share_share": "https://oberhausen.example/rad"})
    city.post(f"/pruefung/oberhausen/{edition_r}/abschliessen", data={"csrf_token": csrf_of(city.get(area).text)})
    base = f"/team/pruefung/{edition_r}"
    assert team.get(f"{base}/eingang.json?art=confirm").json()["data"]["total"] == 1
    assert team.get(f"{base}/eingang.json?stadt=05911000").json()["data"]["total"] == 0
    assert team.get(f"{base}/eingang.json?bereich=verwaltung").json()["data"]["total"] == 0
    board = team.get(base)
    assert "1 von 2 Städten haben ihre Daten geprüft (50 %)." in board.text
    bulk = team.post(f"{base}/bestaetigungen", data={"csrf_token": csrf_of(board.text)})
    assert bulk.status_code == 303
    assert team.get(f"{base}/eingang.json?art=confirm&stand=accepted").json()["data"]["total"] == 1
    inbox = team.get(f"{base}/eingang")
    item = re.search(r'/entscheidung/(\d+)"', inbox.text).group(1)
    stale = team.post(f"{base}/entscheidung/{item}", data={"csrf_token": csrf_of(inbox.text), "ver": "1",
                                                            "decision": "accept"})
    assert stale.status_code == 409 and "inzwischen geändert" in stale.text
    english = team.get(f"{base}/eingang?lang=en")
    assert "Inbox" in english.text and "accept" in english.text and "übernehmen" not in english.text


def test_receipt_and_log_export_are_files_for_the_team(visitor, edition_r):
    team = visitor(ANALYST)
    receipt = team.get(f"/team/pruefung/{edition_r}/beleg/oberhausen")
    assert receipt.status_code == 200 and "Prüfbeleg: Oberhausen" in receipt.text
    assert '<link rel="stylesheet" href="/static/receipt.css">' in receipt.text
    log = team.get(f"/team/pruefung/{edition_r}/export/protokoll.csv")
    assert log.headers["content-disposition"].startswith("attachment") and "opened" in log.text
    assert team.get(f"/team/pruefung/{edition_r}/export/anything.exe").status_code == 404


@pytest.fixture(scope="module")
def evidence_png():
    import vl_convert as vl

    return vl.vegalite_to_png(SPEC)


def test_the_team_asks_back_and_the_city_answers_with_a_new_value(visitor, edition_r, accounts_store):
    from cityindex.review import review_entries

    city, team = visitor(CITY), visitor(ANALYST)
    area = AREA.replace("/r/", f"/{edition_r}/")
    city.post(area, data={**_area_form(city.get(area).text), "k_charging_points": "correct", "v_charging_points": "9",
                          "u_charging_points": "https://oberhausen.example/1"})
    city.post(f"/pruefung/oberhausen/{edition_r}/abschliessen", data={"csrf_token": csrf_of(city.get(area).text)})
    inbox = team.get(f"/team/pruefung/{edition_r}/eingang")
    item = re.search(r'/entscheidung/(\d+)"', inbox.text).group(1)
    team.post(f"/team/pruefung/{edition_r}/entscheidung/{item}", data={
        "csrf_token": csrf_of(inbox.text), "ver": "2", "decision": "ask", "reason": "Zählen Sie Privatanlagen mit?"})
    page = city.get(area)
    assert "Zählen Sie Privatanlagen mit?" in page.text and "Antwort senden" in page.text
    answer = city.post(f"/pruefung/oberhausen/{edition_r}/antwort/{item}", data={
        "csrf_token": csrf_of(page.text), "ver": "3", "body": "Nein; korrigiert.", "v": "4,8",
        "u": "https://oberhausen.example/2"})
    assert answer.status_code == 303
    entry = review_entries(accounts_store, edition=edition_r).iloc[0]
    assert (entry["state"], entry["proposed_value"]) == ("open", "4.8")
    too_big = city.post(f"/pruefung/oberhausen/{edition_r}/antwort/{item}", content=b"x",
                        headers={"content-length": str(40 * 1000 * 1000), "content-type": "multipart/form-data"})
    assert too_big.status_code == 400 and "höchstens drei Nachweis-Dateien" in too_big.text
