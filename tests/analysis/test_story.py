"""A city's story from the published editions."""

import pytest

from cityindex.analysis.story import city_story
from cityindex.errors import UnknownCity, UnknownEdition


@pytest.fixture(scope="module")
def oberhausen():
    return city_story("Oberhausen", edition="2022")


def test_oberhausen_2022_rank_score_and_changes(oberhausen):
    cur = oberhausen.current
    assert (cur.rank, cur.n_cities, cur.score) == (52, 81, 53.8)
    ch = oberhausen.change_previous
    assert (ch.places, ch.basis, ch.from_key, ch.from_rank) == (13, "published", "2021", None)
    first = oberhausen.change_since_first
    assert (first.from_key, first.from_rank, first.from_score, first.places) == ("2019", 77, 29.3, 25)


def test_history_keeps_unpublished_editions_empty(oberhausen):
    by_key = {e.key: e for e in oberhausen.history}
    assert list(by_key) == [str(y) for y in range(2019, 2026)]
    assert by_key["2021"].rank is None and by_key["2021"].score is None
    assert by_key["2023"].rank == 57 and by_key["2023"].score is None
    assert by_key["2025"].rank_change == -6


def test_ruhr_peers_ahead_and_behind(oberhausen):
    ruhr = {p.name: p.rank for p in oberhausen.region_peers["ruhr"]}
    assert ruhr["Bochum"] == 8 and ruhr["Gelsenkirchen"] == 17 and ruhr["Mülheim an der Ruhr"] == 74
    assert ruhr["Herne"] is None  # not published, not guessed
    assert "Oberhausen" not in ruhr


def test_state_peers_and_neighbours(oberhausen):
    assert all(p.ags.startswith("05") for p in oberhausen.state_peers)
    ranks = [p.rank for p in oberhausen.neighbours]
    assert ranks == [41, 42, 53, 56]


def test_unassigned_2022_tables_are_reported_as_tables(oberhausen):
    assert {(u["table"], u["rank"], u["score"]) for u in oberhausen.unassigned} == {("B", 65, 40.7), ("E", 62, 55.8)}
    assert all(a.rank is None and a.score is None for a in oberhausen.areas)


def test_contributions_only_where_both_area_scores_are_published():
    story = city_story("muenchen", edition=2023)
    assert [c.scope for c in story.contributions] == ["it_kommunikation"]
    c = story.contributions[0]
    assert (c.score_from, c.score_to) == (87.5, 97.3)
    assert c.contribution == pytest.approx((97.3 - 87.5) / 5)
    assert "equal" in " ".join(story.to_dict()["assumptions"]) or "unweighted" in " ".join(story.to_dict()["assumptions"])


def test_strengths_and_weaknesses_against_the_middle_rank():
    story = city_story("Göttingen", edition=2020)
    assert {a.scope for a in story.strengths} == {"it_kommunikation", "mobilitaet"}
    assert {a.scope for a in story.weaknesses} == {"verwaltung", "energie_umwelt", "gesellschaft"}


def test_derived_change_when_no_tendenz_was_published():
    ch = city_story("München", edition=2023).change_previous
    assert (ch.places, ch.basis, ch.from_rank) == (1, "derived", 2)


def test_default_edition_is_the_latest_with_a_rank():
    assert city_story("Oberhausen").edition.key == "2025"
    assert city_story("Mainz").current.rank is None  # named as index city, no number found


def test_notes_name_the_city_conflicts(oberhausen):
    texts = [n.en for n in oberhausen.notes]
    assert any("implies 65" in t for t in texts)


def test_a_computed_series_shows_no_caveat_about_bitkom_numbers_of_the_same_years():
    story = city_story("Oberhausen", edition="open-2026")
    assert [e.year for e in story.history if e.year in (2021, 2023)] == [2021, 2023]
    assert not [n for n in story.notes if n.city == "Oberhausen"]


def test_errors():
    with pytest.raises(UnknownCity, match="Did you mean"):
        city_story("Oberhaus")
    with pytest.raises(UnknownEdition):
        city_story("Oberhausen", edition="1999")


def test_story_is_json_ready(oberhausen):
    import json
    data = json.loads(json.dumps(oberhausen.to_dict()))
    assert data["current"]["rank"] == 52 and data["edition"]["n_cities"] == 81


def test_area_history_lists_every_published_area_number(oberhausen):
    assert oberhausen.area_history == [
        {"edition": "2023", "scope": "verwaltung", "rank": 58, "score": None, "rank_change": 6,
         "source": "https://www.spd-oberhausen.de/2023/10/31/oberhausen-faellt-leicht-ab-spd-warnt-vor-zufriedenheit/"},
        {"edition": "2023", "scope": "it_kommunikation", "rank": 72, "score": None, "rank_change": -18,
         "source": "https://www.spd-oberhausen.de/2023/10/31/oberhausen-faellt-leicht-ab-spd-warnt-vor-zufriedenheit/"},
    ]


def test_story_over_a_given_universe_of_editions():
    from cityindex.editions import get_edition
    universe = [get_edition(k) for k in ("2019", "2022")]
    story = city_story("Oberhausen", edition="2022", editions=universe)
    assert [e.key for e in story.history] == ["2019", "2022"]
    assert story.change_since_first.from_rank == 77


def test_change_is_taken_against_the_named_previous_edition_not_the_preceding_one_in_the_universe():
    from cityindex.editions import get_edition
    universe = [get_edition(k) for k in ("2021", "2023")]  # 2022, the previous of 2023, left out
    ch = city_story("München", edition="2023", editions=universe).change_previous
    assert (ch.from_key, ch.from_rank, ch.places, ch.basis) == ("2022", 2, 1, "derived")


def test_computed_edition_with_a_published_previous_edition_tells_its_rank_change():
    import pandas as pd

    from cityindex.editions import EditionView, get_edition
    from cityindex.engine import score
    from cityindex.report.narrative import narrate

    pilot, before = get_edition("open-2026"), get_edition("2025")
    published = before.rows.dropna(subset=["rank"]).pivot(index="ags", columns="scope", values="rank")
    result = score(pilot.methodology, pilot.datapoints, previous=published.astype("Int64"))
    view = EditionView.from_result(result, key="check-2026", title="Check 2026", series="cityindex",
                                   year=2026, previous="2025")
    story = city_story("Oberhausen", edition=view)
    rank_2025 = before.get("05119000")["rank"]
    assert pd.notna(rank_2025)
    assert story.current.rank_change == rank_2025 - story.current.rank
    ch = story.change_previous
    assert (ch.from_key, ch.from_rank, ch.places) == ("2025", rank_2025, story.current.rank_change)
    assert ch.basis == "computed"  # cityindex computed this change; Bitkom did not publish it
    assert "nicht enthalten" not in narrate(story, "de").split("Bereiche")[0]


def test_a_published_edition_story_leaves_the_store_closed(tmp_path):
    """Published history needs no store: nothing is created in the data directory."""
    import os
    import subprocess
    import sys

    code = "from cityindex.analysis.story import city_story; print(city_story('Oberhausen', edition='2022').current.rank)"
    env = {**os.environ, "CITYINDEX_DATA_DIR": str(tmp_path)}
    env.pop("CITYINDEX_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "52"
    assert list(tmp_path.iterdir()) == []
