"""The open series in a store: each year's edition, previous editions, the open edition as the last year."""

import pytest

from cityindex.series.build import ensure_series, series_key
from cityindex.store import edition_info, list_editions, result_history
from cityindex.store.testing import fresh_store


@pytest.fixture(scope="module")
def built():
    with fresh_store() as store:
        first = ensure_series(store)
        yield store, first


def test_every_year_names_the_year_before_and_the_open_edition_closes_the_series(built):
    store, first = built
    assert first == [series_key(y) for y in range(2019, 2027)]
    infos = {i.key: i for i in list_editions(store)}
    assert infos["open-2019"].previous_key is None
    assert all(infos[series_key(y)].previous_key == series_key(y - 1) for y in range(2020, 2027))
    assert infos["open-2026"].methodology_version == "2.0" and infos["open-2025"].methodology_version == "1.0"


def test_ensuring_again_builds_nothing_and_adds_no_result(built):
    store, _ = built
    before = len(result_history(store, edition="open-2026"))
    assert ensure_series(store) == []
    assert len(result_history(store, edition="open-2026")) == before


def test_the_as_computed_change_of_the_open_edition_is_against_open_2025(built):
    from cityindex.store import load_result

    store, _ = built
    now, before = load_result(store, "open-2026"), load_result(store, "open-2025")
    expected = (before.ranks["overall"] - now.ranks["overall"]).astype("Int64")
    assert now.rank_change["overall"].equals(expected)
    assert edition_info(store, "open-2026").previous_key == "open-2025"
