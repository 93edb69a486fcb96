"""What varies, as numbers: each assumption becomes columns of a unit sample, every run a row.

A run is one row ``u`` of uniform numbers in [0, 1), one column per uncertain weight and one per
uncertain method or rule. From it follow the run's parameters (:class:`Draws`):

* a weight column gives the multiplier 1 − share + 2 · share · u; the weights of a group (the
  areas; the indicators of one area) are then renormalised to their nominal sum;
* a choice column picks alternative ⌊u · K⌋ of its K alternatives (each equally likely).

Columns exist only for weights that can matter (weight > 0, at least two such in the group).
:meth:`Space.variant` turns one run's parameters into the ``Methodology`` that ``score()``
reproduces exactly. The same mapping serves the Monte Carlo sample and SALib's Sobol sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from cityindex.methodology import Methodology, MethodSpec
from cityindex.methodology.models import Assumption
from cityindex.methodology.uncertainty import WEIGHT_ADDRESSES

CHOICE_RULES = {"rules.normalisation": "normalisation", "rules.missing": "missing"}


@dataclass(frozen=True)
class Factor:
    """One assumption's columns in the unit sample."""

    address: str
    columns: tuple[int, ...]  # positions in the unit sample
    labels: tuple[str, ...]  # what each column varies (an area or indicator code, or the address)
    targets: tuple[int, ...] = ()  # weights: positions among the areas / scored indicators
    share: float = 0.0
    alternatives: tuple = ()  # choices: MethodSpec (or bool for the bonus)


@dataclass(frozen=True, eq=False)
class Draws:
    """The parameters of R runs, row by row: the unit sample and what follows from it."""

    unit: np.ndarray  # R × columns, uniform in [0, 1)
    indicator_weights: np.ndarray  # R × scored indicators
    area_weights: np.ndarray  # R × areas
    choices: np.ndarray  # R × choice factors: index of the chosen alternative

    def __len__(self) -> int:
        return len(self.unit)

    def take(self, runs: np.ndarray) -> "Draws":
        """The draws of some runs only."""
        return Draws(self.unit[runs], self.indicator_weights[runs], self.area_weights[runs], self.choices[runs])


@dataclass(frozen=True, eq=False)
class Space:
    """The assumptions of one methodology laid out as unit-sample columns."""

    methodology: Methodology
    factors: tuple[Factor, ...]
    indicator_codes: tuple[str, ...]  # scored indicators, in plan order
    indicator_area: np.ndarray  # per scored indicator: position of its area
    nominal_indicator_weights: np.ndarray
    nominal_area_weights: np.ndarray
    width: int = field(default=0)

    @classmethod
    def of(cls, m: Methodology, assumptions: tuple[Assumption, ...]) -> "Space":
        scored = [(k, i) for k, a in enumerate(m.areas) for i in a.scored_indicators]
        factors, width = [], 0
        for a in assumptions:
            factor = _factor(m, a, scored, width)
            if factor.columns:
                factors.append(factor)
                width += len(factor.columns)
        return cls(m, tuple(factors), tuple(i.code for _, i in scored),
                   np.array([k for k, _ in scored], dtype=np.intp), np.array([i.weight for _, i in scored], dtype=float),
                   np.array([a.weight for a in m.areas], dtype=float), width)

    @cached_property
    def choice_factors(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.address not in WEIGHT_ADDRESSES)

    @cached_property
    def slices(self) -> list[int]:
        """For PAWN: 10 slices per weight column, one per alternative of a choice column."""
        return [len(f.alternatives) or 10 for f in self.factors for _ in f.columns]

    @cached_property
    def labels(self) -> tuple[tuple[str, str], ...]:
        """(address, label) of every column, in column order."""
        return tuple((f.address, label) for f in self.factors for label in f.labels)

    # Unit sample → parameters ------------------------------------------------------------------

    def draws(self, unit: np.ndarray) -> Draws:
        """The parameters of every row of ``unit`` (R × width)."""
        unit = np.asarray(unit, dtype=float).reshape(-1, self.width)
        runs = len(unit)
        indicators = np.tile(self.nominal_indicator_weights, (runs, 1))
        areas = np.tile(self.nominal_area_weights, (runs, 1))
        choices = np.zeros((runs, len(self.choice_factors)), dtype=np.int64)
        for factor in self.factors:
            block = unit[:, list(factor.columns)]
            if factor.address == "weights.areas":
                areas[:, list(factor.targets)] *= _multipliers(block, factor.share)
                areas = _renormalised(areas, self.nominal_area_weights, np.zeros(len(areas[0]), dtype=np.intp))
            elif factor.address == "weights.indicators":
                indicators[:, list(factor.targets)] *= _multipliers(block, factor.share)
                indicators = _renormalised(indicators, self.nominal_indicator_weights, self.indicator_area)
            else:
                k = self.choice_factors.index(factor)
                choices[:, k] = np.minimum((block[:, 0] * len(factor.alternatives)).astype(np.int64),
                                           len(factor.alternatives) - 1)
        return Draws(unit, indicators, areas, choices)

    # Parameters → methodology ------------------------------------------------------------------

    def chosen(self, choices: np.ndarray) -> dict[str, MethodSpec | bool]:
        """The alternative each choice factor takes in one run (by address)."""
        return {f.address: f.alternatives[int(c)] for f, c in zip(self.choice_factors, choices)}

    def variant(self, draws: Draws, run: int) -> Methodology:
        """The methodology of one run: ``score(space.variant(d, r), data)`` gives its scores."""
        return self.methodology_for(draws.indicator_weights[run], draws.area_weights[run], draws.choices[run])

    def methodology_for(self, indicator_weights: np.ndarray, area_weights: np.ndarray,
                        choices: np.ndarray) -> Methodology:
        m = self.methodology
        chosen = self.chosen(choices)
        weight_of = dict(zip(self.indicator_codes, map(float, indicator_weights)))
        areas = tuple(
            area.model_copy(update={
                "weight": float(area_weights[k]),
                "indicators": tuple(i.model_copy(update={"weight": weight_of[i.code]}) if i.code in weight_of else i
                                    for i in area.indicators),
                "bonus": area.bonus.model_copy(update={"cap": 0.0}) if area.bonus and chosen.get("bonus") is False
                else area.bonus,
            })
            for k, area in enumerate(m.areas))
        return m.model_copy(update={"areas": areas, "rules": _rules(m, chosen)})


def _rules(m: Methodology, chosen: dict):
    rules = m.rules
    aggregation = rules.aggregation.model_copy(update={
        part: chosen[f"rules.aggregation.{part}"] for part in ("areas", "overall") if f"rules.aggregation.{part}" in chosen})
    update = {"aggregation": aggregation}
    if "rules.normalisation" in chosen:
        update["normalisation"] = chosen["rules.normalisation"]
    if "rules.missing" in chosen:
        update["missing"] = chosen["rules.missing"].method
    return rules.model_copy(update=update)


def _factor(m: Methodology, a: Assumption, scored: list, start: int) -> Factor:
    if a.address == "weights.areas":
        targets = [k for k, area in enumerate(m.areas) if area.weight > 0]
        targets = targets if len(targets) >= 2 else []
        labels = [m.areas[k].code for k in targets]
    elif a.address == "weights.indicators":
        counts = np.bincount([k for k, i in scored if i.weight > 0], minlength=len(m.areas))
        targets = [j for j, (k, i) in enumerate(scored) if i.weight > 0 and counts[k] >= 2]
        labels = [scored[j][1].code for j in targets]
    else:
        return Factor(a.address, (start,), (a.address,), alternatives=tuple(a.alternatives or ()))
    columns = tuple(range(start, start + len(targets)))
    return Factor(a.address, columns, tuple(labels), tuple(targets), share=float(a.share or 0.0))


def _multipliers(block: np.ndarray, share: float) -> np.ndarray:
    return 1.0 - share + 2.0 * share * block


def _renormalised(weights: np.ndarray, nominal: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Scale each group's weights (columns with the same ``group`` id) back to its nominal sum."""
    groups = int(group.max()) + 1 if len(group) else 0
    member = np.zeros((len(group), groups))
    member[np.arange(len(group)), group] = 1.0
    drawn = weights @ member
    target = nominal @ member
    with np.errstate(all="ignore"):
        factor = np.where(drawn > 0, target / np.where(drawn > 0, drawn, 1.0), 1.0)
    return weights * (factor @ member.T)
