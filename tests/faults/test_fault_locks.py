"""Writers of one edition wait for each other, say so, and give up after the lock timeout writing nothing."""

import pandas as pd
import pytest

from cityindex.io.importer import import_frame
from cityindex.store import StoreBusy, create_edition, get_datapoints
from fault_helpers import METHODOLOGY, held

FRAME = pd.DataFrame({"city": ["Aachen"], "parameter": ["charging_points"], "value": [2.0]})  # synthetic


def _waits(store) -> list[str]:
    messages: list[str] = []
    store.on_wait = messages.append
    return messages


def test_a_writer_that_cannot_get_the_lock_in_time_fails_with_one_line_and_writes_nothing(store):
    create_edition(store, "e", METHODOLOGY)
    messages = _waits(store)
    store.lock_timeout = 0.5
    with held(store, "e"), pytest.raises(StoreBusy) as raised:
        import_frame(store, FRAME, edition="e", by="ana")
    assert "\n" not in str(raised.value) and "nothing was written" in str(raised.value)
    assert "CITYINDEX_LOCK_TIMEOUT" in str(raised.value)
    assert len(messages) == 1 and messages[0].startswith("Waiting for ") and "0.5 s" in messages[0]
    assert get_datapoints(store, edition="e").empty


def test_a_waiting_writer_goes_on_when_the_other_finishes(store):
    create_edition(store, "e", METHODOLOGY)
    messages = _waits(store)
    with held(store, "e", release_after=0.3):
        report = import_frame(store, FRAME, edition="e", by="ana")
    assert report.stats["written"] and len(messages) == 1
    assert get_datapoints(store, edition="e")["value"].tolist() == [2.0]


@pytest.mark.postgres
def test_postgresql_serialises_per_edition_not_per_store(pg_url):
    from cityindex.store.testing import fresh_store

    with fresh_store(pg_url) as store:
        create_edition(store, "e", METHODOLOGY)
        create_edition(store, "f", METHODOLOGY)
        messages = _waits(store)
        store.lock_timeout = 0.5
        with held(store, "e"):
            assert import_frame(store, FRAME, edition="f", by="ana").stats["written"]
            with pytest.raises(StoreBusy, match="edition 'e'"):
                import_frame(store, FRAME, edition="e", by="ana")
        assert messages == ["Waiting for edition 'e': another import or change of it is running "
                            "(waiting up to 0.5 s) …"]
