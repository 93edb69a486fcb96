"""The open series on the site: comparable rank changes next to the as-computed ones, the movers page,
the source version of every value, the map colouring and the Breitbandatlas credit."""

import re

from cityindex.editions import get_edition


def test_city_json_gives_both_changes_for_every_edition_of_the_open_series(client):
    data = client.get("/staedte/oberhausen.json?edition=open-2026").json()["data"]
    view = get_edition("open-2026").get("05119000")
    assert data["current"]["rank_change"] == view["rank_change"]
    assert data["current"]["comparable_change"] == view["comparable_change"]
    series = [h for h in data["history"] if h["series"] == "open"]
    assert [h["key"] for h in series] == [f"open-{y}" for y in range(2019, 2027)]
    assert series[0]["comparable_change"] is None and all(h["comparable_change"] is not None for h in series[1:])


def test_city_page_shows_the_comparable_change_and_what_it_means(client):
    html = client.get("/staedte/oberhausen?edition=open-2026&lang=de").text
    assert "Tendenz vergleichbar" in html and "beide Jahre nach den Regeln von open-2026" in html
    assert 'href="/open-2026/bewegung"' in html  # the edition's movers
    en = client.get("/staedte/oberhausen?edition=open-2026&lang=en").text
    assert "Change, comparable" in en and "Computed comparably" in en


def test_every_repository_value_names_its_source_version(client):
    values = client.get("/staedte/oberhausen.json?edition=open-2026").json()["data"]["values"]
    versions = {v["parameter"]: v["source_version"] for v in values}
    assert versions["gbfs_feeds_city"] == {"repository": "MobilityData/gbfs",
                                           "commit": "2d9ecb543f0fcb5d3394487e7ae9fef589cfb6cb", "date": "2026-07-21"}
    assert versions["mpsc_funded"] is None  # an announcement page, not a repository file
    assert all(v["source_version"]["commit"] in v["source_url"] for v in values if v["source_version"])
    html = client.get("/staedte/oberhausen?edition=open-2026").text
    assert "MobilityData/gbfs @ <code>2d9ecb54</code>" in html


def test_breitbandatlas_values_carry_the_credit_on_the_page(client):
    html = client.get("/staedte/oberhausen?edition=open-2026").text
    assert "Breitbandatlas | Gigabit-Grundbuch" in html
    series = client.get("/open-2021/ranking.json").json()["data"]
    assert any("Breitbandatlas | Gigabit-Grundbuch" in n for n in series["notes"])


def test_ranking_of_a_series_edition_has_the_comparable_column_and_links_the_movers(client):
    html = client.get("/open-2026/ranking?lang=de").text
    assert "Tendenz vergleichbar" in html and 'href="/open-2026/bewegung"' in html
    rows = client.get("/open-2026/ranking.json?sort=comparable_change").json()["data"]["rows"]
    changes = [r["comparable_change"] for r in rows]
    assert changes == sorted(changes, reverse=True)
    assert "Tendenz vergleichbar" not in client.get("/2022/ranking?lang=de").text


def test_an_edition_page_says_which_parameters_the_year_lacks(client):
    notes = client.get("/open-2022/ranking.json?lang=en").json()["data"]["notes"]
    lacking = next(n for n in notes if n.startswith("No data in this edition"))
    assert "Gigabit availability, households" in lacking and "GovData publisher names" in lacking
    assert not any(n.startswith("No data in this edition") for n in
                   client.get("/open-2026/ranking.json?lang=en").json()["data"]["notes"])


def test_movers_page_lists_risers_and_fallers_with_their_values(client):
    data = client.get("/open-2023/bewegung.json?lang=en").json()["data"]
    assert data["available"] and data["basis"] == "comparable" and data["previous"]["key"] == "open-2022"
    assert data["up"] and data["down"] and len(data["up"]) <= 10
    assert all(m["comparable_change"] > 0 for m in data["up"])
    assert "GovData publisher names of the municipality" in data["left_out"]  # not known in 2022
    html = client.get("/open-2023/bewegung?lang=de").text
    assert "Aufsteiger" in html and "Absteiger" in html and "Geänderte Werte" in html
    area = client.get("/open-2023/bewegung.json?area=mobilitaet").json()["data"]
    assert area["scope"]["code"] == "mobilitaet"


def test_movers_page_of_an_edition_without_previous_says_so(client):
    data = client.get("/open-2019/bewegung.json").json()["data"]
    assert data["available"] is False and data["up"] == []
    assert "keine berechnete Vorgängerausgabe" in client.get("/open-2019/bewegung?lang=de").text


def test_map_can_colour_by_the_comparable_change(client):
    data = client.get("/karte.json?edition=open-2026&colour=comparable_change").json()["data"]
    oberhausen = next(m for m in data["markers"] if m["name"] == "Oberhausen")
    assert oberhausen["comparable_change"] == get_edition("open-2026").get("05119000")["comparable_change"]
    assert re.fullmatch(r"#[0-9a-f]{6}", oberhausen["fill"])
    assert client.get("/karte.json?edition=open-2026&colour=nonsense").status_code == 400


def test_compare_shows_the_open_series_with_both_changes(client):
    data = client.get("/vergleich.json?stadt=oberhausen&stadt=bochum&edition=open-2026").json()["data"]
    assert "open-2019" in data["edition_keys"] and "open-2026" in data["edition_keys"]
    oberhausen = data["cities"][0]["history"]["open-2026"]
    assert oberhausen["comparable_change"] is not None
