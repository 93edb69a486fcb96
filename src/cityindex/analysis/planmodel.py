"""The planner's mixed-integer model: measures → parameter levels → indicator scores → ranks.

Plain words (docs/planner.md has the long version):

1. Each measure is a yes/no variable ``x``. A parameter's final value is the best of its current
   value and the values set by the chosen measures, plus the chosen raises. Every value a
   parameter can reach is a *level*; one binary per level says which one it ends up at.
2. An indicator's score depends only on the values of its own parameters (and of per-capita
   denominators among them) for all cities. With the other cities fixed, the city's choice of
   levels fixes the indicator's column for *everyone*. So each reachable combination of levels
   (a *state*) is scored once with the engine's ``score()``: the city's own score and every other
   city's score on that indicator are exact numbers per state, the rescaling when the city becomes
   the new best or worst included. States of unrelated indicators are scored in the same call.
3. Areas and the overall score are weighted arithmetic means of indicator scores, hence linear in
   the state binaries. An innovation bonus (``min(base + bonus, 100)``) is modelled exactly for the
   city and from below (a chord of the concave function) for the other cities.
4. Target rank R: a binary per other city "may stay ahead"; every other city must score at most
   the city's score unless its binary is 1, and at most R − 1 binaries are 1. Target score S: the
   city's score ≥ S. Budget: total cost ≤ B. Objective: the cheapest set of measures.

The model is exact up to a tolerance of 1e-7 points in favour of the city (ties); every plan is
then re-scored with ``score()`` and a plan that fails is cut off and the model solved again.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from cityindex.analysis.catalogue import Measure
from cityindex.analysis.scenario import Baseline
from cityindex.errors import CityIndexError
from cityindex.methodology import PerCapita

TIE_TOLERANCE = 1e-7  # points: a city at most this far behind counts as level (verified afterwards)
BIG = 200.0  # larger than any difference of two scores in [0, 100]
MAX_LEVELS = 4096
MAX_STATES = 20000


class PlannerError(CityIndexError):
    """The planner cannot model this methodology or catalogue."""


# 1. Parameter levels ----------------------------------------------------------------------------


@dataclass
class Effects:
    """What the measures can do to one parameter of the city."""

    code: str
    current: float
    higher_better: bool
    set_levels: list[float] = field(default_factory=list)  # better than current, worst first
    set_by: list[list[int]] = field(default_factory=list)  # per set level: measures reaching at least it
    raises: list[tuple[int, float]] = field(default_factory=list)  # (measure, amount)
    levels: list[float] = field(default_factory=list)  # every reachable final value (one binary each)

    def good(self, value: float) -> float:
        return value if self.higher_better else -value


def _subset_sums(amounts: list[float], code: str) -> list[float]:
    sums = {0.0}
    for amount in amounts:
        sums |= {round(s + amount, 12) for s in sums}
        if len(sums) > MAX_LEVELS:
            raise PlannerError(f"parameter {code}: the raises of the catalogue reach more than {MAX_LEVELS} "
                               "different values; combine some measures")
    return sorted(sums)


def parameter_effects(base: Baseline, measures: list[Measure], sets: dict[str, dict[str, float]]) -> dict[str, Effects]:
    """The effects of the catalogue on each parameter it touches (in screened units)."""
    out: dict[str, Effects] = {}
    for i, m in enumerate(measures):
        for code in m.parameters:
            if code not in out:
                p = base.methodology.parameters[code]
                out[code] = Effects(code, base.value(code), p.higher_better)
            if code in m.raises:
                out[code].raises.append((i, m.raises[code]))
    for code, e in out.items():
        chosen = [(i, sets[m.id][code]) for i, m in enumerate(measures) if code in sets[m.id]]
        if math.isnan(e.current) and e.raises:
            names = ", ".join(measures[i].id for i, _ in e.raises)
            raise PlannerError(f"{base.city.name} has no value for {code} in edition {base.edition.key}, and "
                               f"{names} raise(s) it; a raise needs a known value (unknown stays unknown)")
        better = sorted({v for _, v in chosen if math.isnan(e.current) or e.good(v) > e.good(e.current)}, key=e.good)
        e.set_levels = better
        e.set_by = [[i for i, v in chosen if e.good(v) >= e.good(level)] for level in better]
        if e.raises:
            sums = _subset_sums([a for _, a in e.raises], code)
            e.levels = sorted({round(s + r, 12) for s in [e.current, *better] for r in sums})
        else:
            e.levels = [e.current, *better]
    return {code: e for code, e in out.items() if len(e.levels) > 1}


def final_values(effects: dict[str, Effects], chosen: set[int]) -> dict[str, float]:
    """The parameter values after the measures ``chosen`` (indices), by the catalogue's rules."""
    out = {}
    for code, e in effects.items():
        reached = [level for level, by in zip(e.set_levels, e.set_by) if chosen & set(by)]
        value = reached[-1] if reached else e.current
        out[code] = value + sum(a for i, a in e.raises if i in chosen)
    return out


# 2. Units, components and their states ----------------------------------------------------------


@dataclass
class Component:
    """Indicators (and bonuses) that share touched parameters; scored together per state."""

    params: list[str]
    indicators: list[str]
    bonuses: list[str]  # area codes whose bonus parameters are touched
    states: list[tuple[float, ...]]
    first_var: int = -1  # index of the first state binary (or of the single parameter's levels)


def _unit_params(base: Baseline) -> dict[tuple[str, str], set[str]]:
    m = base.methodology
    units = {}
    for area in m.areas:
        for ind in area.scored_indicators:
            params = {p.code for p in ind.scored_parameters}
            params |= {t.denominator for p in ind.scored_parameters for t in p.transforms
                       if isinstance(t, PerCapita) and t.denominator in m.parameters}
            units[("indicator", ind.code)] = params
        if area.bonus:
            units[("bonus", area.code)] = {p.code for p in area.bonus.parameters}
    return units


def components(base: Baseline, effects: dict[str, Effects]) -> list[Component]:
    """Group the touched units so that no two groups share a touched parameter."""
    groups: list[tuple[set[str], list[tuple[str, str]]]] = []
    for unit, params in _unit_params(base).items():
        touched = params & set(effects)
        if not touched:
            continue
        merged = [g for g in groups if g[0] & touched]
        for g in merged:
            groups.remove(g)
            touched |= g[0]
        groups.append((touched, [u for g in merged for u in g[1]] + [unit]))
    out = []
    for params, units in groups:
        ordered = sorted(params)
        n_states = math.prod(len(effects[p].levels) for p in ordered)
        if n_states > MAX_STATES:
            raise PlannerError(f"parameters {', '.join(ordered)} together reach {n_states} combinations "
                               f"(more than {MAX_STATES}); split the catalogue")
        states = list(itertools.product(*(effects[p].levels for p in ordered)))
        out.append(Component(ordered, [c for k, c in units if k == "indicator"],
                             [c for k, c in units if k == "bonus"], states))
    return out


@dataclass
class StateScores:
    """Per component and state: every city's indicator scores and bonus points."""

    indicators: dict[str, np.ndarray]  # indicator → states × cities
    bonus_points: dict[str, np.ndarray]  # area → states × cities
    score_calls: int


def _bonus_points(result, area) -> np.ndarray:
    codes = [p.code for p in area.bonus.parameters]
    return np.clip(result.stages["imputed"][codes].to_numpy().sum(axis=1), 0.0, None)


def score_states(base: Baseline, comps: list[Component]) -> StateScores:
    """Score every state with ``score()``; one call scores one state of every component."""
    m = base.methodology
    areas = {a.code: a for a in m.areas}
    rounds = max((len(c.states) for c in comps), default=0)
    ind = {code: np.empty((len(c.states), len(base.result.cities))) for c in comps for code in c.indicators}
    bonus = {code: np.empty((len(c.states), len(base.result.cities))) for c in comps for code in c.bonuses}
    expected_nan = np.isnan(base.result.indicators.to_numpy())
    for r in range(rounds):
        changes = {}
        for c in comps:
            if r < len(c.states):
                changes.update(zip(c.params, c.states[r]))
        result = base.rescore(changes)
        if not result.cities.equals(base.result.cities):
            raise PlannerError("a measure would remove the city's last data point; the planner keeps the cities fixed")
        if not np.array_equal(np.isnan(result.indicators.to_numpy()), expected_nan):
            raise PlannerError("the measures would change which indicator scores are known (missing-data rule "
                               f"{m.rules.missing}); the planner models a fixed set of known scores")
        for c in comps:
            if r < len(c.states):
                for code in c.indicators:
                    ind[code][r] = result.indicators[code].to_numpy()
                for code in c.bonuses:
                    bonus[code][r] = _bonus_points(result, areas[code])
    return StateScores(ind, bonus, rounds)


# 3. The linear model ----------------------------------------------------------------------------


class Rows:
    """Linear constraints lb ≤ A x ≤ ub, collected row by row."""

    def __init__(self, n_vars: int):
        self.n, self.rows, self.lb, self.ub = n_vars, [], [], []

    def add(self, coef: dict[int, float] | np.ndarray, lb: float = -np.inf, ub: float = np.inf) -> None:
        row = np.zeros(self.n)
        if isinstance(coef, dict):
            for k, v in coef.items():
                row[k] += v
        else:
            row[:] = coef
        self.rows.append(row)
        self.lb.append(lb)
        self.ub.append(ub)

    def matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.array(self.rows).reshape(-1, self.n), np.array(self.lb), np.array(self.ub)


@dataclass
class Model:
    """The city's score and every other city's score as linear expressions over the variables."""

    n_measures: int
    n_vars: int
    integrality: np.ndarray
    upper: np.ndarray
    links: Rows  # measures ⇄ levels ⇄ states, bonus caps
    own: tuple[float, np.ndarray]  # the city's overall score: constant, coefficients
    others: tuple[np.ndarray, np.ndarray]  # other ranked cities: constants, coefficient matrix
    other_cities: list[str]
    ahead_first: int  # first "may stay ahead" binary (one per other ranked city)
    blocks: list[tuple[int, int]]  # (first, count) of each component's one-hot state binaries
    continuous: list[int]  # bonus area variables, each in [0, 100]

    def bounds(self, const: float, coef: np.ndarray) -> tuple[float, float]:
        """Smallest and largest value of const + coef·x over every choice of one state per component."""
        return _bounds(self.blocks, self.continuous, const, coef)


def _bounds(blocks: list[tuple[int, int]], continuous: list[int], const: float, coef: np.ndarray) -> tuple[float, float]:
    lo = hi = const
    for first, count in blocks:
        part = coef[first:first + count]
        lo, hi = lo + part.min(), hi + part.max()
    for k in continuous:  # bonus area variables in [0, 100]
        lo, hi = lo + min(0.0, 100.0 * coef[k]), hi + max(0.0, 100.0 * coef[k])
    return lo, hi


class _Builder:
    def __init__(self, base: Baseline, measures: list[Measure], effects: dict[str, Effects], comps: list[Component],
                 scores: StateScores):
        self.base, self.measures, self.effects, self.comps, self.scores = base, measures, effects, comps, scores
        self.m = base.methodology
        self.cities = list(base.result.cities)
        self.me = self.cities.index(base.ags)
        self.kinds: list[int] = []  # 1 = binary, 0 = continuous
        self.uppers: list[float] = []

    def new(self, count: int, *, binary: bool = True, upper: float = 1.0) -> int:
        first = len(self.kinds)
        self.kinds += [int(binary)] * count
        self.uppers += [upper] * count
        return first

    # variables -------------------------------------------------------------------------------

    def allocate(self) -> None:
        self.new(len(self.measures))
        self.g_first = {code: self.new(len(e.set_levels)) for code, e in self.effects.items() if e.set_levels}
        self.z_first = {code: self.new(len(e.levels)) for code, e in self.effects.items()}
        for c in self.comps:
            c.first_var = self.z_first[c.params[0]] if len(c.params) == 1 else self.new(len(c.states))
        self.bonus_areas = [a for a in self.m.areas if a.bonus]
        self.f_first = self.new(len(self.bonus_areas), binary=False, upper=100.0)
        ranked = self.base.result.ranks["overall"].notna().to_numpy()
        self.other_idx = [k for k in range(len(self.cities)) if k != self.me and ranked[k]]
        self.ahead_first = self.new(len(self.other_idx))

    # links -----------------------------------------------------------------------------------

    def link_levels(self, rows: Rows) -> None:
        for code, e in self.effects.items():
            z = self.z_first[code]
            for l, by in enumerate(e.set_by):  # G_l = 1 exactly when a chosen measure sets at least level l
                g = self.g_first[code] + l
                for i in by:
                    rows.add({g: 1.0, i: -1.0}, lb=0.0)
                rows.add({g: 1.0, **{i: -1.0 for i in by}}, ub=0.0)
            if not e.raises:  # one level binary per set level: z_0 = 1 − G_1, z_l = G_l − G_(l+1)
                for l in range(len(e.levels)):
                    coef = {z + l: 1.0}
                    if l < len(e.set_levels):
                        coef[self.g_first[code] + l] = coef.get(self.g_first[code] + l, 0.0) + 1.0
                    if l > 0:
                        coef[self.g_first[code] + l - 1] = coef.get(self.g_first[code] + l - 1, 0.0) - 1.0
                    rows.add(coef, lb=1.0 if l == 0 else 0.0, ub=1.0 if l == 0 else 0.0)
                continue
            self._link_value(rows, code, e, z)

    def _link_value(self, rows: Rows, code: str, e: Effects, z: int) -> None:
        """Σ level·z = current + Σ set steps·G + Σ raises·x, with Σ z = 1 (levels are distinct)."""
        levels = np.array(e.levels)
        gaps = np.diff(levels)
        scale = max(1.0, float(np.abs(levels).max()))
        if gaps.size and gaps.min() < 1e-6 * scale:
            raise PlannerError(f"parameter {code}: two reachable values differ by less than {1e-6 * scale:g}; "
                               "round the raises of the catalogue")
        rows.add({z + k: 1.0 for k in range(len(levels))}, lb=1.0, ub=1.0)
        coef = {z + k: v / scale for k, v in enumerate(levels)}
        previous = e.current
        for l, level in enumerate(e.set_levels):
            coef[self.g_first[code] + l] = -(level - previous) / scale
            previous = level
        for i, amount in e.raises:
            coef[i] = coef.get(i, 0.0) - amount / scale
        rows.add(coef, lb=e.current / scale, ub=e.current / scale)

    def link_states(self, rows: Rows) -> None:
        for c in self.comps:
            if len(c.params) == 1:
                continue
            for p_pos, code in enumerate(c.params):
                for k, level in enumerate(self.effects[code].levels):
                    coef = {c.first_var + t: 1.0 for t, state in enumerate(c.states) if _same(state[p_pos], level)}
                    coef[self.z_first[code] + k] = -1.0
                    rows.add(coef, lb=0.0, ub=0.0)

    # scores ----------------------------------------------------------------------------------

    def area_base(self, area) -> tuple[np.ndarray, np.ndarray]:
        """Every city's area score before the bonus: constants (cities) and coefficients (cities × vars)."""
        n = len(self.cities)
        inds = [i for i in area.scored_indicators]
        known = ~np.isnan(self.base.result.indicators[[i.code for i in inds]].to_numpy())
        w = np.array([i.weight for i in inds]) * known
        with np.errstate(all="ignore"):
            share = np.where(w.sum(axis=1, keepdims=True) > 0, w / w.sum(axis=1, keepdims=True), 0.0)
        const, coef = np.zeros(n), np.zeros((n, len(self.kinds)))
        touched = {code: c for c in self.comps for code in c.indicators}
        for k, ind in enumerate(inds):
            if ind.code in touched:
                c = touched[ind.code]
                states = np.nan_to_num(self.scores.indicators[ind.code])  # states × cities
                coef[:, c.first_var:c.first_var + len(c.states)] += (states * share[:, k]).T
            else:
                const += np.nan_to_num(self.base.result.indicators[ind.code].to_numpy()) * share[:, k]
        return const, coef

    def bonus_points(self, area) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.cities)
        const, coef = np.zeros(n), np.zeros((n, len(self.kinds)))
        comp = next((c for c in self.comps if area.code in c.bonuses), None)
        if comp is None:
            const += _bonus_points(self.base.result, area)
        else:
            coef[:, comp.first_var:comp.first_var + len(comp.states)] = self.scores.bonus_points[area.code].T
        return const, coef

    def overall(self, rows: Rows) -> tuple[tuple[float, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        n, nv = len(self.cities), len(self.kinds)
        known = ~np.isnan(self.base.result.areas.to_numpy())
        a = np.array([area.weight for area in self.m.areas]) * known
        with np.errstate(all="ignore"):
            share = np.where(a.sum(axis=1, keepdims=True) > 0, a / a.sum(axis=1, keepdims=True), 0.0)
        const, coef = np.zeros(n), np.zeros((n, nv))
        own_const, own_coef = 0.0, np.zeros(nv)
        for k, area in enumerate(self.m.areas):
            b_const, b_coef = self.area_base(area)
            if area.bonus is None:
                const += share[:, k] * b_const
                coef += share[:, k, None] * b_coef
                own_const, own_coef = own_const + share[self.me, k] * b_const[self.me], own_coef + share[self.me, k] * b_coef[self.me]
                continue
            p_const, p_coef = self.bonus_points(area)
            f = self.f_first + self.bonus_areas.index(area)
            self._own_bonus(rows, area, f, b_const[self.me], b_coef[self.me], p_const[self.me], p_coef[self.me])
            own_coef = own_coef.copy()
            own_coef[f] += share[self.me, k]
            points = _bonus_points(self.base.result, area)  # the other cities' own data: fixed
            for c in range(n):
                if c == self.me:
                    continue
                lo, hi = _bounds([(x.first_var, len(x.states)) for x in self.comps], [], b_const[c], b_coef[c])
                value = lambda u: min(u + min(points[c], area.bonus.cap * (100.0 if area.bonus.cap_basis == "maximum" else u)), 100.0)  # noqa: E731
                slope = 0.0 if hi - lo < 1e-12 else (value(hi) - value(lo)) / (hi - lo)
                const[c] += share[c, k] * (value(lo) + slope * (b_const[c] - lo))
                coef[c] += share[c, k] * slope * b_coef[c]
        others = self.other_idx
        return (own_const, own_coef), (const[others], coef[others])

    def _own_bonus(self, rows: Rows, area, f: int, b_const, b_coef, p_const, p_coef) -> None:
        """F ≤ base + points, F ≤ base + cap·(100 or base); F ≤ 100 is its bound."""
        rows.add(_with(-b_coef - p_coef, f, 1.0), ub=b_const + p_const)
        cap = area.bonus.cap
        if area.bonus.cap_basis == "maximum":
            rows.add(_with(-b_coef, f, 1.0), ub=b_const + cap * 100.0)
        else:
            rows.add(_with(-(1.0 + cap) * b_coef, f, 1.0), ub=(1.0 + cap) * b_const)


def _with(coef: np.ndarray, index: int, value: float) -> np.ndarray:
    out = coef.copy()
    out[index] += value
    return out


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def check_methodology(base: Baseline) -> None:
    m = base.methodology
    methods = {m.aggregation_of(a).method for a in m.areas} | {m.rules.aggregation.overall.method}
    if methods != {"arithmetic"}:
        raise PlannerError(f"the planner models arithmetic means of indicators and areas; methodology {m.key} "
                           f"uses {', '.join(sorted(methods - {'arithmetic'}))}")


def build_model(base: Baseline, measures: list[Measure], effects: dict[str, Effects], comps: list[Component],
                scores: StateScores) -> Model:
    b = _Builder(base, measures, effects, comps, scores)
    b.allocate()
    rows = Rows(len(b.kinds))
    b.link_levels(rows)
    b.link_states(rows)
    own, others = b.overall(rows)
    return Model(n_measures=len(measures), n_vars=len(b.kinds), integrality=np.array(b.kinds),
                 upper=np.array(b.uppers), links=rows, own=own, others=others,
                 other_cities=[b.cities[k] for k in b.other_idx], ahead_first=b.ahead_first,
                 blocks=[(c.first_var, len(c.states)) for c in comps],
                 continuous=list(range(b.f_first, b.f_first + len(b.bonus_areas))))
