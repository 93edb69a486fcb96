"""A methodology flattened into the index arrays the stages work with.

The plan is derived from the methodology alone (no city data): parameter columns, which
parameters feed which indicator, weights, maxima, method groups and their kernels. Building it
once per ``score()`` call lets every stage work on whole numpy blocks by position.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from cityindex.engine.aggregators import AGGREGATORS
from cityindex.engine.missing import MISSING_RULES
from cityindex.engine.normalisers import NORMALISERS
from cityindex.engine.ties import TIE_RULES
from cityindex.methodology import Indicator, Methodology, MethodSpec, Parameter


KIND_CODES = {"numeric": 0, "binary": 1, "points": 2}


@dataclass(frozen=True)
class MethodGroup:
    """Columns normalised by one kernel with the same options and direction."""

    kernel: Callable[..., np.ndarray]
    options: dict[str, float]
    higher_better: bool
    columns: np.ndarray  # positions in the block being normalised
    maximum: np.ndarray | None = None  # most points per column, for kernels that take ``maximum``

    def apply(self, block: np.ndarray, out: np.ndarray) -> None:
        extra = {} if self.maximum is None else {"maximum": self.maximum}
        out[:, self.columns] = self.kernel(block[:, self.columns], higher_better=self.higher_better,
                                           **self.options, **extra)


@dataclass(frozen=True)
class AreaPlan:
    code: str
    kernel: Callable[..., np.ndarray]
    options: dict[str, float]
    indicators: np.ndarray  # positions among the scored indicators
    weights: np.ndarray
    bonus_columns: np.ndarray  # parameter columns of the bonus (empty without a bonus)
    bonus_cap: float
    bonus_basis: str


@dataclass(frozen=True)
class Plan:
    methodology: Methodology
    parameters: tuple[Parameter, ...]
    parameter_index: pd.Index
    codes: tuple[str, ...]
    position: dict[str, int]
    kinds: np.ndarray  # per parameter column: KIND_CODES of its kind (small integers)
    yes_points: np.ndarray  # per parameter column: points of a yes answer (binary)
    answers: dict[int, dict[str, float]]  # points parameters: column -> {lower-case answer: points}
    point_values: dict[int, frozenset[float]]  # points parameters: column -> allowed point values
    transforms: tuple[tuple[int, Any], ...]
    impute_groups: tuple[tuple[Any, np.ndarray], ...]
    bonus_columns: np.ndarray
    indicator_index: pd.Index  # scored indicators
    sum_positions: np.ndarray  # positions of `sum` indicators among the scored ones
    sum_index: pd.Index
    sum_member: np.ndarray  # parameter × sum indicator, 1 where the parameter counts
    sum_maxima: np.ndarray  # parameter × sum indicator, the parameter's max points
    sum_rescale: np.ndarray  # bool per sum indicator (skip_and_reweight)
    sum_groups: tuple[MethodGroup, ...]
    mean_positions: np.ndarray  # positions of `weighted_mean` indicators
    mean_columns: np.ndarray  # parameter columns feeding them
    mean_groups: tuple[MethodGroup, ...]  # over mean_columns
    mean_weights: np.ndarray  # mean column × weighted_mean indicator
    mean_fill: np.ndarray  # per mean column: fill score or NaN
    indicator_fill: np.ndarray  # per scored indicator: fill score or NaN
    areas: tuple[AreaPlan, ...]
    area_index: pd.Index
    overall_kernel: Callable[..., np.ndarray]
    overall_options: dict[str, float]
    area_weights: np.ndarray
    tie_rule: Callable[[pd.DataFrame], pd.DataFrame]
    scope_index: pd.Index


def _fill(rule: str) -> float:
    value = MISSING_RULES[rule].fill_score
    return np.nan if value is None else float(value)


def _groups(specs: list[tuple[MethodSpec, bool]], maxima: np.ndarray) -> tuple[MethodGroup, ...]:
    """Columns grouped by kernel, options and direction; ``maxima``: most points per column."""
    grouped: dict[tuple, list[int]] = defaultdict(list)
    for k, (spec, higher_better) in enumerate(specs):
        grouped[(NORMALISERS.canonical(spec.method), tuple(sorted(spec.options.items())), higher_better)].append(k)
    groups = []
    for (method, options, hb), cols in grouped.items():
        kernel, columns = NORMALISERS[method], np.array(cols, dtype=np.intp)
        takes_maximum = "maximum" in inspect.signature(kernel).parameters
        groups.append(MethodGroup(kernel, dict(options), hb, columns, maxima[columns] if takes_maximum else None))
    return tuple(groups)


def _sum_part(m: Methodology, scored: list[Indicator], position: dict[str, int]) -> dict[str, Any]:
    sums = [i for i in scored if i.combine == "sum"]
    member = np.zeros((len(position), len(sums)))
    maxima = np.zeros_like(member)
    for j, ind in enumerate(sums):
        for p in ind.scored_parameters:
            member[position[p.code], j] = 1.0
            maxima[position[p.code], j] = p.max_points
    specs = [(m.normalisation_of(i), i.scored_parameters[0].higher_better) for i in sums]
    order = {i.code: k for k, i in enumerate(scored)}
    possible = np.array([sum(p.max_points for p in i.scored_parameters) for i in sums], dtype=float)
    return {
        "sum_positions": np.array([order[i.code] for i in sums], dtype=np.intp),
        "sum_index": pd.Index([i.code for i in sums], name="indicator"),
        "sum_member": member,
        "sum_maxima": maxima,
        "sum_rescale": np.array([MISSING_RULES[m.missing_of(i)].rescale_sums for i in sums], dtype=bool),
        "sum_groups": _groups(specs, possible),
    }


def _mean_part(m: Methodology, scored: list[Indicator], position: dict[str, int]) -> dict[str, Any]:
    means = [i for i in scored if i.combine == "weighted_mean"]
    pairs = [(j, i, p) for j, i in enumerate(means) for p in i.scored_parameters]
    weights = np.zeros((len(pairs), len(means)))
    for k, (j, _, p) in enumerate(pairs):
        weights[k, j] = p.weight
    pairs = [(i, p) for _, i, p in pairs]
    order = {i.code: k for k, i in enumerate(scored)}
    return {
        "mean_positions": np.array([order[i.code] for i in means], dtype=np.intp),
        "mean_columns": np.array([position[p.code] for _, p in pairs], dtype=np.intp),
        "mean_groups": _groups([(m.normalisation_of(i), p.higher_better) for i, p in pairs],
                               np.array([p.max_points for _, p in pairs], dtype=float)),
        "mean_weights": weights,
        "mean_fill": np.array([_fill(m.missing_of(i)) for i, _ in pairs]),
    }


def _area_plans(m: Methodology, scored: list[Indicator], position: dict[str, int]) -> tuple[AreaPlan, ...]:
    plans = []
    order = {i.code: k for k, i in enumerate(scored)}
    for area in m.areas:
        spec = m.aggregation_of(area)
        inds = area.scored_indicators
        bonus = area.bonus
        plans.append(AreaPlan(
            code=area.code,
            kernel=AGGREGATORS[spec.method],
            options=dict(spec.options),
            indicators=np.array([order[i.code] for i in inds], dtype=np.intp),
            weights=np.array([i.weight for i in inds], dtype=float),
            bonus_columns=np.array([position[p.code] for p in bonus.parameters] if bonus else [], dtype=np.intp),
            bonus_cap=bonus.cap if bonus else 0.0,
            bonus_basis=bonus.cap_basis if bonus else "maximum",
        ))
    return tuple(plans)


def _impute_groups(m: Methodology, scored: list[Indicator], position: dict[str, int]) -> tuple:
    by_rule: dict[str, list[int]] = defaultdict(list)
    for ind in scored:
        by_rule[m.missing_of(ind)].extend(position[p.code] for p in ind.scored_parameters)
    return tuple((MISSING_RULES[rule], np.array(cols, dtype=np.intp)) for rule, cols in by_rule.items())


_PLANS: dict[str, Plan] = {}
_PLANS_KEPT = 32


def plan_for(m: Methodology) -> Plan:
    """The plan of ``m``, memoised by the methodology's content hash (a plan is a pure function
    of the methodology, so equal methodologies share one; at most 32 are kept)."""
    plan = _PLANS.get(m.hash)
    if plan is None:
        plan = make_plan(m)
        if len(_PLANS) >= _PLANS_KEPT:
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[m.hash] = plan
    return plan


def make_plan(m: Methodology) -> Plan:
    """Flatten ``m`` into a Plan (pure; raises MethodologyError for unknown method names)."""
    parameters = tuple(m.parameters.values())
    position = {p.code: k for k, p in enumerate(parameters)}
    scored = [i for a in m.areas for i in a.scored_indicators]
    overall = m.rules.aggregation.overall
    bonus = [position[p.code] for a in m.areas if a.bonus for p in a.bonus.parameters]
    return Plan(
        methodology=m,
        parameters=parameters,
        parameter_index=pd.Index([p.code for p in parameters], name="parameter"),
        codes=tuple(p.code for p in parameters),
        position=position,
        kinds=np.array([KIND_CODES[p.kind] for p in parameters], dtype=np.int8),
        yes_points=np.array([p.points if p.kind == "binary" else np.nan for p in parameters]),
        answers={k: {a.strip().lower(): v for a, v in p.answers.items()} for k, p in enumerate(parameters) if p.answers},
        point_values={k: frozenset(map(float, p.answers.values())) for k, p in enumerate(parameters) if p.answers},
        transforms=tuple((position[p.code], t) for p in parameters for t in p.transforms),
        impute_groups=_impute_groups(m, scored, position),
        bonus_columns=np.array(bonus, dtype=np.intp),
        indicator_index=pd.Index([i.code for i in scored], name="indicator"),
        **_sum_part(m, scored, position),
        **_mean_part(m, scored, position),
        indicator_fill=np.array([_fill(m.missing_of(i)) for i in scored]),
        areas=_area_plans(m, scored, position),
        area_index=pd.Index([a.code for a in m.areas], name="area"),
        overall_kernel=AGGREGATORS[overall.method],
        overall_options=dict(overall.options),
        area_weights=np.array([a.weight for a in m.areas], dtype=float),
        tie_rule=TIE_RULES[m.rules.ties],
        scope_index=pd.Index(["overall", *(a.code for a in m.areas)], name="scope"),
    )
