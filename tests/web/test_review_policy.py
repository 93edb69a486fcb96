"""The review pages in the access matrix: every role × every review route × own/other city, also by
guessing ids — city A can neither see nor change city B's data points, entries, files or receipt.

The edition uses the FICTIONAL test methodology with made-up values for Oberhausen and Bochum."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cityindex.auth.testing import csrf_of

from test_policy import ROLES, TEAM, _denied

METHODOLOGY = Path(__file__).parents[1] / "data" / "io" / "methodology.yaml"
OWN = {"city Oberhausen": "05119000", "city Bochum": "05911000"}
CITIES = {"oberhausen": "05119000", "05119000": "05119000", "bochum": "05911000", "05911000": "05911000"}
PNG_SPEC = {"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}


@pytest.fixture(scope="module")
def round_ids(accounts_store):
    """Edition ``e`` in review; each city has one submitted correction with an uploaded PNG."""
    import vl_convert as vl

    from cityindex.io.importer import import_frame
    from cityindex.review import Entry, open_campaign, save_entries, store_upload, submit_review
    from cityindex.store import create_edition

    create_edition(accounts_store, "e", METHODOLOGY)
    frame = pd.DataFrame({"city": ["Oberhausen", "Bochum"], "parameter": ["charging_points"] * 2,
                          "value": [4.0, 6.0], "source_url": "https://example.org/test"})
    import_frame(accounts_store, frame, edition="e", by="test")
    open_campaign(accounts_store, edition="e", deadline=dt.date.today() + dt.timedelta(days=9), by="test")
    ids = {}
    for ags in ("05119000", "05911000"):
        upload = store_upload(accounts_store, edition="e", city=ags, data=vl.vegalite_to_png(PNG_SPEC),
                              file_name="beleg.png", by="test")
        saved = save_entries(accounts_store, edition="e", city=ags, by="test", entries=[
            Entry("charging_points", "correct", value="5", upload_id=upload.id, base_revision=1)])
        submit_review(accounts_store, edition="e", city=ags, by="test")
        ids[ags] = {"upload": upload.id, "item": saved["charging_points"][0]}
    return ids


def _city_pages(ids) -> list[tuple[str, str]]:
    """(path, AGS of the city it shows) for every city-scoped GET page, by slug and by AGS."""
    pages = []
    for name, ags in CITIES.items():
        base = f"/pruefung/{name}/e"
        pages += [(p, ags) for p in (base, base + ".json", base + "/bereich/mobilitaet",
                                     base + "/bereich/mobilitaet.json", base + "/beleg",
                                     f"{base}/nachweis/{ids[ags]['upload']}")]
    return pages


def _team_pages(ids) -> list[str]:
    base = "/team/pruefung/e"
    return [base, base + ".json", base + "/eingang", base + "/eingang.json", base + "/eingang?stadt=05911000",
            f"{base}/nachweis/{ids['05119000']['upload']}", f"{base}/nachweis/{ids['05911000']['upload']}",
            base + "/beleg/oberhausen", base + "/beleg/05911000", base + "/export/pruefung.xlsx",
            base + "/export/protokoll.csv"]


@pytest.mark.parametrize("email", list(ROLES), ids=list(ROLES.values()))
def test_each_role_opens_exactly_its_review_pages(visitor, round_ids, email):
    client, role = visitor(email), ROLES[email]
    for path, ags in _city_pages(round_ids):
        allowed = role in TEAM or OWN.get(role) == ags
        response = client.get(path)
        if allowed:
            assert response.status_code == 200, (role, path, response.text[:200])
        else:
            assert _denied(response, anonymous=email is None, json=path.endswith(".json")), (role, path)
            assert "Traceback" not in response.text and "charging" not in response.text.lower()
    for path in _team_pages(round_ids):
        response = client.get(path)
        if role in TEAM:
            assert response.status_code == 200, (role, path)
        else:
            assert _denied(response, anonymous=email is None, json=path.endswith(".json")), (role, path)
    pdf = client.get("/pruefung/bochum/e/beleg.pdf")
    if role not in TEAM and OWN.get(role) != "05911000":
        assert _denied(pdf, anonymous=email is None, json=False)


@pytest.mark.parametrize("email", ["pruefung@oberhausen.de", "pruefung@bochum.de"])
def test_guessed_ids_of_the_other_city_do_not_exist_on_the_own_pages(visitor, round_ids, email):
    client = visitor(email)
    own, other = ("oberhausen", "05911000") if "oberhausen" in email else ("bochum", "05119000")
    assert client.get(f"/pruefung/{own}/e/nachweis/{round_ids[other]['upload']}").status_code == 404
    assert client.get(f"/pruefung/{own}/e/nachweis/999999").status_code == 404
    token = csrf_of(client.get(f"/pruefung/{own}/e").text)
    answer = client.post(f"/pruefung/{own}/e/antwort/{round_ids[other]['item']}",
                         data={"csrf_token": token, "ver": "2", "body": "x"})
    assert answer.status_code == 404 and "Traceback" not in answer.text
    sheet = client.get(f"/pruefung/{own}/e.json").json()["data"]
    assert {p["item"]["id"] for a in sheet["areas"] for i in a["indicators"] for p in i["parameters"]
            if p["item"]} == {round_ids[CITIES[own]]["item"]}


@pytest.mark.parametrize("email", [None, "analyst@example.org", "pruefung@oberhausen.de"],
                         ids=["anonymous", "analyst", "city Oberhausen"])
def test_no_change_to_another_citys_review_even_with_a_valid_form(visitor, round_ids, accounts_store, email):
    from cityindex.review import review_log

    client = visitor(email)
    token = csrf_of(client.get("/anmelden").text) if email is None else csrf_of(client.get("/konto").text)
    before = len(review_log(accounts_store, edition="e"))
    posts = ["/pruefung/bochum/e/bereich/mobilitaet", "/pruefung/05911000/e/bestaetigen",
             "/pruefung/bochum/e/abschliessen", f"/pruefung/bochum/e/antwort/{round_ids['05911000']['item']}"]
    if email != "analyst@example.org":
        posts += [f"/team/pruefung/e/entscheidung/{round_ids['05911000']['item']}", "/team/pruefung/e/bestaetigungen"]
    for path in posts:
        response = client.post(path, data={"csrf_token": token, "k_charging_points": "confirm",
                                           "ver_charging_points": "2", "rev_charging_points": "1", "ver": "2",
                                           "body": "x", "decision": "accept"})
        assert _denied(response, anonymous=email is None, json=False), (email, path)
    assert len(review_log(accounts_store, edition="e")) == before


def test_a_form_without_its_csrf_token_changes_nothing(visitor, round_ids, accounts_store):
    from cityindex.review import review_log

    client = visitor("admin@example.org")
    before = len(review_log(accounts_store, edition="e"))
    for path in ("/team/pruefung/e/bestaetigungen", f"/team/pruefung/e/entscheidung/{round_ids['05119000']['item']}",
                 "/pruefung/oberhausen/e/bestaetigen"):
        response = client.post(path, data={"decision": "accept", "ver": "2"})
        assert response.status_code == 403, path
    assert len(review_log(accounts_store, edition="e")) == before
