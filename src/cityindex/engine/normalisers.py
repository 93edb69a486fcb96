"""Normalisers: scale an indicator's (or a parameter's) values to 0–100 across the scored cities.

Every kernel takes a 2-D array (cities × columns, NaN = missing), works column by column, keeps
NaN where the input is NaN and returns scores in [0, 100]. ``higher_better`` comes from the
parameter's direction; all other keyword-only arguments are options a methodology may set
(``normalisation: {method: goalposts, lower: 0, upper: 10}``). Every kernel defines what happens
when all cities tie, so nothing divides by zero.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from cityindex.methods import NORMALISERS

register = NORMALISERS.register

_TIE_TOLERANCE = 1e-12


def _column(stat, values: np.ndarray) -> np.ndarray:
    """A NaN-ignoring column statistic; an all-missing column gives NaN without a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return stat(values, axis=0)


def _spread_is_zero(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return (hi - lo) <= _TIE_TOLERANCE * np.maximum(1.0, np.abs(hi))


def _keep_missing(values: np.ndarray, scores: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), np.nan, np.clip(scores, 0.0, 100.0))


@register("best_worst")
def best_worst(values: np.ndarray, *, higher_better: bool = True, tie_score: float = 100.0) -> np.ndarray:
    """Min-max scaling: the best observed value gets 100, the worst observed value 0, the rest
    in between on a straight line. All cities tie (including a single city): every city gets
    ``tie_score`` (default 100: each reached the best observed value)."""
    with np.errstate(all="ignore"):
        lo, hi = _column(np.nanmin, values), _column(np.nanmax, values)
        tie = _spread_is_zero(lo, hi)
        span = np.where(tie, 1.0, hi - lo)
        scaled = (values - lo) / span if higher_better else (hi - values) / span
        scores = np.where(tie, tie_score / 100.0, scaled) * 100.0
    return _keep_missing(values, scores)


@register("share_of_best")
def share_of_best(values: np.ndarray, *, higher_better: bool = True) -> np.ndarray:
    """Share of the best observed value: value ÷ best observed value × 100 (a fixed zero, no
    lower anchor; "min-max with fixed zero point"). 3 points when the best city has 11 → 27.3.
    If the best value is 0 or less (no city has any points; this includes an all-zero tie) every
    city gets 0. Lower-is-better: best ÷ value × 100, and a value of 0 or less gets 100. Old
    name: ``best`` (still accepted)."""
    with np.errstate(all="ignore"):
        if higher_better:
            hi = _column(np.nanmax, values)
            scores = np.where(hi > 0, values / np.where(hi > 0, hi, 1.0), 0.0) * 100.0
        else:
            lo = _column(np.nanmin, values)
            scores = np.where(values > 0, lo / np.where(values > 0, values, 1.0), 1.0) * 100.0
    return _keep_missing(values, scores)


@register("share_of_maximum")
def share_of_maximum(values: np.ndarray, *, higher_better: bool = True, maximum: np.ndarray) -> np.ndarray:
    """Point fraction: points achieved ÷ points possible × 100, where the points possible are
    the most the indicator's parameters can give (a ``sum`` indicator: the sum of its parameters'
    ``points`` or best ``answers``; in a ``weighted_mean`` indicator: the parameter's own). 3 of 11
    possible points → 27.3, whatever the other cities reach. Only for point-type parameters
    (binary, points). Lower-is-better: 100 minus the fraction. No maximum above 0: every city
    gets 0."""
    top = np.asarray(maximum, dtype=float)
    with np.errstate(all="ignore"):
        share = np.where(top > 0, values / np.where(top > 0, top, 1.0), 0.0) * 100.0
    return _keep_missing(values, share if higher_better else 100.0 - share)


@register("percentile_rank")
def percentile_rank(values: np.ndarray, *, higher_better: bool = True) -> np.ndarray:
    """Rank-based: (number of cities with a worse value + half the other cities with the same
    value) ÷ (cities − 1) × 100, i.e. (N − r) ÷ (N − 1) × 100 for rank r without ties. The best
    city gets 100, the worst 0, the median city 50. All cities tie (or a single city): 50."""
    frame = pd.DataFrame(values)
    ascending_rank = frame.rank(axis=0, method="average", ascending=higher_better).to_numpy()
    count = frame.notna().sum(axis=0).to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        scores = np.where(count > 1, (ascending_rank - 1.0) / (count - 1.0) * 100.0, 50.0)
    return _keep_missing(values, scores)


@register("goalposts")
def goalposts(values: np.ndarray, *, higher_better: bool = True, lower: float, upper: float) -> np.ndarray:
    """Fixed bounds instead of observed ones: ``lower`` → 0, ``upper`` → 100 (reversed for
    lower-is-better), values outside are clipped. Needs ``lower < upper``, so cities tying
    changes nothing."""
    span = float(upper) - float(lower)
    if span <= 0:
        span = np.inf  # rejected by validate_methodology; every score becomes 0 here
    scaled = (values - lower) / span if higher_better else (upper - values) / span
    return _keep_missing(values, scaled * 100.0)


@register("zscore")
def zscore(values: np.ndarray, *, higher_better: bool = True, scale: float = 10.0) -> np.ndarray:
    """Standard score mapped to 0–100: 50 + ``scale`` × z (z = (value − mean) ÷ standard deviation
    over the scored cities), clipped to [0, 100]; with the default scale 10, ±5 standard deviations
    span the range. All cities tie (standard deviation 0): every city gets 50."""
    with np.errstate(all="ignore"):
        mean = _column(np.nanmean, values)
        std = _column(np.nanstd, values)
        tie = std <= _TIE_TOLERANCE * np.maximum(1.0, np.abs(mean))
        z = (values - mean) / np.where(tie, 1.0, std)
        z = np.where(tie, 0.0, z if higher_better else -z)
    return _keep_missing(values, 50.0 + scale * z)


@register("raw")
def raw(values: np.ndarray, *, higher_better: bool = True) -> np.ndarray:
    """The value is already a 0–100 score: kept as it is, clipped to [0, 100]; lower-is-better
    gives 100 − value. Ties need no rule."""
    clipped = np.clip(values, 0.0, 100.0)
    return _keep_missing(values, clipped if higher_better else 100.0 - clipped)
