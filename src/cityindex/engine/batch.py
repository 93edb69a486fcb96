"""Score many variants of one methodology at once, with the plan, stages and kernels of ``score()``.

A *variant* differs from the edition's methodology only in the choices uncertainty analysis
varies (cityindex.methodology.uncertainty): area and indicator weights, the default normaliser,
the default aggregators, the missing-data rule, the bonus on or off. So the work splits:

* screen and treat depend on none of them: they come from the nominal ``Result``;
* impute, combine and normalise depend only on the normaliser and the missing-data rule: they
  run once per such pair, as the engine's own stages (:func:`fixed_stages`);
* aggregation, bonus and ranking depend on the weights of each replication: :func:`score_rows`
  stacks R replications × n cities into one block and calls the area and overall aggregators of
  the variant's plan (the registry kernels) with one weight row per stacked row, and
  :func:`rank_rows` ranks every replication and scope with the array form of the tie rule.

The numbers are those ``score(variant, data)`` gives; tests/engine/test_batch.py checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityindex.engine import stages as st
from cityindex.engine.plan import Plan
from cityindex.engine.ties import ROW_RANKERS


@dataclass(frozen=True)
class Fixed:
    """What one (normaliser, missing-data rule) pair makes of the treated data."""

    indicators: np.ndarray  # cities × scored indicators, 0–100 (NaN = no score)
    bonus: np.ndarray  # cities × areas: bonus points (0 for an area without a bonus)


def fixed_stages(plan: Plan, treated: pd.DataFrame) -> Fixed:
    """impute → combine → normalise with the variant's plan, and the bonus points."""
    imputed = st.impute(treated, plan)
    indicators = st.normalise(st.combine(imputed, plan), imputed, plan)
    return Fixed(indicators.to_numpy(), st.bonus_points(imputed.to_numpy(), plan))


def nominal_weights(plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """The plan's own indicator weights (in scored-indicator order) and area weights."""
    indicator_weights = np.zeros(len(plan.indicator_index))
    for area in plan.areas:
        indicator_weights[area.indicators] = area.weights
    return indicator_weights, plan.area_weights.copy()


def score_rows(fixed: Fixed, plan: Plan, indicator_weights: np.ndarray, area_weights: np.ndarray) -> np.ndarray:
    """Scores of R variants: R × cities × ['overall', areas …]. Row r of ``indicator_weights``
    (R × scored indicators) and ``area_weights`` (R × areas) are variant r's weights."""
    runs, n = len(indicator_weights), len(fixed.indicators)
    base = st.area_values(_stacked(fixed.indicators, runs), plan, _repeated(indicator_weights, n))
    areas = st.with_bonus(base, _stacked(fixed.bonus, runs), plan)
    overall = st.overall_values(areas, plan, _repeated(area_weights, n))
    return np.concatenate([overall.reshape(runs, n, 1), areas.reshape(runs, n, -1)], axis=2)


def rank_rows(scores: np.ndarray, plan: Plan) -> np.ndarray:
    """Ranks of R variants: R × scopes × cities (1 = best, 0 = no score), with the tie rule."""
    ranker = ROW_RANKERS.get(plan.methodology.rules.ties)
    if ranker is not None:
        return ranker(scores.transpose(0, 2, 1))
    # A tie rule registered by an extension has only its frame form: one call per variant.
    frames = [plan.tie_rule(pd.DataFrame(block, columns=plan.scope_index)) for block in scores]
    return np.stack([f.to_numpy(dtype=np.int64, na_value=0).T for f in frames])


def _stacked(block: np.ndarray, runs: int) -> np.ndarray:
    """(runs·n) × k: the block repeated for every run, held columns first."""
    return np.tile(block.T, (1, runs)).T


def _repeated(weights: np.ndarray, n: int) -> np.ndarray:
    """(runs·n) × k: each run's weight row repeated for its n cities, held columns first."""
    return np.repeat(weights.T, n, axis=1).T
