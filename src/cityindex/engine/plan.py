"""A methodology flattened into the arrays the stages work with (computed once per score() call).

The plan is derived data only: parameter order, kinds, directions, which parameters belong to
which indicator, weights and method groups. It holds no city data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cityindex.methodology import Area, Indicator, Methodology, Parameter


@dataclass(frozen=True)
class Plan:
    methodology: Methodology
    parameters: tuple[Parameter, ...]  # every parameter: indicator ones, then bonus ones
    codes: tuple[str, ...]
    index: dict[str, int]  # parameter code -> column
    scored: tuple[Indicator, ...]  # scored indicators, methodology order
    areas: tuple[Area, ...]
    bonus_codes: frozenset[str]

    @property
    def scored_parameter_codes(self) -> list[str]:
        return [p.code for i in self.scored for p in i.scored_parameters]

    @property
    def context_codes(self) -> list[str]:
        return [p.code for p in self.parameters if p.context_only]

    def membership(self, indicators: list[Indicator], values: dict[str, float] | None = None) -> np.ndarray:
        """Matrix scored-parameter column × indicator: 1 (or ``values[code]``) where the
        parameter belongs to the indicator; rows follow ``parameter_columns(indicators)``."""
        columns = self.parameter_columns(indicators)
        matrix = np.zeros((len(columns), len(indicators)))
        row = {code: r for r, code in enumerate(columns)}
        for j, ind in enumerate(indicators):
            for p in ind.scored_parameters:
                matrix[row[p.code], j] = 1.0 if values is None else values[p.code]
        return matrix

    @staticmethod
    def parameter_columns(indicators: list[Indicator]) -> list[str]:
        return [p.code for i in indicators for p in i.scored_parameters]


def make_plan(methodology: Methodology) -> Plan:
    parameters = tuple(methodology.parameters.values())
    codes = tuple(p.code for p in parameters)
    scored = tuple(i for a in methodology.areas for i in a.scored_indicators)
    bonus = frozenset(p.code for a in methodology.areas if a.bonus for p in a.bonus.parameters)
    return Plan(methodology, parameters, codes, {c: k for k, c in enumerate(codes)}, scored, methodology.areas, bonus)
