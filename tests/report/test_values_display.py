"""Display of the values behind a computed edition, and the narrative wording of computed editions."""

import pytest

from cityindex.analysis.story import city_story
from cityindex.report.narrative import narrate
from cityindex.report.values import has_binary, parameter_text, value_text


@pytest.fixture(scope="module")
def open_story():
    return city_story("Oberhausen", edition="open-2019")  # the first edition of the open series


def _row(value, kind="numeric", **extra):
    return {"value": value, "kind": kind, "name_de": "Knoten", "name_en": "Nodes", "context_only": False, **extra}


@pytest.mark.parametrize("row, lang, text", [
    (_row(1.0, "binary"), "de", "ja"), (_row(0.0, "binary"), "de", "nein"), (_row(0.0, "binary"), "en", "no"),
    (_row(0.128), "de", "0,128"), (_row(0.128), "en", "0.128"), (_row(27.0), "de", "27"),
    (_row(2.5), "de", "2,5"), (_row("teilweise", "points"), "de", "teilweise"),
    (_row(None), "de", "in diesem Datensatz nicht veröffentlicht"), (_row(None, "binary"), "en", "not published in this data set"),
])
def test_value_text(row, lang, text):
    assert value_text(row, lang) == text


@pytest.mark.parametrize("value, lang, text", [
    (0.00001234, "de", "0,0000123"), (0.0004, "en", "0.0004"), (-0.00002, "de", "-0,00002"), (0.0005, "en", "0.001"),
])
def test_small_values_are_not_shown_as_zero(value, lang, text):
    assert value_text(_row(value), lang) == text


def test_parameter_text_marks_context_only():
    assert parameter_text(_row(3.0, context_only=True)) == "Knoten (Kontext, nicht gewertet)"
    assert parameter_text(_row(3.0), "en") == "Nodes"
    assert has_binary([_row(1.0, "binary")]) and not has_binary([_row(1.0)])


def test_computed_edition_narrative_says_computed_and_no_previous_edition(open_story):
    de, en = narrate(open_story), narrate(open_story, "en")
    rank = open_story.current.rank
    assert "Oberhausen belegt in der berechneten Ausgabe" in de and f"Platz {rank} von 82" in de
    assert "Diese Ausgabe hat keine Vorgängerausgabe" in de and "Nächste Plätze: " in de
    assert "veröffentlicht" not in de
    assert "In the computed edition" in en and "this edition has no previous edition" in en
    assert "Ranking neighbours: " in en and "published" not in en


def test_published_narrative_keeps_its_wording():
    text = narrate(city_story("Oberhausen", edition=2022))
    assert "Oberhausen belegt im Bitkom Smart City Index 2022 Platz 52" in text
    assert "Vorgängerausgabe" not in text
    assert "Vorgängerausgabe" not in narrate(city_story("Oberhausen", edition=2019))
