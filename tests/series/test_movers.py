"""Movers: ordered by the comparable change, each with the values that moved it; register changes told as such."""

import pytest

from cityindex.editions import get_edition
from cityindex.series import movers
from cityindex.series.movers import catalogue_change, value_changes


@pytest.fixture(scope="module")
def views():
    return {key: get_edition(key) for key in ("open-2021", "open-2022", "open-2023", "open-2025", "open-2026")}


def test_movers_are_ordered_by_the_comparable_change_and_name_both_changes(views):
    result = movers(views["open-2026"], views["open-2025"], n=5)
    assert result.basis == "comparable"
    ups = [m.comparable_change for m in result.up]
    downs = [m.comparable_change for m in result.down]
    assert ups == sorted(ups, reverse=True) and all(c > 0 for c in ups)
    assert downs == sorted(downs) and all(c < 0 for c in downs)
    rows = views["open-2026"].rows.set_index(["ags", "scope"])
    for m in result.up + result.down:
        assert m.change == rows.at[(m.ags, "overall"), "rank_change"]


def test_the_values_of_a_move_are_the_values_that_differ_between_the_years(views):
    now, before = views["open-2023"].datapoints, views["open-2022"].datapoints
    changes = value_changes(views["open-2023"], views["open-2022"], "05119000", "Oberhausen")
    mine = lambda data: data[data.city == "05119000"].set_index("parameter")["value"].astype(float)  # noqa: E731
    differ = (mine(now) - mine(before)).dropna()
    assert sorted(c.parameter for c in changes) == sorted(differ[differ != 0].index)
    gbfs = next(c for c in changes if c.parameter == "gbfs_feeds_city")
    assert (gbfs.before, gbfs.after) == ("0", "1") and "Lime Oberhausen" in gbfs.note and gbfs.catalogue is None


def test_a_register_change_is_told_as_such(views):
    bochum = value_changes(views["open-2023"], views["open-2022"], "05911000", "Bochum")
    gbfs = next(c for c in bochum if c.parameter == "gbfs_feeds_city")
    assert gbfs.after == "0" and "metropolradruhr Germany" in gbfs.catalogue["en"]
    # a SCHEMA caveat on one side only: the source's schema changed between the two versions
    schema = "SCHEMA: no page of this version uses the 'inactive:' flag yet"
    assert "Schema change" in catalogue_change(2024, "oklab_active", "Heidelberg", (schema, "page x"))["en"]
    assert catalogue_change(2021, "oklab_active", "Erlangen", (schema, "page y (hidden) | " + schema)) is None


def test_an_edition_without_a_previous_computed_edition_has_no_movers():
    from cityindex.series import edition_movers
    from cityindex.series.movers import NoMovers

    with pytest.raises(NoMovers, match="no previous computed edition"):
        edition_movers("open-2019")
