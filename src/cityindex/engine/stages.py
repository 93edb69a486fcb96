"""The pure scoring stages, in pipeline order after *screen* (see screen.py).

    screen → treat → impute → combine → normalise → aggregate → add_bonus → rank

Each stage takes a table (cities × columns) and the plan (the flattened methodology) and returns
a new table; none reads files, uses globals or changes its inputs. Loops run over method groups,
indicators or areas, never over cities: every kernel works on whole columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cityindex.engine.aggregators import AGGREGATORS
from cityindex.engine.missing import MISSING_RULES
from cityindex.engine.normalisers import NORMALISERS
from cityindex.engine.plan import Plan
from cityindex.engine.screen import ScoringError
from cityindex.engine.ties import TIE_RULES
from cityindex.methodology import REGISTER_DENOMINATORS, Cap, Indicator, Log, MethodSpec, PerCapita

# ------------------------------------------------------------------------------------------------
# treat: per-capita, log and cap transforms of numeric parameters
# ------------------------------------------------------------------------------------------------


def treat(screened: pd.DataFrame, plan: Plan, denominators: pd.DataFrame) -> pd.DataFrame:
    """Apply every parameter's transforms in order; other columns are copied unchanged.
    Per-capita denominators come from ``denominators`` (register columns, aligned to the cities)
    or from the screened value of another parameter; a denominator of 0 or a missing one makes
    the value missing."""
    treated = screened.copy()
    for p in plan.parameters:
        for transform in p.transforms:
            treated[p.code] = _transform(treated[p.code], transform, screened, denominators, p.code)
    return treated


def _transform(column: pd.Series, transform: object, screened: pd.DataFrame, denominators: pd.DataFrame, code: str) -> pd.Series:
    if isinstance(transform, PerCapita):
        source = denominators if transform.denominator in REGISTER_DENOMINATORS else screened
        denominator = source[transform.denominator].to_numpy(dtype=float)
        with np.errstate(all="ignore"):
            values = np.where(denominator > 0, column.to_numpy() / denominator * transform.factor, np.nan)
        return pd.Series(values, index=column.index)
    if isinstance(transform, Log):
        shifted = column + transform.offset
        if (shifted <= 0).any():
            bad = ", ".join(shifted.index[shifted <= 0][:5])
            raise ScoringError(f"parameter {code}: log transform needs value + {transform.offset:g} > 0; not so for {bad}")
        return np.log(shifted)
    assert isinstance(transform, Cap)
    return column.clip(lower=transform.min, upper=transform.max)


# ------------------------------------------------------------------------------------------------
# impute: the missing-data rule of each parameter's indicator
# ------------------------------------------------------------------------------------------------


def impute(treated: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Apply each indicator's missing-data rule to its scored parameters (``impute_median``
    fills gaps; the other rules keep them). Bonus parameters: a missing value is 0 points."""
    m = plan.methodology
    imputed = treated.copy()
    by_rule: dict[str, list[str]] = defaultdict(list)
    for ind in plan.scored:
        by_rule[m.missing_of(ind)].extend(p.code for p in ind.scored_parameters)
    for rule, codes in by_rule.items():
        imputed[codes] = MISSING_RULES[rule].impute(treated[codes].to_numpy())
    bonus = sorted(plan.bonus_codes)
    if bonus:
        imputed[bonus] = treated[bonus].fillna(0.0)
    return imputed


# ------------------------------------------------------------------------------------------------
# combine: point sums of `sum` indicators
# ------------------------------------------------------------------------------------------------


def combine(imputed: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Sum the points of every ``sum`` indicator (city × indicator). A city without any value
    for the indicator gets NaN; under ``skip_and_reweight`` the available points are scaled up
    to the full maximum."""
    indicators = [i for i in plan.scored if i.combine == "sum"]
    columns = plan.parameter_columns(indicators)
    values = imputed[columns].to_numpy()
    present = ~np.isnan(values)
    member = plan.membership(indicators)
    maxima = plan.membership(indicators, {c: plan.parameters[plan.index[c]].max_points for c in columns})
    sums = np.where(present, values, 0.0) @ member
    answered = present.astype(float) @ member
    full, available = maxima.sum(axis=0), present.astype(float) @ maxima
    rescale = np.array([MISSING_RULES[plan.methodology.missing_of(i)].rescale_sums for i in indicators], dtype=bool)
    with np.errstate(all="ignore"):
        factor = np.where(rescale & (available > 0), full / np.where(available > 0, available, 1.0), 1.0)
    sums = np.where(answered > 0, sums * factor, np.nan)
    return pd.DataFrame(sums, index=imputed.index, columns=pd.Index([i.code for i in indicators], name="indicator"))


# ------------------------------------------------------------------------------------------------
# normalise: 0–100 indicator scores
# ------------------------------------------------------------------------------------------------


def _group_key(spec: MethodSpec, higher_better: bool) -> tuple:
    return spec.method, tuple(sorted(spec.options.items())), higher_better


def _normalise_columns(values: pd.DataFrame, groups: dict[tuple, list[str]]) -> pd.DataFrame:
    scores = pd.DataFrame(np.nan, index=values.index, columns=values.columns)
    for (method, options, higher_better), codes in groups.items():
        block = values[codes].to_numpy()
        scores[codes] = NORMALISERS[method](block, higher_better=higher_better, **dict(options))
    return scores


def _direction(ind: Indicator) -> bool:
    return ind.scored_parameters[0].higher_better


def normalise(combined: pd.DataFrame, imputed: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Scale every scored indicator to 0–100 (city × indicator): ``sum`` indicators normalise
    their point sum; ``weighted_mean`` indicators normalise each parameter, then average the
    scores with the parameter weights. Scores that cannot be computed get the missing rule's
    fill value (0 under ``zero``) or stay missing."""
    m = plan.methodology
    sums: dict[tuple, list[str]] = defaultdict(list)
    for ind in plan.scored:
        if ind.combine == "sum":
            sums[_group_key(m.normalisation_of(ind), _direction(ind))].append(ind.code)
    scores = _normalise_columns(combined, sums)
    means = _weighted_means(imputed, plan)
    table = pd.concat([scores, means], axis=1)[[i.code for i in plan.scored]]
    return _fill_missing_scores(table, plan.scored, m)


def _weighted_means(imputed: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    m = plan.methodology
    indicators = [i for i in plan.scored if i.combine == "weighted_mean"]
    groups: dict[tuple, list[str]] = defaultdict(list)
    for ind in indicators:
        for p in ind.scored_parameters:
            groups[_group_key(m.normalisation_of(ind), p.higher_better)].append(p.code)
    columns = plan.parameter_columns(indicators)
    parameter_scores = _normalise_columns(imputed[columns], groups).to_numpy()
    fills = {p.code: MISSING_RULES[m.missing_of(i)].fill_score for i in indicators for p in i.scored_parameters}
    fill = np.array([np.nan if fills[c] is None else fills[c] for c in columns])
    parameter_scores = np.where(np.isnan(parameter_scores), fill, parameter_scores)
    weights = plan.membership(indicators, {c: plan.parameters[plan.index[c]].weight for c in columns})
    present = ~np.isnan(parameter_scores)
    with np.errstate(all="ignore"):
        total = np.where(present, parameter_scores, 0.0) @ weights
        weight_sum = present.astype(float) @ weights
        means = np.where(weight_sum > 0, total / weight_sum, np.nan)
    return pd.DataFrame(means, index=imputed.index, columns=[i.code for i in indicators])


def _fill_missing_scores(table: pd.DataFrame, indicators: Iterable[Indicator], m) -> pd.DataFrame:
    fills = {i.code: MISSING_RULES[m.missing_of(i)].fill_score for i in indicators}
    values = {code: fill for code, fill in fills.items() if fill is not None}
    filled = table.fillna(value=values) if values else table.copy()
    filled.columns.name = "indicator"
    return filled


# ------------------------------------------------------------------------------------------------
# aggregate: indicators → areas, areas → overall
# ------------------------------------------------------------------------------------------------


def _aggregate(values: np.ndarray, weights: list[float], spec: MethodSpec) -> np.ndarray:
    return AGGREGATORS[spec.method](values, np.asarray(weights, dtype=float), **spec.options)


def aggregate_areas(indicators: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Area scores before any bonus (city × area), each with its area's aggregator."""
    m = plan.methodology
    columns = {}
    for area in plan.areas:
        inds = area.scored_indicators
        block = indicators[[i.code for i in inds]].to_numpy()
        columns[area.code] = _aggregate(block, [i.weight for i in inds], m.aggregation_of(area))
    return pd.DataFrame(columns, index=indicators.index).rename_axis(columns="area")


def add_bonus(areas: pd.DataFrame, imputed: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Add each area's innovation bonus: the sum of its bonus parameters' points, at most
    ``cap`` × 100 (``cap_basis: maximum``) or ``cap`` × the area score (``achieved``); the
    result never exceeds 100."""
    with_bonus = areas.copy()
    for area in plan.areas:
        if area.bonus is None:
            continue
        points = imputed[[p.code for p in area.bonus.parameters]].sum(axis=1).clip(lower=0.0)
        basis = 100.0 if area.bonus.cap_basis == "maximum" else areas[area.code]
        bonus = np.minimum(points, area.bonus.cap * basis)
        with_bonus[area.code] = np.minimum(areas[area.code] + bonus, 100.0)
    return with_bonus


def aggregate_overall(areas: pd.DataFrame, plan: Plan) -> pd.Series:
    """The overall score per city from the area scores and weights."""
    m = plan.methodology
    values = _aggregate(areas[[a.code for a in plan.areas]].to_numpy(), [a.weight for a in plan.areas], m.rules.aggregation.overall)
    return pd.Series(values, index=areas.index, name="overall")


# ------------------------------------------------------------------------------------------------
# rank: ranks and rank changes
# ------------------------------------------------------------------------------------------------


def scope_table(overall: pd.Series, areas: pd.DataFrame) -> pd.DataFrame:
    """city × ['overall', area codes …] of scores."""
    table = pd.concat([overall.rename("overall"), areas], axis=1)
    table.columns.name = "scope"
    return table


def rank(scores: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Ranks per scope (1 = best) with the methodology's tie rule, on unrounded scores."""
    return TIE_RULES[plan.methodology.rules.ties](scores)


def compare_ranks(ranks: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """previous rank − current rank per city and scope (positive = moved up); missing where the
    city or scope has no previous rank."""
    if previous is None:
        return pd.DataFrame(pd.NA, index=ranks.index, columns=ranks.columns, dtype="Int64")
    before = previous.reindex(index=ranks.index, columns=ranks.columns).astype("Int64")
    return before - ranks
