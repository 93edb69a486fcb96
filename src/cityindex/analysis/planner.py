"""The cheapest set of measures that brings a city to a target rank or score.

    base = baseline("open-2026", "Oberhausen")
    result = plan(base, load_catalogue(path), target_rank=10, budget=200_000)
    result.status            # already_met | planned | out_of_reach
    result.measures, result.cost, result.after.rank

The model (planmodel.py) is a mixed-integer programme solved with ``scipy.optimize.milp``. Every
plan it returns is checked by re-scoring the changed data with ``score()``; a plan that misses
the target there is excluded and the model solved again. When the target cannot be reached (in
the budget), the answer says what can: the best rank or the highest score, and its plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import LinearConstraint, milp

from cityindex.analysis import planmodel as pm
from cityindex.analysis.catalogue import CURRENCIES, Catalogue, Measure, check_catalogue
from cityindex.analysis.scenario import Baseline
from cityindex.analysis.whatif import WhatIf, compare
from cityindex.analysis.planmodel import PlannerError

MAX_CUTS = 25
SCORE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Target:
    kind: str  # "rank" or "score"
    value: float

    def met(self, rank: int | None, score: float) -> bool:
        if self.kind == "rank":
            return rank is not None and rank <= self.value
        return score >= self.value - SCORE_TOLERANCE


@dataclass(frozen=True)
class Standing:
    rank: int | None
    score: float


@dataclass(frozen=True, eq=False)
class PlanResult:
    """A plan (or the finding that none is needed or possible)."""

    status: str  # already_met, planned, out_of_reach
    target: Target
    budget: float | None
    currency: str
    measures: list[Measure]
    before: Standing
    after: Standing
    whatif: WhatIf | None
    exact: bool = True
    best: "PlanResult | None" = None  # out of reach: the plan for the best reachable rank or score
    without_budget: "PlanResult | None" = None  # out of reach in the budget: the cheapest plan without it
    notes: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def cost(self, currency: str | None = None) -> float | None:
        """Total cost in a currency (None when a chosen measure has no cost in it)."""
        values = [m.cost(currency or self.currency) for m in self.measures]
        return None if any(v is None for v in values) else float(sum(values))

    def to_dict(self) -> dict:
        return {
            "status": self.status, "target": dict(self.target.__dict__), "budget": self.budget,
            "currency": self.currency, "measures": [m.to_dict() for m in self.measures],
            "cost": {c: self.cost(c) for c in CURRENCIES}, "before": dict(self.before.__dict__),
            "after": dict(self.after.__dict__), "whatif": self.whatif.to_dict() if self.whatif else None,
            "exact": self.exact, "best": self.best.to_dict() if self.best else None,
            "without_budget": self.without_budget.to_dict() if self.without_budget else None,
            "notes": self.notes, "stats": self.stats,
        }


# Input checks -----------------------------------------------------------------------------------


def _target(base: Baseline, target_rank: int | None, target_score: float | None) -> Target:
    if (target_rank is None) == (target_score is None):
        raise PlannerError("give exactly one target: --target-rank R or --target-score S")
    if target_rank is not None:
        if target_rank < 1:
            raise PlannerError(f"--target-rank: {target_rank} is better than rank 1; give a rank from 1 to {base.n_ranked}")
        if target_rank > base.n_ranked:
            raise PlannerError(f"--target-rank: {target_rank} is worse than the last rank {base.n_ranked} of "
                               f"edition {base.edition.key}; give a rank from 1 to {base.n_ranked}")
        return Target("rank", int(target_rank))
    if not 0 <= target_score <= 100:
        raise PlannerError(f"--target-score: {target_score:g} is outside the score range 0–100")
    return Target("score", float(target_score))


def _check_costs(catalogue: Catalogue, currency: str, budget: float | None) -> None:
    if currency not in CURRENCIES:
        raise PlannerError(f"--cost: unknown cost unit {currency!r}; use {' or '.join(CURRENCIES)}")
    if budget is not None and budget < 0:
        raise PlannerError(f"--budget: {budget:g} is negative")
    lacking = [m.id for m in catalogue.measures if m.cost(currency) is None]
    if lacking:
        raise PlannerError(f"measure(s) {', '.join(lacking[:5])} of {catalogue.source} have no cost in {currency}; "
                           f"add cost.{currency} or plan with the other cost unit")


# Solving ----------------------------------------------------------------------------------------


@dataclass
class _Problem:
    base: Baseline
    catalogue: Catalogue
    measures: list[Measure]
    sets: dict[str, dict[str, float]]
    effects: dict[str, pm.Effects]
    model: pm.Model
    currency: str
    score_calls: int
    solves: int = 0
    last_rows: int = 0

    @property
    def costs(self) -> np.ndarray:
        return np.array([m.cost(self.currency) for m in self.measures], dtype=float)

    def structure(self, rows: pm.Rows, budget: float | None) -> None:
        index = {m.id: i for i, m in enumerate(self.measures)}
        for i, m in enumerate(self.measures):
            for other in m.requires:
                rows.add({i: 1.0, index[other]: -1.0}, ub=0.0)
            for other in m.excludes:
                rows.add({i: 1.0, index[other]: 1.0}, ub=1.0)
        if budget is not None:
            rows.add(dict(enumerate(self.costs)), ub=budget + 1e-9 * max(1.0, budget))

    def rows(self, budget: float | None, cuts: list[set[int]]) -> pm.Rows:
        rows = pm.Rows(self.model.n_vars)
        rows.rows, rows.lb, rows.ub = list(self.model.links.rows), list(self.model.links.lb), list(self.model.links.ub)
        self.structure(rows, budget)
        for chosen in cuts:  # no-good cut: not exactly this set of measures again
            rows.add({i: (1.0 if i in chosen else -1.0) for i in range(self.model.n_measures)}, ub=len(chosen) - 1)
        return rows

    def rank_rows(self, rows: pm.Rows, max_ahead: int | None) -> np.ndarray:
        """For every other ranked city: s − o_c + M·ahead_c ≥ −tolerance, with M as small as the score
        ranges allow. A city that can never get ahead has its binary fixed to 0, one that always
        stays ahead to 1. Returns the objective "number of cities ahead"."""
        const, coef = self.model.own
        o_const, o_coef = self.model.others
        first = self.model.ahead_first
        ahead = np.zeros(self.model.n_vars)
        for k in range(len(o_const)):
            row, row_const = coef - o_coef[k], const - o_const[k]
            lo, hi = self.model.bounds(row_const, row)
            ahead[first + k] = 1.0
            if lo >= -pm.TIE_TOLERANCE:  # never ahead of the city
                rows.add({first + k: 1.0}, ub=0.0)
            elif hi < -pm.TIE_TOLERANCE:  # always ahead
                rows.add({first + k: 1.0}, lb=1.0)
            else:
                row[first + k] += -lo
                rows.add(row, lb=-row_const - pm.TIE_TOLERANCE)
        if max_ahead is not None:
            rows.add(ahead, ub=max_ahead)
            # valid cut: the city must reach the (max_ahead + 1)-th highest lowest possible score of the others
            lows = sorted((self.model.bounds(o_const[k], o_coef[k])[0] for k in range(len(o_const))), reverse=True)
            if max_ahead < len(lows):
                rows.add(coef, lb=lows[max_ahead] - const - pm.TIE_TOLERANCE)
        return ahead

    def solve(self, objective: np.ndarray, rows: pm.Rows) -> np.ndarray | None:
        self.solves += 1
        a, lb, ub = rows.matrix()
        self.last_rows = len(a)
        constraints = [LinearConstraint(a, lb, ub)] if len(a) else []
        res = milp(objective, integrality=self.model.integrality, constraints=constraints,
                   bounds=(np.zeros(self.model.n_vars), self.model.upper),
                   options={"mip_rel_gap": 0.0, "time_limit": 60.0})
        if res.status == 2:  # infeasible
            return None
        if res.status != 0 or res.x is None:  # time limit or numerical trouble: no proven cheapest plan
            raise PlannerError(f"the solver stopped without a proven cheapest plan ({res.message}); "
                               "give a budget or split the catalogue")
        return res.x

    def chosen(self, x: np.ndarray) -> set[int]:
        return {i for i in range(self.model.n_measures) if x[i] > 0.5}

    def outcome(self, chosen: set[int]) -> WhatIf:
        """Re-score with ``score()``: the city's values after the chosen measures."""
        values = pm.final_values(self.effects, chosen)
        changes = {code: v for code, v in values.items() if not pm._same(v, self.base.value(code))}
        return compare(self.base, changes, self.base.rescore(changes))

    def cost_objective(self) -> np.ndarray:
        objective = np.zeros(self.model.n_vars)
        objective[:len(self.measures)] = self.costs
        positive = self.costs[self.costs > 0]
        if positive.size < len(self.costs):  # a measure costs nothing: take it only when it helps
            objective[:len(self.measures)] += 1e-6 * (positive.min() if positive.size else 1.0) / (len(self.measures) + 1)
        return objective


def _standing(w: WhatIf | None, base: Baseline) -> Standing:
    if w is None:
        return Standing(base.rank, base.overall)
    return Standing(w.overall.rank_after, w.overall.score_after)


def _cheapest(prob: _Problem, target: Target, budget: float | None) -> tuple[set[int], WhatIf] | None:
    """The cheapest verified set of measures reaching ``target`` within ``budget``, or None."""
    cuts: list[set[int]] = []
    for _ in range(MAX_CUTS):
        rows = prob.rows(budget, cuts)
        if target.kind == "rank":
            prob.rank_rows(rows, int(target.value) - 1)
        else:
            const, coef = prob.model.own
            rows.add(coef, lb=target.value - const - SCORE_TOLERANCE)
        x = prob.solve(prob.cost_objective(), rows)
        if x is None:
            return None
        chosen = prob.chosen(x)
        w = prob.outcome(chosen)
        if target.met(w.overall.rank_after, w.overall.score_after):
            return chosen, w
        cuts.append(chosen)
    raise PlannerError(f"no plan passed the check by score() after {MAX_CUTS} attempts; please report this case")


def _best_reachable(prob: _Problem, target: Target, budget: float | None) -> tuple[Target, set[int], WhatIf]:
    """The best rank (or highest score) reachable within the budget, and its cheapest plan."""
    rows = prob.rows(budget, [])
    if target.kind == "score":
        const, coef = prob.model.own
        x = prob.solve(-coef, rows)
        best = prob.outcome(prob.chosen(x)).overall.score_after
        reach = Target("score", best)
    else:
        ahead = prob.rank_rows(rows, None)
        x = prob.solve(ahead, rows)
        reach = Target("rank", int(round(float(ahead @ x))) + 1)
    while True:
        found = _cheapest(prob, reach, budget)
        if found is not None:
            return reach, *found
        if reach.kind == "score":
            raise PlannerError("the highest reachable score could not be confirmed by score(); please report this case")
        reach = Target("rank", reach.value + 1)


def _prepare(base: Baseline, catalogue: Catalogue, currency: str) -> _Problem:
    pm.check_methodology(base)
    sets = check_catalogue(catalogue, base.methodology)
    measures = list(catalogue.measures)
    effects = pm.parameter_effects(base, measures, sets)
    comps = pm.components(base, effects)
    scores = pm.score_states(base, comps)
    model = pm.build_model(base, measures, effects, comps, scores)
    return _Problem(base, catalogue, measures, sets, effects, model, currency, scores.score_calls)


def _notes(base: Baseline, catalogue: Catalogue) -> tuple[bool, list[str]]:
    notes = []
    if catalogue.example:
        notes.append("example_catalogue")
    if catalogue.methodology != base.methodology.key:
        notes.append("other_methodology")
    exact = base.methodology.rules.ties == "competition"
    if not exact:
        notes.append("dense_ties")
    return exact, notes


def plan(base: Baseline, catalogue: Catalogue, *, target_rank: int | None = None, target_score: float | None = None,
         budget: float | None = None, currency: str = "euros") -> PlanResult:
    """The cheapest measures of ``catalogue`` that bring the city to the target (see module text)."""
    started = time.perf_counter()
    target = _target(base, target_rank, target_score)
    _check_costs(catalogue, currency, budget)
    exact, notes = _notes(base, catalogue)
    common = dict(target=target, budget=budget, currency=currency, before=Standing(base.rank, base.overall),
                  exact=exact, notes=notes)
    if target.met(base.rank, base.overall):
        return PlanResult(status="already_met", measures=[], after=Standing(base.rank, base.overall), whatif=None,
                          stats={"seconds": time.perf_counter() - started}, **common)
    prob = _prepare(base, catalogue, currency)
    found = _cheapest(prob, target, budget)
    stats = lambda: {"measures": len(prob.measures), "variables": prob.model.n_vars,  # noqa: E731
                     "constraints": prob.last_rows, "score_calls": prob.score_calls,
                     "solves": prob.solves, "seconds": time.perf_counter() - started}
    if found is not None:
        chosen, w = found
        return PlanResult(status="planned", measures=[prob.measures[i] for i in sorted(chosen)],
                          after=_standing(w, base), whatif=w, stats=stats(), **common)
    reach, chosen, w = _best_reachable(prob, target, budget)
    best = PlanResult(status="planned", measures=[prob.measures[i] for i in sorted(chosen)],
                      after=_standing(w, base), whatif=w, **{**common, "target": reach})
    unlimited = None
    if budget is not None:
        found = _cheapest(prob, target, None)
        if found is not None:
            unlimited = PlanResult(status="planned", measures=[prob.measures[i] for i in sorted(found[0])],
                                   after=_standing(found[1], base), whatif=found[1], **{**common, "budget": None})
    return PlanResult(status="out_of_reach", measures=[], after=Standing(base.rank, base.overall), whatif=None,
                      best=best, without_budget=unlimited, stats=stats(), **common)
