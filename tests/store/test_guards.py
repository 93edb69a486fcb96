"""The database itself refuses to reopen a finished edition, rewrite its results or duplicate a revision."""

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cityindex.io.importer import import_frame
from cityindex.store import create_edition, freeze_edition, publish_edition, score_edition, set_status

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"


def _sql(store, statement: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(sa.text(statement))


def _edition(store, key: str = "e") -> None:
    create_edition(store, key, METHODOLOGY)
    frame = pd.DataFrame({"city": ["Aachen", "Bonn"], "parameter": ["charging_points"] * 2, "value": [2.0, 3.0]})
    assert import_frame(store, frame, edition=key, by="ana").valid  # synthetic values, fictional methodology


@pytest.mark.parametrize("statement", [
    "UPDATE editions SET status = 'draft'", "UPDATE editions SET status = 'review'",
    "UPDATE editions SET methodology_yaml = 'changed'", "UPDATE editions SET key = 'other'",
    "DELETE FROM editions",
])
def test_a_frozen_edition_cannot_go_back_or_change(store, statement):
    _edition(store)
    freeze_edition(store, "e")
    with pytest.raises(sa.exc.DBAPIError, match="frozen or published edition cannot go back"):
        _sql(store, statement)


def test_a_published_edition_and_its_results_are_final(store):
    _edition(store)
    score_edition(store, "e")
    freeze_edition(store, "e")
    publish_edition(store, "e")
    for statement in ("UPDATE editions SET status = 'frozen'", "UPDATE editions SET title = 'x'"):
        with pytest.raises(sa.exc.DBAPIError, match="cannot go back or change"):
            _sql(store, statement)
    for statement in ("DELETE FROM result_scores", "DELETE FROM result_tables", "UPDATE result_scores SET score = 0",
                      "DELETE FROM results",
                      "INSERT INTO results (edition_id, computed_at, methodology_hash, input_hash) "
                      "SELECT id, computed_at, methodology_hash, input_hash FROM results"):
        with pytest.raises(sa.exc.DBAPIError, match="results of a published edition cannot change"):
            _sql(store, statement)


def test_draft_and_review_still_move_and_frozen_moves_on_to_published(store):
    _edition(store)
    for status in ("review", "draft", "review"):
        assert set_status(store, "e", status).status == status
    _sql(store, "UPDATE editions SET title = 'renamed while in review'")
    with pytest.raises(sa.exc.DBAPIError, match="cannot go back"):
        _sql(store, "UPDATE editions SET status = 'published'")  # never without freezing first
    score_edition(store, "e")
    freeze_edition(store, "e")
    _sql(store, "UPDATE results SET previous_key = NULL")  # results of a frozen edition may still be replaced
    assert publish_edition(store, "e").status == "published"


def test_a_revision_number_is_recorded_once_per_data_point(store):
    _edition(store)
    with pytest.raises(sa.exc.IntegrityError):
        _sql(store, "INSERT INTO revisions (datapoint_id, edition_id, city_ags, parameter, revision, changed_by, "
                    "changed_at) SELECT datapoint_id, edition_id, city_ags, parameter, revision, 'x', changed_at "
                    "FROM revisions")
