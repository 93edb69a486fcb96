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
