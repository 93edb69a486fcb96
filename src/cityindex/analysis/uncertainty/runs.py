"""Evaluating runs: the prepared edition, one chunk of runs, and what a chunk adds to the tally.

:func:`prepare` scores the edition once (``score()``), lays out the assumptions
(:class:`~cityindex.analysis.uncertainty.space.Space`), runs the stages that do not depend on the
weights once per normaliser and missing-data choice, and checks what would make the runs
meaningless before any of them runs. :func:`run_chunk` evaluates a block of runs through
``cityindex.engine.batch`` and returns a :class:`Tally`: rank counts per city and scope and the
output of every run (the mean absolute rank shift). Tallies add up exactly (integers), so the
order in which chunks finish — locally or on a Dask cluster — never changes the result.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cityindex.engine import score
from cityindex.engine.batch import Fixed, fixed_stages, rank_rows, score_rows
from cityindex.engine.plan import Plan, make_plan
from cityindex.errors import CityIndexError
from cityindex.methodology import Methodology
from cityindex.analysis.uncertainty.space import Draws, Space

CHUNK = 2048  # runs per chunk: the unit of work (and of random streams) on any scheduler
CELLS = 150_000  # stacked rows × indicators per block of runs scored at once (stays in the CPU cache)
RANK_CELLS = 1 << 22  # runs × scopes × cities ranked before they are counted
HISTOGRAM_CELLS = 8_000_000  # rank counts kept per tally (scopes × cities × rank bins)


class UncertaintyError(CityIndexError):
    """The uncertainty analysis cannot run with these settings."""


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything a chunk needs; built once, shipped to every worker."""

    space: Space
    cities: pd.Index
    scopes: pd.Index
    nominal: np.ndarray  # scopes × cities: the edition's own ranks (0 = no rank)
    fixed: dict[tuple[int, int], Fixed]  # (normaliser choice, missing choice) → stages
    bin_width: int
    plans: dict[tuple[int, ...], Plan] = field(default_factory=dict)

    @property
    def bins(self) -> int:
        return math.ceil(len(self.cities) / self.bin_width) + 1  # bin 0: no rank

    def plan(self, combo: tuple[int, ...]) -> Plan:
        if combo not in self.plans:
            nominal = self.space.nominal_indicator_weights, self.space.nominal_area_weights
            self.plans[combo] = make_plan(self.space.methodology_for(*nominal, np.array(combo)))
        return self.plans[combo]

    def fixed_for(self, combo: tuple[int, ...]) -> Fixed:
        return self.fixed[_stage_key(self.space, combo)]


def _stage_key(space: Space, combo) -> tuple[int, int]:
    """The positions of the normaliser and missing-data choices in a combination (0 if fixed)."""
    chosen = {f.address: int(c) for f, c in zip(space.choice_factors, combo)}
    return chosen.get("rules.normalisation", 0), chosen.get("rules.missing", 0)


def prepare(methodology: Methodology, data: pd.DataFrame, assumptions, *, cities=None) -> tuple[Prepared, object]:
    """Score the edition, lay out the assumptions, run the fixed stages and check them."""
    nominal = score(methodology, data, cities=cities)
    space = Space.of(methodology, assumptions)
    if not space.factors:
        raise UncertaintyError("nothing in this methodology can vary; declare assumptions in its uncertainty "
                               "section (docs/uncertainty.md)")
    treated = nominal.stages["treated"]
    fixed = {key: fixed_stages(_stage_plan(space, key), treated) for key in _stage_keys(space)}
    n = len(nominal.cities)
    scopes = len(nominal.scopes)
    width = max(1, math.ceil(n / max(100, HISTOGRAM_CELLS // max(1, scopes * n) - 1)))
    ranks = nominal.ranks.to_numpy(dtype=np.int64, na_value=0).T
    prepared = Prepared(space, nominal.cities, pd.Index(nominal.scopes), ranks, fixed, width)
    _check(prepared, nominal)
    return prepared, nominal


def _stage_keys(space: Space) -> list[tuple[int, int]]:
    sizes = {f.address: len(f.alternatives) for f in space.choice_factors}
    return list(itertools.product(range(sizes.get("rules.normalisation", 1)), range(sizes.get("rules.missing", 1))))


def _stage_plan(space: Space, key: tuple[int, int]) -> Plan:
    combo = [0] * len(space.choice_factors)
    for k, f in enumerate(space.choice_factors):
        if f.address == "rules.normalisation":
            combo[k] = key[0]
        elif f.address == "rules.missing":
            combo[k] = key[1]
    nominal = space.nominal_indicator_weights, space.nominal_area_weights
    return make_plan(space.methodology_for(*nominal, np.array(combo)))


# Checks before any run ---------------------------------------------------------------------------


def _check(prepared: Prepared, nominal) -> None:
    space = prepared.space
    for factor in space.choice_factors:
        scored = [p.code for i in space.methodology.indicators.values() for p in i.scored_parameters]
        if factor.address == "rules.missing" and not nominal.stages["treated"][scored].isna().to_numpy().any():
            raise UncertaintyError("uncertainty assumption `rules.missing`: changes nothing: the data of this "
                                   "edition has no missing value")
        if factor.address.startswith("rules.aggregation."):
            _check_zero_rule(prepared, factor, nominal)


def _check_zero_rule(prepared: Prepared, factor, nominal) -> None:
    """A geometric or harmonic alternative meeting a score of 0 would make the aggregate 0."""
    m = prepared.space.methodology
    own = m.rules.aggregation.areas if factor.address.endswith("areas") else m.rules.aggregation.overall
    for spec in factor.alternatives:
        if spec == own or spec.method == "arithmetic" or spec.options.get("offset", 0.0) > 0:
            continue
        where = _zero_component(prepared, factor.address, nominal)
        if where:
            raise UncertaintyError(
                f"uncertainty assumption `{factor.address}`: alternative `{spec.method}` meets a score of 0 "
                f"({where}); every such aggregate would become 0. Use {{method: geometric, offset: 1}} instead.")


def _zero_component(prepared: Prepared, address: str, nominal) -> str | None:
    m = prepared.space.methodology
    if address.endswith("overall"):
        areas = nominal.areas
        hits = np.argwhere(areas.to_numpy() == 0)
        return f"city {areas.index[hits[0][0]]}, area `{areas.columns[hits[0][1]]}`" if len(hits) else None
    codes = [i.code for a in m.areas if a.aggregation is None and sum(i.weight > 0 for i in a.scored_indicators) >= 2
             for i in a.scored_indicators if i.weight > 0]
    for fixed in prepared.fixed.values():
        frame = pd.DataFrame(fixed.indicators, index=prepared.cities, columns=list(prepared.space.indicator_codes))
        hits = np.argwhere(frame[codes].to_numpy() == 0)
        if len(hits):
            return f"city {frame.index[hits[0][0]]}, indicator `{codes[hits[0][1]]}`"
    return None


# One chunk of runs -------------------------------------------------------------------------------


@dataclass(eq=False)
class Tally:
    """What a set of runs adds up to. ``counts[s, c, b]``: runs in which city c had a rank in
    bin b of scope s (bin 0: no rank); ``output``: each run's mean absolute rank shift of the
    overall ranking; ``unit``: each run's row of the unit sample. ``bands`` (top-10 runs,
    top-quarter runs, summed |rank − nominal rank|, runs counted in that sum) is kept only when
    ranks are binned; with one rank per bin it follows from ``counts`` (:meth:`bands_of`)."""

    counts: np.ndarray
    bands: np.ndarray
    output: np.ndarray
    unit: np.ndarray

    @classmethod
    def empty(cls, prepared: Prepared, unit: np.ndarray) -> "Tally":
        shape = (len(prepared.scopes), len(prepared.cities))
        return cls(np.zeros((*shape, prepared.bins), dtype=np.int64), np.zeros((4, *shape), dtype=np.int64),
                   np.full(len(unit), np.nan), unit)

    def count(self, prepared: Prepared, runs: np.ndarray, ranks: np.ndarray) -> None:
        """Add the ranks (len(runs) × scopes × cities) of the runs at positions ``runs``."""
        scopes, n = ranks.shape[1:]
        binned = ranks
        if prepared.bin_width > 1:
            binned = np.where(ranks > 0, (ranks + prepared.bin_width - 1) // prepared.bin_width, 0)
            self.bands += _bands(ranks, prepared.nominal)
        flat = (np.arange(scopes * n).reshape(1, scopes, n) * prepared.bins + binned).reshape(-1)
        self.counts += np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape)
        overall, nominal = ranks[:, 0, :], prepared.nominal[0]
        both = (overall > 0) & (nominal > 0)
        pairs = both.sum(axis=1)
        with np.errstate(all="ignore"):
            shift = np.where(both, np.abs(overall - nominal), 0).sum(axis=1)
            self.output[runs] = np.where(pairs > 0, shift / np.maximum(pairs, 1), np.nan)

    def bands_of(self, prepared: Prepared) -> np.ndarray:
        """top10, top_quarter, shift, ranked (4 × scopes × cities)."""
        if prepared.bin_width > 1:
            return self.bands
        ranks = np.arange(self.counts.shape[-1])  # bin r holds rank r
        quarter = math.ceil(len(prepared.cities) / 4)
        ranked = self.counts[..., 1:]
        known = prepared.nominal[..., None] > 0
        distance = np.abs(ranks[1:] - prepared.nominal[..., None])
        return np.stack([ranked[..., :10].sum(axis=-1), ranked[..., :quarter].sum(axis=-1),
                         np.where(known, ranked * distance, 0).sum(axis=-1), np.where(known, ranked, 0).sum(axis=-1)])


def _bands(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    ranked = ranks > 0
    both = ranked & (nominal > 0)
    return np.stack([(ranked & (ranks <= 10)).sum(axis=0), (ranked & (ranks <= math.ceil(ranks.shape[-1] / 4))).sum(axis=0),
                     np.where(both, np.abs(ranks - nominal), 0).sum(axis=0), both.sum(axis=0)])


def chunk_unit(prepared: Prepared, seed: int, index: int, size: int) -> np.ndarray:
    """The unit sample of Monte Carlo chunk ``index``: its own random stream of the seed."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    return rng.random((size, prepared.space.width))


def run_chunk(prepared: Prepared, unit: np.ndarray) -> Tally:
    """Evaluate the runs of one block of the unit sample and tally them."""
    draws = prepared.space.draws(unit)
    total = Tally.empty(prepared, draws.unit)
    step = max(1, RANK_CELLS // (len(prepared.scopes) * len(prepared.cities)))
    for start in range(0, len(draws), step):
        runs = np.arange(start, min(start + step, len(draws)))
        total.count(prepared, runs, evaluate(prepared, draws.take(runs)))
    return total


def evaluate(prepared: Prepared, draws: Draws) -> np.ndarray:
    """Ranks of every run: runs × scopes × cities (0 = no rank)."""
    ranks = np.zeros((len(draws), len(prepared.scopes), len(prepared.cities)), dtype=np.int64)
    for runs, block in blocks(prepared, draws):
        ranks[runs] = block
    return ranks


def blocks(prepared: Prepared, draws: Draws):
    """(positions of runs, their ranks) in blocks of runs that share every method choice."""
    if draws.choices.shape[1]:
        combos, which = np.unique(draws.choices, axis=0, return_inverse=True)
    else:
        combos, which = np.zeros((1, 0), dtype=np.int64), np.zeros(len(draws), dtype=np.int64)
    step = max(1, CELLS // max(1, len(prepared.cities) * len(prepared.space.indicator_codes)))
    for k, combo in enumerate(map(tuple, combos)):
        plan, fixed = prepared.plan(combo), prepared.fixed_for(combo)
        runs = np.flatnonzero(which.reshape(-1) == k)
        for start in range(0, len(runs), step):
            block = runs[start:start + step]
            scores = score_rows(fixed, plan, draws.indicator_weights[block], draws.area_weights[block])
            yield block, rank_rows(scores, plan)
