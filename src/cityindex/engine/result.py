"""Result: what ``score()`` returns — every stage's table, scores, ranks, rank changes, the
methodology that produced them and a hash of the inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cityindex.methodology import Methodology
from cityindex.rounding import round_frame

LONG_COLUMNS = ["city", "scope", "score", "rank", "rank_change"]


def _same(a: Any, b: Any) -> bool:
    """Exact equality of two frames/series: values, dtypes, index and columns."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (pd.DataFrame, pd.Series)):
        same_axes = a.index.equals(b.index) and (not isinstance(a, pd.DataFrame) or a.columns.equals(b.columns))
        return same_axes and a.equals(b)
    return bool(a == b)


@dataclass(frozen=True, eq=False)
class Result:
    """The outcome of scoring one methodology on one data set (its score tables are read-only).

    * ``stages`` — every stage's table by name, in pipeline order: ``screened``, ``treated``,
      ``imputed`` (city × parameter), ``combined`` (point sums of ``sum`` indicators),
      ``indicators`` (0–100), ``areas_before_bonus``, ``areas``, ``overall``.
    * ``overall`` (Series by AGS), ``areas`` (AGS × area), ``indicators`` (AGS × indicator).
    * ``ranks`` and ``rank_change`` (AGS × ['overall', areas …], nullable integers);
      rank_change = previous rank − current rank, positive = moved up, missing for cities
      without a previous rank.
    * ``input_hash`` — sha256 over the methodology, the screened data, the denominators used
      and the previous ranks: equal inputs give equal hashes.
    """

    methodology: Methodology
    input_hash: str
    stages: Mapping[str, pd.DataFrame | pd.Series]
    overall: pd.Series
    areas: pd.DataFrame
    indicators: pd.DataFrame
    ranks: pd.DataFrame
    rank_change: pd.DataFrame

    # Equality -----------------------------------------------------------------------------------

    def equals(self, other: object) -> bool:
        """True when both results have the same methodology, hash and identical tables."""
        if not isinstance(other, Result):
            return False
        if self.methodology != other.methodology or self.input_hash != other.input_hash:
            return False
        if list(self.stages) != list(other.stages):
            return False
        frames = ("overall", "areas", "indicators", "ranks", "rank_change")
        return all(_same(getattr(self, f), getattr(other, f)) for f in frames) and all(
            _same(self.stages[k], other.stages[k]) for k in self.stages
        )

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    __hash__ = None  # type: ignore[assignment]

    # Views --------------------------------------------------------------------------------------

    @property
    def cities(self) -> pd.Index:
        """The scored cities (AGS, sorted)."""
        return self.overall.index

    @property
    def scopes(self) -> list[str]:
        """'overall' followed by the area codes in methodology order."""
        return list(self.ranks.columns)

    @property
    def scores(self) -> pd.DataFrame:
        """AGS × ['overall', areas …] of unrounded scores."""
        table = pd.concat([self.overall, self.areas], axis=1)
        table.columns = pd.Index(self.scopes, name="scope")
        return table

    @property
    def context(self) -> pd.DataFrame:
        """Values of context-only parameters (shown, not scored), as screened."""
        codes = [p.code for p in self.methodology.parameters.values() if p.context_only]
        return self.stages["screened"][codes]

    def rounded(self, values: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
        """Scores rounded for display (``rules.rounding`` decimals, ``rules.rounding_mode``)."""
        rules = self.methodology.rules
        return round_frame(values, rules.rounding, rules.rounding_mode)

    def to_long(self, *, rounded: bool = False) -> pd.DataFrame:
        """One row per city and scope: city, scope, score, rank, rank_change; scopes in
        methodology order ('overall' first), cities by rank then AGS."""
        scores = self.rounded(self.scores) if rounded else self.scores
        n, scopes = len(self.cities), self.scopes
        long = pd.DataFrame(
            {
                "city": np.tile(self.cities.to_numpy(), len(scopes)),
                "scope": np.repeat(scopes, n),
                "score": scores.to_numpy().T.reshape(-1),
                "rank": pd.array(self.ranks.to_numpy().T.reshape(-1), dtype="Int64"),
                "rank_change": pd.array(self.rank_change.to_numpy().T.reshape(-1), dtype="Int64"),
                "_order": np.repeat(np.arange(len(scopes)), n),
            }
        )
        long = long.sort_values(["_order", "rank", "city"], na_position="last", kind="stable")
        return long[LONG_COLUMNS].reset_index(drop=True)
