"""Sensitivity indices against cases with a known answer."""

from __future__ import annotations

import numpy as np

from cityindex.analysis.uncertainty.sensitivity import DUMMY, pawn_indices, sobol_of

# The Ishigami function (a = 7, b = 0.1) on [−π, π]³: its Sobol indices are known in closed form.
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def ishigami(unit: np.ndarray) -> np.ndarray:
    x = -np.pi + 2 * np.pi * unit
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function() -> None:
    labels = [("x1", "x1"), ("x2", "x2"), ("x3", "x3")]
    found = sobol_of(labels, ishigami, 4096, seed=1).set_index("assumption")
    for name in S1:
        assert abs(found.loc[name, "first"] - S1[name]) < 0.04, name
        assert abs(found.loc[name, "total"] - ST[name]) < 0.04, name
        assert 0 < found.loc[name, "total_conf"] < 0.1


def test_sobol_indices_of_a_group() -> None:
    """x1 and x3 as one assumption: first order S1 + S3 + S13 = 0.5576, total 1 − S2 = 0.5576."""
    labels = [("x1 and x3", "x1"), ("x2", "x2"), ("x1 and x3", "x3")]
    found = sobol_of(labels, ishigami, 4096, seed=2).set_index("assumption")
    assert list(found.index) == ["x1 and x3", "x2"]
    assert abs(found.loc["x1 and x3", "first"] - 0.5576) < 0.04
    assert abs(found.loc["x1 and x3", "total"] - 0.5576) < 0.04
    assert abs(found.loc["x2", "first"] - 0.4424) < 0.04


def test_pawn_separates_a_choice_that_matters_from_inputs_that_do_not() -> None:
    rng = np.random.default_rng(0)
    unit = rng.random((5000, 2))
    output = 5.0 * (unit[:, 0] >= 0.5) + 0.1 * rng.random(5000)  # only the choice (column 0) matters
    labels = [("rules.normalisation", "rules.normalisation"), ("weights.areas", "a")]
    table = pawn_indices(labels, [2, 10], unit, output, seed=0).set_index("input")
    assert table.loc["rules.normalisation", "pawn"] > 0.45  # each alternative moves the output by half
    assert table.loc[DUMMY, "pawn"] < 0.1  # sampling noise of 500 runs per slice
    assert table.loc["a", "pawn"] < 1.5 * table.loc[DUMMY, "pawn_max"]
