"""Data points keep every change: who, when, why — nothing is overwritten without a revision."""

from pathlib import Path

import pandas as pd

from cityindex.io.importer import import_frame
from cityindex.store import create_edition, get_datapoints, history

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"


def _import(store, value, *, by, reason, source="https://example.org/a"):
    frame = pd.DataFrame({"city": ["Aachen"], "parameter": ["charging_points"], "value": [value],
                          "source_url": [source]})
    return import_frame(store, frame, edition="e", by=by, reason=reason)


def test_history_shows_every_change_with_who_when_why(store):
    create_edition(store, "e", METHODOLOGY)
    _import(store, 12, by="ana", reason="first collection")
    _import(store, 12, by="bob", reason="re-import, nothing new")
    _import(store, 13, by="bob", reason="city corrected the count")
    _import(store, 13, by="cem", reason="new source", source="https://example.org/b")
    changes = history(store, edition="e", city="05334002", parameter="charging_points")
    assert changes[["revision", "old_value", "new_value", "changed_by", "reason"]].values.tolist() == [
        [1, None, "12", "ana", "first collection"],
        [2, "12", "13", "bob", "city corrected the count"],
        [3, "13", "13", "cem", "new source"],
    ]
    assert changes["new_source"].tolist()[-1] == "https://example.org/b"
    assert changes["changed_at"].is_monotonic_increasing
    current = get_datapoints(store, edition="e")
    assert current[["value", "revision", "source_url"]].values.tolist() == [[13.0, 3, "https://example.org/b"]]


def test_unchanged_reimport_writes_no_revision(store):
    create_edition(store, "e", METHODOLOGY)
    _import(store, 12, by="ana", reason="first")
    report = _import(store, 12, by="ana", reason="again")
    assert (report.stats["added"], report.stats["changed"], report.stats["unchanged"]) == (0, 0, 1)
    assert len(history(store, edition="e", city="Aachen")) == 1


def test_review_status_changes_are_kept_in_the_history(store):
    from cityindex.store.datapoints import set_review_status

    create_edition(store, "e", METHODOLOGY)
    _import(store, 12, by="ana", reason="first")
    set_review_status(store, edition="e", city="Aachen", parameter="charging_points", status="disputed",
                      by="Stadt Aachen", reason="count is 14")
    assert get_datapoints(store, edition="e")["review_status"].tolist() == ["disputed"]
    last = history(store, edition="e", city="Aachen").iloc[-1]
    assert (last["changed_by"], last["reason"]) == ("Stadt Aachen", "review status collected → disputed: count is 14")
    assert last["changes"] == {"review_status": ["collected", "disputed"]}


def test_changed_provenance_keeps_its_old_value_in_the_history(store):
    """Nothing is lost: a new note, unit or retrieval date keeps the old one in the revision."""
    create_edition(store, "e", METHODOLOGY)
    frame = pd.DataFrame({"city": ["Aachen"], "parameter": ["charging_points"], "value": [12.0],
                          "note": ["count of 1 March"], "retrieved": ["2026-03-01"]})
    import_frame(store, frame, edition="e", by="ana", reason="first")
    frame[["note", "retrieved"]] = [["count of 31 March", "2026-03-31"]]
    import_frame(store, frame, edition="e", by="ana", reason="newer count, same value")
    changes = history(store, edition="e", city="Aachen")["changes"].tolist()
    assert changes == [{}, {"note": ["count of 1 March", "count of 31 March"],
                            "retrieved": ["2026-03-01", "2026-03-31"]}]


def test_missing_cells_of_nullable_columns_stay_empty(store):
    """pd.NA (nullable string/Float64 columns) is unknown, never the text '<NA>'."""
    create_edition(store, "e", METHODOLOGY)
    frame = pd.DataFrame({"city": ["Aachen", "Bonn"], "parameter": ["charging_points"] * 2,
                          "value": pd.array([12.0, None], dtype="Float64"),
                          "note": pd.array(["counted", None], dtype="string")})
    report = import_frame(store, frame, edition="e", by="ana")
    assert report.valid and report.flatten(["row", "code"]) == [[3, "empty-value"]]
    assert get_datapoints(store, edition="e")[["city", "value", "note"]].values.tolist() == [
        ["05334002", 12.0, "counted"]]
