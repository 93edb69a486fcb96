"""Aggregator kernels: weights, missing components and the zero rules."""

from __future__ import annotations

import numpy as np
import pytest

from cityindex.engine.aggregators import AGGREGATORS

NAN = np.nan


def run(name: str, rows: list[list[float]], weights: list[float], **options: float) -> list[float]:
    return AGGREGATORS[name](np.array(rows, dtype=float), np.array(weights, dtype=float), **options).round(6).tolist()


def test_arithmetic_is_the_weighted_mean() -> None:
    assert run("arithmetic", [[100, 50], [0, 60]], [1, 1]) == [75, 30]
    assert run("arithmetic", [[100, 40]], [3, 1]) == [85]


def test_equal_weight_hamburg_2021_implies_verwaltung_76_4() -> None:
    """Hamburg 2021: areas 78.5, 91.5, 98.6, 95.5 and x with overall 88.1 under equal weights → x = 76.4."""
    assert run("arithmetic", [[76.4, 78.5, 91.5, 98.6, 95.5]], [1] * 5) == [88.1]


def test_geometric_and_harmonic_values() -> None:
    assert run("geometric", [[25, 100]], [1, 1]) == [50]
    assert run("harmonic", [[25, 100]], [1, 1]) == [40]


@pytest.mark.parametrize("name", ["geometric", "harmonic"])
def test_zero_rule_a_zero_component_gives_zero_without_warnings(name: str) -> None:
    with np.errstate(all="raise"):
        assert run(name, [[0, 100, 100]], [1, 1, 1]) == [0]


def test_geometric_offset_softens_the_zero_rule() -> None:
    (value,) = run("geometric", [[0, 99]], [1, 1], offset=1)
    assert value == pytest.approx(9.0)  # sqrt(1 × 100) − 1


def test_zero_weight_components_are_ignored_even_when_zero() -> None:
    for name in ("arithmetic", "geometric", "harmonic"):
        assert run(name, [[0, 80]], [0, 1]) == [80], name


@pytest.mark.parametrize("name", sorted(AGGREGATORS))
def test_missing_components_are_skipped_and_weights_renormalised(name: str) -> None:
    assert run(name, [[NAN, 60, 60]], [5, 1, 1]) == [60]
    assert np.isnan(run(name, [[NAN, NAN]], [1, 1])[0])


@pytest.mark.parametrize("name", sorted(AGGREGATORS))
def test_result_lies_between_the_smallest_and_largest_component(name: str) -> None:
    rng = np.random.default_rng(7)
    rows = rng.uniform(0, 100, size=(200, 5))
    weights = rng.uniform(0, 3, size=5)
    result = np.array(run(name, rows.tolist(), weights.tolist()))
    assert (result >= rows.min(axis=1) - 1e-6).all() and (result <= rows.max(axis=1) + 1e-6).all()
