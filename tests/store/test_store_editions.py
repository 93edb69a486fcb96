"""Editions in the store: create, list, status changes, immutability, revisions."""

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cityindex.errors import UnknownEdition
from cityindex.io.importer import import_frame
from cityindex.store import (EditionExists, EditionLocked, StatusError, create_edition, edition_methodology,
                             freeze_edition, get_datapoints, history, list_editions, open_store,
                             publish_edition, revise_edition, set_status)

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"


def _frame(value=12.0):
    return pd.DataFrame({"city": ["Aachen", "Bonn"], "parameter": ["charging_points", "charging_points"],
                         "value": [value, 3.5], "source_url": ["https://example.org/a", ""]})


def test_create_and_list_editions(store):
    create_edition(store, "test-2026", METHODOLOGY, title="Test 2026")
    create_edition(store, "test-2027", METHODOLOGY, title="Test 2027", previous="test-2026")
    editions = list_editions(store)
    assert [(e.key, e.status, e.previous_key) for e in editions] == [
        ("test-2027", "draft", "test-2026"), ("test-2026", "draft", None)]
    assert edition_methodology(store, "test-2026").hash == editions[0].methodology_hash


def test_duplicate_key_bad_key_and_unknown_previous_are_refused(store):
    create_edition(store, "test-2026", METHODOLOGY)
    with pytest.raises(EditionExists):
        create_edition(store, "test-2026", METHODOLOGY)
    with pytest.raises(Exception, match="not valid"):
        create_edition(store, "Bad Key!", METHODOLOGY)
    with pytest.raises(UnknownEdition, match="known editions: test-2026"):
        create_edition(store, "test-2027", METHODOLOGY, previous="nope")


def test_titles_and_names_longer_than_the_store_keeps_are_refused_on_both_databases(store):
    from cityindex.errors import CityIndexError
    from cityindex.store import set_review_status
    from cityindex.store.models import Edition

    assert Edition.title.type.length == 200
    with pytest.raises(CityIndexError, match="title is 201 characters long"):
        create_edition(store, "e", METHODOLOGY, title="t" * 201)
    with pytest.raises(CityIndexError, match="--by is 101 characters long"):
        create_edition(store, "e", METHODOLOGY, by="b" * 101)
    assert list_editions(store) == []
    create_edition(store, "e", METHODOLOGY, title="t" * 195)
    import_frame(store, _frame(), edition="e", by="ana", reason="collected")
    with pytest.raises(CityIndexError, match="--by is 101"):
        set_review_status(store, edition="e", city="Bonn", parameter="charging_points", status="checked",
                          by="b" * 101)
    freeze_edition(store, "e")
    with pytest.raises(CityIndexError, match="title is 206 characters long"):  # "… (revision)" is added
        revise_edition(store, "e", "e-r2", by="lead", reason="fix")
    assert [e.key for e in list_editions(store)] == ["e"]


def test_status_moves_forward_and_publish_needs_a_result(store):
    create_edition(store, "e", METHODOLOGY)
    assert set_status(store, "e", "review").status == "review"
    with pytest.raises(StatusError, match="cannot become published"):
        publish_edition(store, "e")
    info = freeze_edition(store, "e")
    assert info.status == "frozen" and info.frozen_at is not None
    with pytest.raises(StatusError, match="no computed result"):
        publish_edition(store, "e")
    with pytest.raises(StatusError):
        set_status(store, "e", "draft")


def test_publish_refuses_a_result_computed_before_the_last_data_change(store):
    from cityindex.store import score_edition

    create_edition(store, "e", METHODOLOGY)
    import_frame(store, _frame(), edition="e", by="ana", reason="collected")
    score_edition(store, "e")
    import_frame(store, _frame(value=14.0), edition="e", by="ana", reason="late correction")
    freeze_edition(store, "e")
    with pytest.raises(StatusError, match="changed after its last computation"):
        publish_edition(store, "e")
    score_edition(store, "e")
    assert publish_edition(store, "e").status == "published"


def test_changing_a_frozen_edition_fails_and_changes_nothing(store):
    create_edition(store, "e", METHODOLOGY)
    import_frame(store, _frame(), edition="e", by="ana", reason="collected")
    freeze_edition(store, "e")
    with pytest.raises(EditionLocked, match="'e' is frozen"):
        import_frame(store, _frame(value=99.0), edition="e", by="eve", reason="sneaky")
    assert get_datapoints(store, edition="e")["value"].tolist() == [3.5, 12.0]


def test_revision_of_a_frozen_edition_copies_data_and_takes_corrections(store):
    create_edition(store, "e", METHODOLOGY)
    import_frame(store, _frame(), edition="e", by="ana", reason="collected")
    freeze_edition(store, "e")
    info = revise_edition(store, "e", "e-r2", by="lead", reason="Aachen reported a wrong count")
    assert (info.revision_of, info.status, info.datapoints) == ("e", "draft", 2)
    report = import_frame(store, _frame(value=14.0), edition="e-r2", by="ana", reason="correction")
    assert report.valid and report.stats["changed"] == 1
    assert get_datapoints(store, edition="e")["value"].tolist() == [3.5, 12.0]
    changes = history(store, edition="e-r2", city="Aachen")
    assert changes[["old_value", "new_value", "changed_by"]].values.tolist() == [
        [None, "12", "lead"], ["12", "14", "ana"]]


def test_store_is_created_and_migrated_on_first_use(tmp_path):
    path = tmp_path / "deep" / "dir" / "cityindex.sqlite"
    with open_store(f"sqlite:///{path}") as store:
        tables = sa.inspect(store.engine).get_table_names()
    assert path.is_file()
    assert {"editions", "datapoints", "revisions", "results", "alembic_version"} <= set(tables)
    with open_store(f"sqlite:///{path}") as store:
        assert list_editions(store) == []
