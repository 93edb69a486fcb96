"""Aggregators: combine weighted 0–100 scores (indicators → area, areas → overall).

Every kernel takes a 2-D array (cities × components, NaN = missing) and a weight per component
and returns one score per city. Missing components and components with weight 0 are left out
and the remaining weights re-normalised; a city with no usable component gets NaN. The result
always lies between the smallest and the largest component, so it stays in [0, 100].
"""

from __future__ import annotations

import numpy as np

from cityindex.methods import AGGREGATORS

register = AGGREGATORS.register


def _usable(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-city weights with missing and zero-weight components removed, and their sum."""
    w = np.where(np.isnan(values), 0.0, np.broadcast_to(weights, values.shape))
    return w, w.sum(axis=1)


def _finish(total: np.ndarray, values: np.ndarray, w: np.ndarray, wsum: np.ndarray) -> np.ndarray:
    """NaN for cities without usable components; otherwise the result clipped to the range of
    the components used (round-off must not give 100.00000000000001)."""
    used = np.where(w > 0, values, np.nan)
    lo = np.fmin.reduce(used, axis=1, initial=np.inf)  # fmin/fmax skip the NaN of unused components
    hi = np.fmax.reduce(used, axis=1, initial=-np.inf)
    with np.errstate(all="ignore"):
        return np.where(wsum > 0, np.clip(total, lo, hi), np.nan)


@register("arithmetic")
def arithmetic(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted arithmetic mean: Σ wᵢxᵢ ÷ Σ wᵢ. Full compensation: a weak component can be
    made up by a strong one."""
    w, wsum = _usable(values, weights)
    with np.errstate(all="ignore"):
        total = (np.where(w > 0, values, 0.0) * w).sum(axis=1) / wsum  # no NaN is left where w > 0
    return _finish(total, values, w, wsum)


@register("geometric")
def geometric(values: np.ndarray, weights: np.ndarray, *, offset: float = 0.0) -> np.ndarray:
    """Weighted geometric mean: exp(Σ wᵢ ln(xᵢ + offset) ÷ Σ wᵢ) − offset. Zero rule: with the
    default ``offset`` 0, one component at 0 makes the whole aggregate 0 (the limit of the
    geometric mean; no logarithm of zero is taken). A positive ``offset`` (e.g. 1) softens this:
    a zero then only pulls the aggregate down."""
    w, wsum = _usable(values, weights)
    shifted = np.where(w > 0, values + offset, 1.0)
    has_zero = ((shifted <= 0) & (w > 0)).any(axis=1)
    with np.errstate(all="ignore"):
        logs = np.log(np.where(shifted > 0, shifted, 1.0)) * w
        total = np.exp(logs.sum(axis=1) / wsum) - offset
    return _finish(np.where(has_zero, 0.0, total), values, w, wsum)


@register("harmonic")
def harmonic(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted harmonic mean: Σ wᵢ ÷ Σ (wᵢ ÷ xᵢ); penalises weak components most. Zero rule:
    a component at 0 makes the aggregate 0 (the limit), never a division by zero."""
    w, wsum = _usable(values, weights)
    used = np.where(w > 0, values, 1.0)
    has_zero = ((used <= 0) & (w > 0)).any(axis=1)
    with np.errstate(all="ignore"):
        total = wsum / (w / np.where(used > 0, used, 1.0)).sum(axis=1)
    return _finish(np.where(has_zero, 0.0, total), values, w, wsum)
