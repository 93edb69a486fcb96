"""Levers: next level, peer medians and the best value per parameter, each gain a real re-score."""

import numpy as np
import pandas as pd
import pytest

from cityindex.analysis.levers import levers
from cityindex.analysis.scenario import baseline
from cityindex.cities import load_register
from cityindex.connectors.open_pilot import read_bundle
from cityindex.engine import score


@pytest.fixture(scope="module")
def oberhausen(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    return base, levers(base)


def _values(code):
    bundle = read_bundle()
    rows = bundle[bundle.parameter == code]
    return pd.Series(pd.to_numeric(rows.value).to_numpy(), index=rows.city.to_numpy())


def test_every_gain_is_a_full_rescore(open_pilot, oberhausen):
    base, result = oberhausen
    bundle = read_bundle()
    for lever in result.levers:
        for target in lever.targets:
            data = bundle[["city", "parameter", "value"]].copy()
            mask = (data.city == base.ags) & (data.parameter == lever.parameter)
            data.loc[mask, "value"] = "yes" if open_pilot.methodology.parameters[lever.parameter].kind == "binary" \
                else str(target.value)
            after = score(open_pilot.methodology, data)
            assert target.points == pytest.approx(after.overall[base.ags] - base.overall, abs=1e-12)
            assert target.rank_after == after.ranks.at[base.ags, "overall"]
            assert target.places == base.rank - target.rank_after


def test_targets_of_a_count_parameter(oberhausen):
    base, result = oberhausen
    feeds = _values("gbfs_feeds_city")
    mine = feeds[base.ags]
    lever = next(lv for lv in result.levers if lv.parameter == "gbfs_feeds_city")
    others = feeds.drop(base.ags)
    assert lever.target("next").value == others[others > mine].min()
    assert lever.target("best").value == others.max()
    members = [c.ags for c in load_register().filter(size_class=base.city.size_class) if c.ags != base.ags]
    median = np.median(feeds.reindex(members).dropna())
    size = lever.target("peers:size_class")
    assert size.value == np.ceil(median) and "n=" in size.label_de
    # the state median (NRW) is not above Oberhausen's value, so it is no target
    state_median = np.median(feeds.reindex([c.ags for c in load_register().filter(state="NW")
                                            if c.ags != base.ags]).dropna())
    assert (lever.target("peers:state") is None) == (state_median <= mine)


def test_binary_no_has_yes_as_next_and_best(oberhausen):
    _, result = oberhausen
    lever = next(lv for lv in result.levers if lv.parameter == "oklab_any")
    assert lever.current == 0 and lever.target("next").value_text["de"] == "ja"
    assert lever.target("best").value == 1.0


def test_a_parameter_at_its_best_has_no_lever(oberhausen):
    _, result = oberhausen
    lever = next(lv for lv in result.levers if lv.parameter == "mpsc_funded")  # Oberhausen: yes
    assert lever.targets == [] and lever.potential == 0


def test_sorted_per_area_biggest_first(open_pilot, oberhausen):
    _, result = oberhausen
    areas = [a.code for a in open_pilot.methodology.areas]
    seen = [lv.area for lv in result.levers]
    assert seen == sorted(seen, key=areas.index)
    for area in set(seen):
        potentials = [lv.potential for lv in result.levers if lv.area == area]
        assert potentials == sorted(potentials, reverse=True)
    top = result.top(3)
    assert [lv.potential for lv in top] == sorted((lv.potential for lv in result.levers), reverse=True)[:3]


def test_log_transformed_parameter_target_in_own_units(oberhausen):
    base, result = oberhausen
    lever = next(lv for lv in result.levers if lv.parameter == "govdata_publishers_mdk")
    publishers = _values("govdata_publishers_mdk")
    assert lever.target("best").value == publishers.drop(base.ags).max()  # ln(1+n) inverted back to a count
