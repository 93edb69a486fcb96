"""City page of a computed edition: the value and source behind every number ("Werte und Quellen").

The open pilot ``open-2026`` is built into the test session's own store (tests/conftest.py points
``CITYINDEX_DATA_DIR`` at a temporary directory) from the bundled data points with their sources.
"""

from html.parser import HTMLParser

import pytest

MPSC_URL = ("https://staedtetag.de/ueber-uns/aus-den-staedten/2021/"
            "modellprojekte-smart-cities-fuer-die-dritte-staffel-ausgewaehlt")


class _ValuesTable(HTMLParser):
    """Rows of ``<table class="values">``: id, class, cell texts and link targets; the caption."""

    def __init__(self):
        super().__init__()
        self.inside, self.caption, self.rows, self._cell, self._in_caption = False, "", {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("class") == "values":
            self.inside = True
        elif self.inside and tag == "caption":
            self._in_caption = True
        elif self.inside and tag == "tr" and "id" in attrs:
            self._row = self.rows[attrs["id"].removeprefix("value-")] = {
                "class": attrs.get("class"), "cells": [], "links": []}
        elif self.inside and tag in ("th", "td") and self.rows:
            self._cell = []
        elif self.inside and tag == "a" and self.rows:
            self._row["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self._row["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self.caption += data
        elif self._cell is not None:
            self._cell.append(data)


def _values_table(html: str) -> _ValuesTable:
    parser = _ValuesTable()
    parser.feed(html)
    return parser


def test_city_json_carries_every_value_with_its_source(client):
    data = client.get("/staedte/oberhausen.json?edition=open-2026&lang=de").json()["data"]
    values = {v["parameter"]: v for v in data["values"]}
    assert len(values) == 20 and data["selected_edition"]["key"] == "open-2026"  # methodology version 2
    mpsc = values["mpsc_funded"]
    assert (mpsc["value"], mpsc["value_text"], mpsc["retrieved"], mpsc["source_url"]) == (
        1.0, "ja", "2021-07-15", MPSC_URL)
    nodes = values["freifunk_nodes_stated"]
    assert nodes["value"] is None and nodes["value_text"] == "in diesem Datensatz nicht veröffentlicht"
    assert nodes["context_only"] is True and nodes["source_url"] is None
    english = client.get("/staedte/oberhausen.json?edition=open-2026&lang=en").json()["data"]["values"]
    assert {v["parameter"]: v["value_text"] for v in english}["freifunk_nodes_stated"] == "not published in this data set"


def test_city_page_shows_the_values_table_with_links_and_unknowns(client):
    html = client.get("/staedte/oberhausen?edition=open-2026&lang=de").text
    table = _values_table(html)
    assert table.caption.startswith("Jeder Parameter der Ausgabe open-2026")
    assert len(table.rows) == 20  # methodology version 2
    mpsc = table.rows["mpsc_funded"]
    assert mpsc["cells"][1:5] == ["ja", "", "Auswahllisten der Modellprojekte Smart Cities", "2021-07-15"]
    assert mpsc["links"] == [MPSC_URL]
    nodes = table.rows["freifunk_nodes_stated"]
    assert nodes["class"] == "context-only" and "(nur Kontext, nicht bewertet)" in nodes["cells"][0]
    assert nodes["cells"][1] == "in diesem Datensatz nicht veröffentlicht" and nodes["links"] == []
    assert table.rows["oklab_any"]["cells"][1] == "nein"
    assert table.rows["charging_points_per_1000_2019"]["cells"][1] == "0,128"
    assert "„nein“ heißt: in der genannten Quelle nicht verzeichnet" in html


def test_city_page_values_in_english(client):
    html = client.get("/staedte/oberhausen?edition=open-2026&lang=en").text
    table = _values_table(html)
    assert table.caption.startswith("Every parameter of the edition open-2026")
    assert table.rows["mpsc_funded"]["cells"][1] == "yes"
    assert table.rows["mpsc_funded"]["cells"][3] == "Modellprojekte Smart Cities selection lists"
    assert table.rows["freifunk_nodes_stated"]["cells"][1] == "not published in this data set"
    assert "(context only, not scored)" in table.rows["freifunk_nodes_stated"]["cells"][0]
    assert "Values and sources" in html


@pytest.mark.parametrize("query", ["?edition=2022", "?edition=2025", ""])
def test_published_editions_show_no_values_table(client, query):
    html = client.get(f"/staedte/oberhausen{query}", params={"lang": "de"}).text
    assert "Werte und Quellen" not in html and 'class="values"' not in html
    assert client.get(f"/staedte/oberhausen.json{query}").json()["data"]["values"] == []


def test_history_of_a_computed_edition_without_previous_edition_says_so(client):
    html = client.get("/staedte/oberhausen?edition=open-2019&lang=de").text  # open-2019 opens the series
    row = html[html.index('<a href="/open-2019/ranking">open-2019</a>'):]
    row = row[:row.index("</tr>")]
    assert "keine Vorgängerausgabe" in row and "nicht veröffentlicht" not in row
    published = html[html.index('<a href="/2019/ranking">2019</a>'):]
    assert "keine Vorgängerausgabe" not in published[:published.index("</tr>")]


def test_ranking_of_a_computed_first_edition_says_no_previous_edition_not_unpublished(client):
    html = client.get("/open-2019/ranking?lang=de").text  # open-2019 opens the open series
    first_row = html[html.index("<tbody"):]
    first_row = first_row[:first_row.index("</tr>")]
    assert "keine Vorgängerausgabe" in first_row and "nicht veröffentlicht" not in first_row
    published = client.get("/2022/ranking?lang=de").text
    assert "keine Vorgängerausgabe" not in published
