"""Ranks follow the unrounded scores and best_worst follows each parameter's direction — beyond one small case.

Fictional units (AGS 99…) with synthetic values; properties over random data with hypothesis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from engine_helpers import area, indicator, long, methodology, parameter, single
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cityindex.engine import score
from cityindex.engine.normalisers import NORMALISERS
from cityindex.engine.ties import TIE_RULES

UNITS = [f"99{k:06d}" for k in range(1, 7)]
COLUMNS = st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=12)


# Ranks on unrounded scores -----------------------------------------------------------------------

def test_scores_that_display_alike_are_still_ranked_by_their_exact_values_end_to_end():
    """Overall scores 50.04, 50.01 and 49.96 all show as 50.0 with one decimal; ranks 2, 3, 4 all the same."""
    values = dict(zip(UNITS[:5], [0.0, 50.04, 50.01, 49.96, 100.0]))
    result = score(single("wert"), long({"wert": values}))
    overall = result.scores["overall"]
    assert result.rounded(overall).loc[UNITS[1:4]].tolist() == [50.0, 50.0, 50.0]
    assert result.ranks["overall"].loc[UNITS[:5]].tolist() == [5, 2, 3, 4, 1]
    dense = score(single("wert", rules={"ties": "dense"}), long({"wert": values}))
    assert dense.ranks["overall"].loc[UNITS[:5]].tolist() == [5, 2, 3, 4, 1]


def test_area_ranks_and_the_long_table_keep_the_exact_order():
    m = methodology([area("a", [indicator("i", [parameter("x")])]), area("b", [indicator("j", [parameter("y")])])])
    data = long({"x": dict(zip(UNITS[:4], [10.0, 20.0, 20.000001, 30.0])),
                 "y": dict(zip(UNITS[:4], [0.0, 99.99, 99.98, 100.0]))})
    result = score(m, data)
    assert result.ranks["a"].loc[UNITS[:4]].tolist() == [4, 3, 2, 1]
    assert result.ranks["b"].loc[UNITS[:4]].tolist() == [4, 2, 3, 1]
    shown = result.to_long(rounded=True)
    area_b = shown[shown["scope"] == "b"]
    assert area_b["city"].tolist() == [UNITS[3], UNITS[1], UNITS[2], UNITS[0]]  # rank order, not display order
    assert area_b["score"].tolist()[:3] == [100.0, 100.0, 100.0]  # three cities show 100.0, one of them is first


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=2, max_size=15))
@example([0.0, 1e-9])  # a difference in the 9th decimal must not vanish in the sort keys
def test_competition_ranks_order_cities_by_their_exact_scores(scores):
    ranks = TIE_RULES["competition"](pd.DataFrame({"overall": scores}))["overall"].tolist()
    exact = np.round(scores, 9)
    for i in range(len(scores)):
        assert ranks[i] == 1 + int((exact > exact[i]).sum())  # one plus the number of cities strictly better


# best_worst and the direction of a parameter -----------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(COLUMNS)
def test_best_worst_gives_the_best_value_100_and_the_worst_0_in_either_direction(values):
    column = np.array(values).reshape(-1, 1)
    up = NORMALISERS["best_worst"](column, higher_better=True)[:, 0]
    down = NORMALISERS["best_worst"](column, higher_better=False)[:, 0]
    if np.ptp(column) <= 1e-12 * max(1.0, np.abs(column).max()):
        assert (up == 100).all() and (down == 100).all()  # all tie: everyone reached the best value
        return
    assert up[np.argmax(values)] == 100 and up[np.argmin(values)] == 0
    assert down[np.argmin(values)] == 100 and down[np.argmax(values)] == 0
    order = np.argsort(values, kind="stable")
    assert (np.diff(up[order]) >= -1e-9).all() and (np.diff(down[order]) <= 1e-9).all()
    assert np.allclose(down, 100 - up)


def test_best_worst_scores_each_column_by_its_own_extremes_and_keeps_gaps():
    block = np.array([[1.0, 500.0], [3.0, np.nan], [2.0, 100.0], [np.nan, 300.0]])
    scores = NORMALISERS["best_worst"](block, higher_better=False)
    assert np.allclose(scores[[0, 2, 1], 0], [100, 50, 0]) and np.isnan(scores[3, 0])
    assert np.allclose(scores[[2, 3, 0], 1], [100, 50, 0]) and np.isnan(scores[1, 1])


def test_a_lower_is_better_parameter_turns_the_ranking_around_end_to_end():
    values = dict(zip(UNITS[:4], [2.0, 8.0, 5.0, 11.0]))  # e.g. minutes of waiting (synthetic)
    higher = score(single("wartezeit"), long({"wartezeit": values}))
    lower = score(single("wartezeit", direction="lower_better"), long({"wartezeit": values}))
    assert higher.ranks["overall"].loc[UNITS[:4]].tolist() == [4, 2, 3, 1]
    assert lower.ranks["overall"].loc[UNITS[:4]].tolist() == [1, 3, 2, 4]
    assert lower.scores["overall"].loc[UNITS[:4]].round(6).tolist() == [100.0, 33.333333, 66.666667, 0.0]


def test_directions_mix_inside_one_indicator():
    m = methodology([area("a", [indicator("verkehr", [parameter("bus"), parameter("stau", direction="lower_better")],
                                          combine="weighted_mean", normalisation="best_worst")])])
    data = long({"bus": dict(zip(UNITS[:3], [10.0, 20.0, 30.0])), "stau": dict(zip(UNITS[:3], [30.0, 20.0, 10.0]))})
    result = score(m, data)
    assert result.ranks["overall"].loc[UNITS[:3]].tolist() == [3, 2, 1]  # most buses and least congestion wins
    assert result.scores["overall"].loc[UNITS[2]] == 100.0 and result.scores["overall"].loc[UNITS[0]] == 0.0
