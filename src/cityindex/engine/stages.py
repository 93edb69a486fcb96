"""The pure scoring stages, in pipeline order after *screen* (see screen.py).

    screen → treat → impute → combine → normalise → aggregate_areas → add_bonus
           → aggregate_overall → rank → compare_ranks

Each stage takes a table (cities × columns) and the plan (the flattened methodology) and
returns a new table; none reads files, uses globals or changes its inputs. Loops run over
method groups, transforms or areas — never over cities: every kernel works on whole blocks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cityindex.engine.plan import Plan
from cityindex.engine.screen import ScoringError, listing
from cityindex.methodology import REGISTER_DENOMINATORS, Cap, Log, PerCapita


def read_only(values: np.ndarray) -> np.ndarray:
    """Lock a stage's array: a Result's tables cannot be changed in place by accident."""
    values.flags.writeable = False
    return values


def _frame(values: np.ndarray, like: pd.DataFrame | pd.Index, columns: pd.Index) -> pd.DataFrame:
    index = like if isinstance(like, pd.Index) else like.index
    return pd.DataFrame(read_only(np.ascontiguousarray(values)), index=index, columns=columns, copy=False)


# treat ------------------------------------------------------------------------------------------


def treat(screened: pd.DataFrame, plan: Plan, denominators: pd.DataFrame) -> pd.DataFrame:
    """Apply every numeric parameter's transforms in order (per_capita, log, cap). Per-capita
    denominators come from ``denominators`` (register columns aligned to the cities) or from the
    screened value of another parameter; a denominator that is 0 or missing makes the value
    missing."""
    source = screened.to_numpy()
    values = source.copy()
    register = {name: denominators[name].to_numpy(dtype=float) for name in denominators.columns}
    for column, transform in plan.transforms:
        values[:, column] = _transform(values[:, column], transform, source, register, plan, screened.index,
                                       plan.codes[column])
    return _frame(values, screened, plan.parameter_index)


def _transform(
    column: np.ndarray, transform: object, source: np.ndarray, register: dict[str, np.ndarray], plan: Plan, cities: pd.Index,
    code: str,
) -> np.ndarray:
    if isinstance(transform, PerCapita):
        if transform.denominator in REGISTER_DENOMINATORS:
            denominator = register[transform.denominator]
        else:
            denominator = source[:, plan.position[transform.denominator]]
        with np.errstate(all="ignore"):
            return np.where(denominator > 0, column / denominator * transform.factor, np.nan)
    if isinstance(transform, Log):
        shifted = column + transform.offset
        if (shifted <= 0).any():
            bad = listing(list(cities[shifted <= 0]))
            raise ScoringError(f"parameter {code}: log transform needs value + {transform.offset:g} > 0; "
                               f"not so for city {bad}")
        return np.log(shifted)
    assert isinstance(transform, Cap)
    return np.clip(column, transform.min, transform.max) if (transform.min, transform.max) != (None, None) else column


# impute -----------------------------------------------------------------------------------------


def impute(treated: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Apply each indicator's missing-data rule to its scored parameters (``impute_median``
    fills gaps; ``zero`` and ``skip_and_reweight`` keep them for the later stages). A missing
    bonus answer is 0 points."""
    values = treated.to_numpy().copy()
    for rule, columns in plan.impute_groups:
        values[:, columns] = rule.impute(values[:, columns])
    bonus = values[:, plan.bonus_columns]
    values[:, plan.bonus_columns] = np.where(np.isnan(bonus), 0.0, bonus)
    return _frame(values, treated, plan.parameter_index)


# combine ----------------------------------------------------------------------------------------


def combine(imputed: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Point sums of the ``sum`` indicators (city × indicator). A city with no value for any
    of the indicator's parameters gets NaN; under ``skip_and_reweight`` the points are scaled
    by (maximum of all parameters ÷ maximum of the answered ones)."""
    values = imputed.to_numpy()
    present = ~np.isnan(values)
    presence = present.astype(float)
    sums = np.where(present, values, 0.0) @ plan.sum_member
    answered = presence @ plan.sum_member
    available = presence @ plan.sum_maxima
    full = plan.sum_maxima.sum(axis=0)
    with np.errstate(all="ignore"):
        factor = np.where(plan.sum_rescale & (available > 0), full / np.where(available > 0, available, 1.0), 1.0)
    return _frame(np.where(answered > 0, sums * factor, np.nan), imputed, plan.sum_index)


# normalise --------------------------------------------------------------------------------------


def normalise(combined: pd.DataFrame, imputed: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """0–100 score of every scored indicator (city × indicator): ``sum`` indicators normalise
    their point sum; ``weighted_mean`` indicators normalise each parameter and average the
    scores with the parameter weights. A score that cannot be computed gets the missing-data
    rule's fill value (0 under ``zero``) or stays missing."""
    n = len(imputed.index)
    scores = np.full((n, len(plan.indicator_index)), np.nan)
    sums = combined.to_numpy()
    normalised_sums = np.full_like(sums, np.nan)
    for group in plan.sum_groups:
        group.apply(sums, normalised_sums)
    scores[:, plan.sum_positions] = normalised_sums
    scores[:, plan.mean_positions] = _weighted_means(imputed.to_numpy(), plan)
    scores = np.where(np.isnan(scores), plan.indicator_fill, scores)
    return _frame(scores, imputed, plan.indicator_index)


def _weighted_means(values: np.ndarray, plan: Plan) -> np.ndarray:
    block = values[:, plan.mean_columns]
    parameter_scores = np.full_like(block, np.nan)
    for group in plan.mean_groups:
        group.apply(block, parameter_scores)
    parameter_scores = np.where(np.isnan(parameter_scores), plan.mean_fill, parameter_scores)
    present = ~np.isnan(parameter_scores)
    total = np.where(present, parameter_scores, 0.0) @ plan.mean_weights
    weight_sum = present.astype(float) @ plan.mean_weights
    with np.errstate(all="ignore"):
        return np.where(weight_sum > 0, total / np.where(weight_sum > 0, weight_sum, 1.0), np.nan)


# aggregate --------------------------------------------------------------------------------------


def aggregate_areas(indicators: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Area scores before any bonus (city × area), each with its area's aggregator and the
    indicator weights."""
    return _frame(area_values(indicators.to_numpy(), plan), indicators, plan.area_index)


def area_values(values: np.ndarray, plan: Plan, weights: np.ndarray | None = None) -> np.ndarray:
    """The array core of :func:`aggregate_areas`: rows × indicators → rows × areas. ``weights``
    (rows × indicators) replaces the plan's indicator weights row by row, so the rows of many
    weight variants can be stacked into one block (engine/batch.py). Blocks are held columns
    first: the kernels reduce along short rows, which numpy does fastest that way, and in the
    same order for one city as for a stacked block."""
    values = np.asfortranarray(values)
    out = np.empty((len(plan.areas), len(values))).T
    for k, a in enumerate(plan.areas):
        w = a.weights if weights is None else weights[:, a.indicators]
        out[:, k] = a.kernel(values[:, a.indicators], w, **a.options)
    return out


def add_bonus(areas: pd.DataFrame, imputed: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Add each area's innovation bonus: the sum of its bonus parameters' points, at most
    ``cap`` × 100 (``cap_basis: maximum``) or ``cap`` × the city's area score (``achieved``).
    An area score never exceeds 100."""
    points = bonus_points(imputed.to_numpy(), plan)
    return _frame(with_bonus(areas.to_numpy(), points, plan), areas, plan.area_index)


def bonus_points(values: np.ndarray, plan: Plan) -> np.ndarray:
    """Bonus points per city and area (rows × areas; 0 where an area has no bonus)."""
    points = np.zeros((len(values), len(plan.areas)))
    for k, area in enumerate(plan.areas):
        if area.bonus_columns.size:
            points[:, k] = np.clip(values[:, area.bonus_columns].sum(axis=1), 0.0, None)
    return points


def with_bonus(base: np.ndarray, points: np.ndarray, plan: Plan) -> np.ndarray:
    """The array core of :func:`add_bonus`: area scores plus their capped bonus points."""
    result = base.copy(order="K")
    for k, area in enumerate(plan.areas):
        if area.bonus_columns.size == 0:
            continue
        basis = 100.0 if area.bonus_basis == "maximum" else base[:, k]
        result[:, k] = np.minimum(base[:, k] + np.minimum(points[:, k], area.bonus_cap * basis), 100.0)
    return result


def aggregate_overall(areas: pd.DataFrame, plan: Plan) -> pd.Series:
    """The overall score per city from the area scores and the area weights."""
    return pd.Series(read_only(overall_values(areas.to_numpy(), plan)), index=areas.index, name="overall", copy=False)


def overall_values(areas: np.ndarray, plan: Plan, weights: np.ndarray | None = None) -> np.ndarray:
    """The array core of :func:`aggregate_overall`; ``weights`` (rows × areas) as in
    :func:`area_values`."""
    weights = plan.area_weights if weights is None else weights
    return plan.overall_kernel(np.asfortranarray(areas), weights, **plan.overall_options)


# rank -------------------------------------------------------------------------------------------


def scope_table(overall: pd.Series, areas: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """city × ['overall', area codes …] of unrounded scores."""
    return _frame(np.column_stack([overall.to_numpy(), areas.to_numpy()]), areas, plan.scope_index)


def rank(scores: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Ranks per scope (1 = best) with the methodology's tie rule, on unrounded scores."""
    return plan.tie_rule(scores)


def compare_ranks(ranks: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """previous rank − current rank per city and scope (positive = moved up); missing where
    the city or the scope has no previous rank."""
    if previous is None:
        empty = {k: pd.arrays.IntegerArray(np.zeros(len(ranks), dtype=np.int64), np.ones(len(ranks), dtype=bool)) for k in range(ranks.shape[1])}
        frame = pd.DataFrame(empty, index=ranks.index)
        frame.columns = ranks.columns
        return frame
    before = previous.reindex(index=ranks.index, columns=ranks.columns).astype("Int64")
    return before - ranks
