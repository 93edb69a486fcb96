"""Generated narrative in German and English states only what the data supports."""

import pytest

from cityindex.analysis.story import city_story
from cityindex.errors import CityIndexError
from cityindex.report.narrative import fmt_number, narrate


@pytest.fixture(scope="module")
def story():
    return city_story("Oberhausen", edition=2022)


def test_german_narrative_for_oberhausen_2022(story):
    text = narrate(story)
    assert "Platz 52 von 81 mit 53,8 Punkten" in text
    assert "13 Plätze besser als 2021 (Tendenz +13)" in text
    assert "2019 lag Oberhausen auf Platz 77 mit 29,3 Punkten" in text
    assert "vor Oberhausen liegen Bochum (8), Gelsenkirchen (17)" in text
    assert "dahinter Moers (57)" in text
    assert "für Hagen, Herne und Recklinghausen ist kein Platz veröffentlicht" in text


def test_english_narrative_for_oberhausen_2022(story):
    text = narrate(story, "en")
    assert "rank 52 of 81 with 53.8 points" in text
    assert "13 places better than in 2021" in text
    assert "In 2019, Oberhausen was at rank 77 with 29.3 points" in text
    assert "Area results for 2022 are not published in this data set" in text


def test_unknown_numbers_are_said_to_be_unpublished():
    story = city_story("Oberhausen", edition=2021)
    assert "in diesem Datensatz nicht veröffentlicht" in narrate(story)
    assert "not published in this data set" in narrate(story, "en")
    assert "Platz 65" not in narrate(story)  # implied by a Tendenz, never written as a rank
    text = narrate(city_story("Oberhausen", edition=2023), "en")
    assert "rank 57 of 81 (score not published in this data set)" in text


def test_contribution_sentence_states_the_equal_weights_assumption():
    text = narrate(city_story("München", edition=2023))
    assert "IT und Kommunikation +2,0" in text and "nicht belegt" in text


def test_no_contribution_sentence_without_two_area_scores(story):
    assert "Beitrag" not in narrate(story)


def test_number_format_and_language_check(story):
    assert fmt_number(53.8) == "53,8" and fmt_number(53.8, "en") == "53.8"
    assert fmt_number(1.96, "de", signed=True) == "+2,0"
    with pytest.raises(CityIndexError, match="de or en"):
        narrate(story, "fr")


def test_cities_without_a_region_get_their_state_peers():
    text = narrate(city_story("München", edition=2022))
    assert "In Bayern: dahinter Nürnberg (6) und Fürth (62)" in text
    assert "Augsburg" in text and "kein Platz veröffentlicht" in text


def test_one_place_is_singular_in_both_sentences():
    story = city_story("Hamburg", edition=2023)  # rank 2; rank 1 in 2022 and in 2019
    de, en = narrate(story), narrate(story, "en")
    assert "1 Platz schlechter als 2022" in de and "seitdem 1 Platz schlechter" in de
    assert "1 place worse than in 2022" in en and "1 place worse since then" in en
    assert "1 Plätze" not in de and "1 places" not in en


def test_english_contribution_sentence():
    text = narrate(city_story("München", edition=2023), "en")
    assert "against 2022 (points): IT and communication +2.0." in text and "not proven for Bitkom" in text


def test_a_published_score_without_a_rank_is_told():
    story = city_story("Magdeburg", edition=2023)  # 38.5 points published, no rank
    assert "Magdeburg erreicht im Bitkom Smart City Index 2023 38,5 Punkte; der Gesamtplatz ist in diesem Datensatz nicht veröffentlicht." in narrate(story)
    assert "Magdeburg has 38.5 points; the overall rank is not published in this data set." in narrate(story, "en")


def test_notes_are_about_the_city_once_and_name_their_year_once():
    from cityindex.report.narrative import notes_text

    lines = notes_text(city_story("Oberhausen", edition=2022))
    assert not any("Göttingen 42" in line for line in lines)  # a note about other cities is theirs
    assert "Oberhausen 2023: Platz 57 (radiooberhausen.de, spd-oberhausen.de) gegen 56 (NRZ); 57 verwendet." in lines
    assert not any(line.startswith("2023: Oberhausen 2023") for line in lines)
    assert len(lines) == len(set(lines))
    assert any("Göttingen 42" in line for line in notes_text(city_story("Göttingen", edition=2022)))
