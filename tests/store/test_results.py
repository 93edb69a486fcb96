"""Computed Results: stored with every stage table, loaded back equal, rank changes vs previous."""

from pathlib import Path

import pandas as pd
import pytest

from cityindex.engine import score
from cityindex.io.importer import import_frame
from cityindex.store import (EditionLocked, NoResult, create_edition, edition_methodology, freeze_edition,
                             get_datapoints, list_editions, load_result, publish_edition, result_scores,
                             score_edition)

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"


def _data(charging):  # synthetic values for a fictional methodology
    cities = ["Aachen", "Bonn", "Köln"]
    return pd.DataFrame({"city": cities * 2, "parameter": ["charging_points"] * 3 + ["eid_services"] * 3,
                         "value": list(charging) + ["alle", "einige", "keine"]})


def test_score_edition_stores_a_result_that_loads_back_equal(store):
    create_edition(store, "e", METHODOLOGY)
    with pytest.raises(NoResult):
        load_result(store, "e")
    import_frame(store, _data([3.0, 2.0, 1.0]), edition="e", by="ana")
    result = score_edition(store, "e")
    expected = score(edition_methodology(store, "e"), get_datapoints(store, edition="e"))
    assert result.equals(expected)
    loaded = load_result(store, "e")
    assert loaded.equals(result) and list(loaded.stages) == list(result.stages)
    assert list_editions(store)[0].computed_at is not None
    overall = result_scores(store, edition="e", scope="overall")
    assert overall[["city", "rank"]].values.tolist() == [["05334002", 1], ["05314000", 2], ["05315000", 3]]


def test_rank_changes_against_the_previous_edition(store):
    create_edition(store, "e1", METHODOLOGY)
    import_frame(store, _data([3.0, 2.0, 1.0]), edition="e1", by="ana")
    score_edition(store, "e1")
    create_edition(store, "e2", METHODOLOGY, previous="e1")
    data = _data([1.0, 2.0, 3.0])
    data.loc[data["parameter"] == "eid_services", "value"] = ["keine", "einige", "alle"]
    import_frame(store, data, edition="e2", by="ana")
    result = score_edition(store, "e2")
    assert result.rank_change["overall"].to_dict() == {"05314000": 0, "05315000": 2, "05334002": -2}
    changes = result_scores(store, edition="e2", scope="overall").set_index("city")["rank_change"]
    assert changes.to_dict() == {"05315000": 2, "05314000": 0, "05334002": -2}


def test_published_edition_cannot_be_rescored(store):
    create_edition(store, "e", METHODOLOGY)
    import_frame(store, _data([3.0, 2.0, 1.0]), edition="e", by="ana")
    score_edition(store, "e")
    freeze_edition(store, "e")
    score_edition(store, "e")  # a frozen edition may still be computed (its data cannot change)
    publish_edition(store, "e")
    with pytest.raises(EditionLocked, match="published"):
        score_edition(store, "e")


def test_result_scores_order_ties_by_ags_on_both_databases(store):
    create_edition(store, "e", METHODOLOGY)
    frame = pd.DataFrame({"city": ["Köln", "Aachen", "Bonn"], "parameter": ["charging_points"] * 3,
                          "value": [2.0, 2.0, 2.0]})  # synthetic: a three-way tie
    import_frame(store, frame, edition="e", by="ana")
    score_edition(store, "e")
    overall = result_scores(store, edition="e", scope="overall")
    assert overall[["city", "rank"]].values.tolist() == [["05314000", 1], ["05315000", 1], ["05334002", 1]]


def test_a_new_methodology_version_keeps_the_earlier_result_with_its_own_rules(store):
    from cityindex.methodology import load_methodology
    from cityindex.store import edition_info, result_history, set_methodology

    create_edition(store, "e", METHODOLOGY)
    import_frame(store, _data([3.0, 2.0, 1.0]), edition="e", by="ana")
    first = score_edition(store, "e")
    changed = METHODOLOGY.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "9.0"')
    assert "9.0" in changed
    assert set_methodology(store, "e", changed).methodology_version == "9.0"
    assert load_result(store, "e").methodology == first.methodology  # not recomputed yet: its own rules
    second = score_edition(store, "e")
    history = result_history(store, edition="e")
    assert history.methodology_version.tolist() == [first.methodology.version, "9.0"]
    assert history.methodology_hash.tolist() == [first.methodology.hash, load_methodology(changed).hash]
    assert load_result(store, "e").equals(second) and edition_info(store, "e").methodology_version == "9.0"


def test_the_methodology_of_a_frozen_edition_cannot_change(store):
    from cityindex.store import set_methodology

    create_edition(store, "e", METHODOLOGY)
    freeze_edition(store, "e")
    with pytest.raises(EditionLocked, match="frozen"):
        set_methodology(store, "e", METHODOLOGY)


def test_an_editions_view_reads_the_stored_scores_as_the_full_result_gives_them(store):
    """Views (website, CLI) are built from the score rows and the methodology, not the stage
    tables: the same rows, scopes and rounding as from the whole Result, ties and changes included."""
    from cityindex.editions import EditionView
    from cityindex.store import load_scores

    create_edition(store, "e1", METHODOLOGY)
    import_frame(store, _data([3.0, 2.0, 1.0]), edition="e1", by="ana")
    score_edition(store, "e1")
    create_edition(store, "e2", METHODOLOGY, previous="e1")
    tie = pd.DataFrame({"city": ["Köln", "Aachen", "Bonn"], "parameter": ["charging_points"] * 3,
                        "value": [2.0, 2.0, 1.0 / 3]})  # synthetic: a tie and a score needing rounding
    import_frame(store, tie, edition="e2", by="ana")
    score_edition(store, "e2")
    for key in ("e1", "e2"):
        result = load_result(store, key)
        methodology, long = load_scores(store, key)
        assert methodology == result.methodology
        pd.testing.assert_frame_equal(long, result.to_long())
        full = EditionView.from_result(result, key=key, title=key, series="t", year=2026)
        light = EditionView.from_scores(methodology, long, key=key, title=key, series="t", year=2026)
        pd.testing.assert_frame_equal(light.rows, full.rows)
        assert (light.scopes, light.area_weights, light.n_cities) == (full.scopes, full.area_weights, full.n_cities)
