"""Say what is known, once: peers, neighbours, strengths and weaknesses, ties, and which edition."""

import re


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_peers_list_known_ranks_then_one_line_for_the_rest(client):
    page = _text(client.get("/staedte/oberhausen?edition=2022&lang=de").text)
    assert "Nachbarn von Platz 52 im Ranking 2022" in page
    # Ruhr peers without a published 2022 rank (Hagen, Herne, Recklinghausen) are one line, not a list
    assert "3 weitere ohne veröffentlichten Platz" in page and "Hagen: Rang" not in page
    assert "Stärken und Schwächen sind für diese Ausgabe nicht bekannt" in page


def test_a_score_equal_to_the_median_is_neither_strength_nor_weakness(client):
    from cityindex.web import data

    rows = data.edition("open-2026").rows
    mobility = rows[(rows["scope"] == "mobilitaet") & rows["score"].notna()]
    at_median = mobility[mobility["score"] == mobility["score"].median()]  # many cities share 16.7
    slug = next(c.slug for c in data.register() if c.ags == at_median["ags"].iloc[0])
    ctx = client.get(f"/staedte/{slug}.json?edition=open-2026&lang=de").json()["data"]
    area = next(a for a in ctx["areas"] if a["code"] == "mobilitaet")
    assert area["score"] == area["median"]
    named = {a["code"] for a in ctx["strengths"] + ctx["weaknesses"]}
    assert "mobilitaet" not in named and ctx["sw_known"] is True


def test_a_tie_for_the_best_value_names_no_city(client):
    ctx = client.get("/staedte/oberhausen.json?edition=open-2026").json()["data"]
    verwaltung = next(a for a in ctx["areas"] if a["code"] == "verwaltung")
    assert verwaltung["best_count"] > 1 and verwaltung["best_city"] is None
    page = _text(client.get("/staedte/oberhausen?edition=open-2026&lang=de").text)
    assert f"{verwaltung['best_count']} Städte mit voller Punktzahl" in page


def test_start_page_says_which_edition_and_what_kind(client):
    newest = _text(client.get("/?lang=de").text)
    assert "Gezeigt wird die neueste Ausgabe" in newest and "Berechnet" in newest
    assert "Neueste veröffentlichte Bitkom-Ausgabe" in newest
    chosen = _text(client.get("/?edition=2022&lang=en").text)
    assert "Shown: the edition you chose." in chosen and "Published" in chosen
    assert "numbers as published" in chosen
