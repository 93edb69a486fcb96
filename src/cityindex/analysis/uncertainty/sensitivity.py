"""Which choice moves ranks most: sensitivity indices of the mean absolute rank shift.

Two estimates:

* **PAWN** (Pianosi & Wagener 2015) from the Monte Carlo sample itself — cheap, every run: for
  each varied weight or choice, the Kolmogorov–Smirnov distance between the distribution of the
  output among the runs in one slice of that input and its distribution over all runs. A weight
  is cut into ten equal slices of its range, a choice into its alternatives; the index is the
  median over the slices, reported with the smallest and largest slice value. A dummy input that
  changes nothing is analysed alongside: an index not above the dummy's cannot be told from
  sampling noise. cityindex computes it itself on the sorted output (SALib's version asks SciPy
  for exact p-values it does not use, which costs seconds).
* **Sobol** first-order and total indices per assumption (each assumption a group of inputs),
  with SALib: Saltelli's sampling scheme (``SALib.sample.sobol``) and ``SALib.analyze.sobol``
  with bootstrap 95 % confidence intervals. It needs N × (assumptions + 2) further runs (N a
  power of two).

Inputs are the unit-sample columns (cityindex.analysis.uncertainty.space): a choice column picks
alternative ⌊u · K⌋, so its slices are exactly its alternatives.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

PAWN_ROWS = 10_000  # PAWN uses at most the first 10,000 runs
PAWN_SLICES = 10
DUMMY = "(dummy: changes nothing)"
PAWN_COLUMNS = ["assumption", "input", "pawn", "pawn_min", "pawn_max"]
SOBOL_COLUMNS = ["assumption", "first", "first_conf", "total", "total_conf"]


def pawn_indices(labels: list[tuple[str, str]], slices: list[int], unit: np.ndarray, output: np.ndarray, *,
                 seed: int) -> pd.DataFrame:
    """PAWN indices (median, min, max over slices) of every input column and of a dummy input.
    ``slices``: the number of slices of each column (its alternatives for a choice)."""
    rows = min(len(output), PAWN_ROWS)
    keep = np.isfinite(output[:rows])
    y, unit = output[:rows][keep], unit[:rows][keep]
    dummy = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31,))).random(len(y))
    columns = [*unit.T, dummy]
    points, position = np.unique(y, return_inverse=True)  # the output's distinct values
    overall = np.cumsum(np.bincount(position, minlength=len(points))) / max(len(y), 1)
    found = np.array([_pawn(x, position, overall, k) for x, k in zip(columns, [*slices, PAWN_SLICES])]).reshape(-1, 3)
    return pd.DataFrame({"assumption": [a for a, _ in labels] + [""],
                         "input": [label for _, label in labels] + [DUMMY],
                         "pawn": found[:, 0], "pawn_min": found[:, 1], "pawn_max": found[:, 2]})[PAWN_COLUMNS]


def _pawn(x: np.ndarray, position: np.ndarray, overall: np.ndarray, slices: int) -> tuple[float, float, float]:
    """(median, min, max) over the slices of x of the KS distance between the output's empirical
    distribution in the slice and ``overall`` (both evaluated at the output's distinct values;
    ``position``: each run's output as an index into them)."""
    if len(position) == 0:
        return (np.nan, np.nan, np.nan)
    part = np.minimum((x * slices).astype(np.int64), slices - 1)
    counts = np.bincount(part * len(overall) + position, minlength=slices * len(overall)).reshape(slices, -1)
    sizes = counts.sum(axis=1)
    inside = np.cumsum(counts, axis=1)[sizes > 0] / sizes[sizes > 0, None]
    distances = np.abs(inside - overall).max(axis=1)
    return float(np.median(distances)), float(distances.min()), float(distances.max())


def sobol_problem(labels: list[tuple[str, str]]) -> dict:
    """A SALib problem over the unit columns, grouped by assumption."""
    names = [f"x{k}" for k in range(len(labels))]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
            "groups": [address for address, _ in labels]}


def sobol_sample(problem: dict, n: int, *, seed: int) -> np.ndarray:
    """Saltelli's sample for first-order and total indices: N × (groups + 2) rows in [0, 1)."""
    from SALib.sample import sobol

    sample = sobol.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    return np.clip(sample, 0.0, np.nextafter(1.0, 0.0))


def sobol_indices(problem: dict, output: np.ndarray, *, seed: int) -> pd.DataFrame:
    """First-order and total Sobol indices per group with 95 % bootstrap confidence half-widths."""
    from SALib.analyze import sobol

    found = sobol.analyze(problem, output, calc_second_order=False, num_resamples=200, conf_level=0.95, seed=seed)
    groups = list(dict.fromkeys(problem.get("groups") or problem["names"]))
    return pd.DataFrame({"assumption": groups, "first": found["S1"], "first_conf": found["S1_conf"],
                         "total": found["ST"], "total_conf": found["ST_conf"]})[SOBOL_COLUMNS]


def sobol_of(labels: list[tuple[str, str]], evaluate: Callable[[np.ndarray], np.ndarray], n: int, *,
             seed: int) -> pd.DataFrame:
    """Sample, evaluate (unit rows → outputs) and analyse: Sobol indices per assumption."""
    problem = sobol_problem(labels)
    return sobol_indices(problem, evaluate(sobol_sample(problem, n, seed=seed)), seed=seed)
