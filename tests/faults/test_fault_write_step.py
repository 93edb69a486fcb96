"""An import whose write step fails after its first rows leaves nothing stored, on both databases.

The fault is a real database error: a trigger installed by the test refuses the revision rows of
one parameter, which the importer writes after the import record, the cities, the data points and
the other parameter's revisions. A write split over several transactions would leave those behind.
"""

import pandas as pd
import pytest
import sqlalchemy as sa

from cityindex.errors import CityIndexError
from cityindex.io.importer import import_frame
from cityindex.store import create_edition
from fault_helpers import METHODOLOGY, stored_values

FAULT = "simulated failure of the write step"


def _fail_revisions_of(store, parameter: str) -> None:
    """A trigger that aborts the write when a revision of ``parameter`` is inserted."""
    statements = {
        "sqlite": [f"CREATE TRIGGER test_fault BEFORE INSERT ON revisions WHEN NEW.parameter = '{parameter}' "
                   f"BEGIN SELECT RAISE(ABORT, '{FAULT}'); END"],
        "postgresql": [f"CREATE FUNCTION test_fault() RETURNS trigger AS $$ BEGIN IF NEW.parameter = '{parameter}' "
                       f"THEN RAISE EXCEPTION '{FAULT}'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                       "CREATE TRIGGER test_fault BEFORE INSERT ON revisions FOR EACH ROW EXECUTE FUNCTION test_fault()"],
    }[store.dialect]
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))


def _counts(store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {table: connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar()
                for table in ("imports", "cities", "datapoints", "revisions")}


def _frame(value: float) -> pd.DataFrame:
    cities = ["Aachen", "Bonn", "Köln"]  # synthetic values, fictional methodology
    return pd.DataFrame({"city": cities * 2, "parameter": ["charging_points"] * 3 + ["bike_share_share"] * 3,
                         "value": [value, value + 1, value + 2] * 2})


def test_a_first_import_that_fails_while_writing_leaves_nothing(store):
    create_edition(store, "e", METHODOLOGY)
    _fail_revisions_of(store, "bike_share_share")
    with pytest.raises(CityIndexError, match=FAULT) as raised:
        import_frame(store, _frame(1.0), edition="e", by="ana")
    assert "\n" not in str(raised.value)
    assert _counts(store) == {"imports": 0, "cities": 0, "datapoints": 0, "revisions": 0}


def test_a_changing_import_that_fails_while_writing_changes_nothing(store):
    create_edition(store, "e", METHODOLOGY)
    assert import_frame(store, _frame(1.0), edition="e", by="ana").valid
    before, counts = stored_values(store, "e"), _counts(store)
    _fail_revisions_of(store, "bike_share_share")
    with pytest.raises(CityIndexError, match=FAULT):
        import_frame(store, _frame(20.0), edition="e", by="ana")
    assert stored_values(store, "e") == before and _counts(store) == counts
