"""UncertaintyResult: rank intervals, "gleichauf" groups and sensitivity of one edition.

Intervals are read from the rank counts of all runs: the q-quantile of a city's rank is the
smallest rank r with at least q of the runs at r or better (5 %, 50 % and 95 %). Above about
1,100 cities, ranks are counted in bins of ``bin_width`` ranks (the lower bound is then the bin's
first rank, the upper bound its last: the interval never gets narrower than the runs say).

"Gleichauf" (statistically tied): walking down the edition's own ranking, a city joins the group
of the city that opened the group while its interval overlaps that city's interval; groups of
one are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from functools import cached_property

import numpy as np
import pandas as pd

from cityindex.analysis.uncertainty.runs import Prepared, Tally
from cityindex.analysis.uncertainty.space import Draws, Space
from cityindex.methodology import Methodology
from cityindex.methodology.models import Assumption

QUANTILES = {"low": (5, 100), "median": (1, 2), "high": (95, 100)}
SUMMARY_COLUMNS = ["city", "scope", "rank", "median", "low", "high", "p_top10", "p_top_quarter", "mean_shift"]


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """The outcome of ``run_uncertainty``.

    * ``summary`` — one row per city and scope: nominal ``rank``, ``median`` rank, 5–95 % interval
      ``low``–``high``, probabilities of a top-10 rank and of the top quarter, mean absolute shift
      from the nominal rank; ``groups`` — city, scope, group number of the "gleichauf" groups.
    * ``output`` — every run's mean absolute rank shift of the overall ranking.
    * ``draws`` — every run's parameters (unit sample, weights, method choices); ``variant(r)``
      is run r's methodology, which ``score()`` reproduces exactly.
    * ``pawn`` / ``sobol`` — sensitivity indices (``sobol`` is None unless requested).
    """

    methodology: Methodology
    input_hash: str
    runs: int
    seed: int
    assumptions: tuple[Assumption, ...]
    space: Space
    unit: np.ndarray
    output: np.ndarray
    summary: pd.DataFrame
    groups: pd.DataFrame
    pawn: pd.DataFrame
    sobol: pd.DataFrame | None
    bin_width: int

    @cached_property
    def draws(self) -> Draws:
        return self.space.draws(self.unit)

    def variant(self, run: int) -> Methodology:
        """The methodology of run ``run`` (0-based)."""
        return self.space.variant(self.draws, run)

    @cached_property
    def mean_shift(self) -> float:
        """Mean absolute rank shift over all runs and cities (overall ranking)."""
        return float(np.nanmean(self.output)) if np.isfinite(self.output).any() else float("nan")

    def interval(self, ags: str, scope: str = "overall") -> dict | None:
        """One city's row of ``summary`` as a dict (None when the city is not scored)."""
        row = self._summary_rows.get((scope, str(ags)))
        return None if row is None else dict(row)

    def group_of(self, ags: str, scope: str = "overall") -> list[str]:
        """The cities "gleichauf" with ``ags`` (itself included), or [] when it stands alone."""
        group = self._group_of_city.get((scope, str(ags)))
        return [] if group is None else list(self._group_members[(scope, group)])

    @cached_property
    def _summary_rows(self) -> dict[tuple[str, str], dict]:
        """(scope, city) → the city's cleaned summary row (its first), built once."""
        out: dict[tuple[str, str], dict] = {}
        for row in self.summary.to_dict("records"):
            out.setdefault((row["scope"], str(row["city"])), _clean(row))
        return out

    @cached_property
    def _group_of_city(self) -> dict[tuple[str, str], Any]:
        out: dict[tuple[str, str], Any] = {}
        for scope, city, group in self.groups[["scope", "city", "group"]].itertuples(index=False):
            out.setdefault((scope, str(city)), group)
        return out

    @cached_property
    def _group_members(self) -> dict[tuple[str, Any], list[str]]:
        out: dict[tuple[str, Any], list[str]] = {}
        for scope, city, group in self.groups[["scope", "city", "group"]].itertuples(index=False):
            out.setdefault((scope, group), []).append(city)
        return out

    def to_dict(self) -> dict:
        """JSON-ready summary (no per-run arrays)."""
        return {
            "methodology_hash": self.methodology.hash, "input_hash": self.input_hash, "runs": self.runs,
            "seed": self.seed, "bin_width": self.bin_width, "mean_shift": _clean_value(self.mean_shift),
            "assumptions": [a.model_dump(mode="json", exclude_none=True) for a in self.assumptions],
            "rows": [_clean(r) for r in self.summary.to_dict("records")],
            "groups": [_clean(r) for r in self.groups.to_dict("records")],
            "pawn": [_clean(r) for r in self.pawn.to_dict("records")],
            "sobol": None if self.sobol is None else [_clean(r) for r in self.sobol.to_dict("records")],
        }


def _clean_value(value):
    if value is pd.NA:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else float(value)
    return value


def _clean(record: dict) -> dict:
    return {k: _clean_value(v) for k, v in record.items()}


# From the tally to the tables ------------------------------------------------------------------


def summarise(prepared: Prepared, tally: Tally) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The summary table and the "gleichauf" groups."""
    scopes, cities = prepared.scopes, prepared.cities
    n = len(cities)
    ranked = tally.counts[..., 1:]
    total = ranked.sum(axis=-1)
    cumulative = np.cumsum(ranked, axis=-1)
    bounds = {}
    for name, (num, den) in QUANTILES.items():
        first = np.argmax(cumulative * den >= num * total[..., None], axis=-1)  # 0-based bin
        lower, upper = first * prepared.bin_width + 1, np.minimum((first + 1) * prepared.bin_width, n)
        value = {"low": lower, "high": upper}.get(name, np.minimum(lower + prepared.bin_width // 2, n))
        bounds[name] = np.where(total > 0, value, -1)
    top10, top_quarter, shift, counted = tally.bands_of(prepared)
    with np.errstate(all="ignore"):
        runs = np.maximum(total, 1)
        table = pd.DataFrame({
            "city": np.tile(cities.to_numpy(dtype=object), len(scopes)),
            "scope": np.repeat(scopes.to_numpy(dtype=object), n),
            "rank": _ints(prepared.nominal),
            **{name: _ints(values) for name, values in bounds.items()},
            "p_top10": np.where(total > 0, top10 / runs, np.nan).reshape(-1),
            "p_top_quarter": np.where(total > 0, top_quarter / runs, np.nan).reshape(-1),
            "mean_shift": np.where(counted > 0, shift / np.maximum(counted, 1), np.nan).reshape(-1),
        })
    table = table.sort_values(["scope", "rank", "city"], key=_scope_order(scopes), kind="stable", na_position="last")
    table = table.reset_index(drop=True)[SUMMARY_COLUMNS]
    return table, tied_groups(table)


def _ints(values: np.ndarray) -> pd.arrays.IntegerArray:
    flat = np.asarray(values, dtype=np.int64).reshape(-1)
    return pd.arrays.IntegerArray(flat, flat <= 0)


def _scope_order(scopes: pd.Index):
    order = {s: k for k, s in enumerate(scopes)}
    return lambda column: column.map(order) if column.name == "scope" else column


def tied_groups(summary: pd.DataFrame) -> pd.DataFrame:
    """city, scope, group: runs of cities (in nominal order) whose intervals overlap the interval
    of the group's first city; only groups of two or more."""
    rows = []
    for scope, part in summary.dropna(subset=["rank", "low", "high"]).groupby("scope", sort=False):
        group, opener_high, members = 0, None, []
        for city, low, high in part[["city", "low", "high"]].itertuples(index=False):
            if opener_high is not None and low <= opener_high:
                members.append(city)
                continue
            rows += _group_rows(scope, group, members)
            group, opener_high, members = group + (len(members) > 1), high, [city]
        rows += _group_rows(scope, group, members)
    return pd.DataFrame(rows, columns=["city", "scope", "group"])


def _group_rows(scope: str, group: int, members: list[str]) -> list[tuple]:
    return [(city, scope, group + 1) for city in members] if len(members) > 1 else []
