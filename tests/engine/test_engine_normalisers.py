"""Normaliser kernels: formulas, directions, missing values and the all-cities-tie rule."""

from __future__ import annotations

import numpy as np
import pytest

from cityindex.engine.normalisers import NORMALISERS

NAN = np.nan


def run(name: str, values: list[float], higher_better: bool = True, **options: float) -> list[float]:
    column = np.array(values, dtype=float).reshape(-1, 1)
    return NORMALISERS[name](column, higher_better=higher_better, **options)[:, 0].round(6).tolist()


def same(a: list[float], b: list[float]) -> bool:
    return np.allclose(np.array(a, dtype=float), np.array(b, dtype=float), equal_nan=True)


def test_best_worst_scales_between_observed_extremes() -> None:
    assert same(run("best_worst", [0.1, 7.8, 3.95]), [0, 100, 50])
    assert same(run("best_worst", [20, 40, 60], higher_better=False), [100, 50, 0])


def test_share_of_maximum_divides_by_the_points_possible() -> None:
    # Paderborn 2023 "Digitalkompetenz" 27.3 read as 3 of 11 possible points, whatever the best city has
    assert same(run("share_of_maximum", [3, 6, 0], maximum=np.array([11.0])), [27.272727, 54.545455, 0])
    assert same(run("share_of_best", [3, 6, 0]), [50, 100, 0])  # the other reading: share of the best city


def test_old_name_best_still_loads() -> None:
    assert NORMALISERS["best"] is NORMALISERS["share_of_best"] and "best" in NORMALISERS


def test_share_of_best_divides_by_the_best_observed_value() -> None:
    assert same(run("share_of_best", [11, 3, 0]), [100, 27.272727, 0])
    assert same(run("share_of_best", [2, 4, 8], higher_better=False), [100, 50, 25])


def test_percentile_rank_uses_mid_ranks_for_ties() -> None:
    assert same(run("percentile_rank", [1, 2, 2, 3]), [0, 50, 50, 100])
    assert same(run("percentile_rank", [1, 2, 3], higher_better=False), [100, 50, 0])


def test_goalposts_clip_outside_the_bounds() -> None:
    assert same(run("goalposts", [-5, 0, 5, 10, 20], lower=0, upper=10), [0, 0, 50, 100, 100])
    assert same(run("goalposts", [0, 5, 10], higher_better=False, lower=0, upper=10), [100, 50, 0])


def test_zscore_centres_on_50() -> None:
    scores = run("zscore", [1, 2, 3])
    assert scores[1] == 50.0 and scores[0] < 50 < scores[2]
    assert same(run("zscore", [0, 1e6], scale=100), [0, 100])  # clipped


def test_raw_keeps_scores_and_inverts_lower_is_better() -> None:
    assert same(run("raw", [-3, 40, 140]), [0, 40, 100])
    assert same(run("raw", [40], higher_better=False), [60])


@pytest.mark.parametrize(
    ("name", "options", "tied"),
    [
        ("best_worst", {}, 100.0),
        ("best_worst", {"tie_score": 0}, 0.0),
        ("percentile_rank", {}, 50.0),
        ("zscore", {}, 50.0),
        ("share_of_best", {}, 100.0),
        ("share_of_maximum", {"maximum": np.array([10.0])}, 70.0),
        ("goalposts", {"lower": 0, "upper": 10}, 70.0),
        ("raw", {}, 7.0),
    ],
)
def test_all_cities_tie_gives_the_documented_score_without_warnings(name: str, options: dict, tied: float) -> None:
    values = [7.0, 7.0, 7.0]
    with np.errstate(all="raise"):
        assert run(name, values, **options) == [tied] * 3
    assert run(name, [7.0], **options) == [tied]  # a single city is a tie too


def test_share_of_best_with_no_points_anywhere_gives_0() -> None:
    assert run("share_of_best", [0.0, 0.0]) == [0.0, 0.0]
    assert run("best_worst", [0.0, 0.0]) == [100.0, 100.0]


def _options(name: str) -> dict:
    """Options (and the engine's ``maximum``) a kernel needs in the tests below."""
    return {"goalposts": {"lower": 0, "upper": 10}, "share_of_maximum": {"maximum": np.array([10.0])}}.get(name, {})


@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_missing_values_stay_missing_and_do_not_move_others(name: str) -> None:
    options = _options(name)
    with_gap = run(name, [1, NAN, 3, 9], **options)
    without = run(name, [1, 3, 9], **options)
    assert np.isnan(with_gap[1])
    assert same([with_gap[0], with_gap[2], with_gap[3]], without)


@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_every_normaliser_keeps_scores_in_range_for_extreme_values(name: str) -> None:
    options = _options(name)
    for direction in (True, False):
        scores = np.array(run(name, [-1e9, 0, 1e-9, 5, 1e9], higher_better=direction, **options))
        assert ((scores >= 0) & (scores <= 100)).all()


def test_columns_are_normalised_independently() -> None:
    block = np.array([[0.0, 5.0], [10.0, 5.0], [5.0, 6.0]])
    scores = NORMALISERS["best_worst"](block, higher_better=True)
    assert scores[:, 0].tolist() == [0, 100, 50]
    assert scores[:, 1].tolist() == [0, 0, 100]


def test_share_of_best_lower_is_better_all_zero_is_the_best_possible() -> None:
    assert run("share_of_best", [0.0, 0.0], higher_better=False) == [100.0, 100.0]
