"""Rounding scores for display: half up (as published indices round: 11.25 → 11.3) or half to
even (11.25 → 11.2). The mode is a methodology rule (``rules.rounding_mode``, default
``half_up``); ranks never use rounded scores. Leaf module: numpy only."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MODES = ("half_up", "half_even")
DEFAULT_RULE = (1, "half_up")  # one decimal, halves up: how Bitkom publishes scores

# Scaled values are first rounded to this many decimals, so a score that is 11.25 in decimal
# but 11.2499999999 in binary (e.g. 45/4 computed as a mean) still rounds up.
_NOISE_DECIMALS = 6


def round_array(values: np.ndarray, decimals: int, mode: str = "half_up") -> np.ndarray:
    """``values`` rounded to ``decimals``; halves away from zero (``half_up``) or to the even
    neighbour (``half_even``). NaN stays NaN."""
    if mode not in MODES:
        raise ValueError(f"unknown rounding mode {mode!r} (valid: {', '.join(MODES)})")
    factor = 10.0 ** decimals
    scaled = np.round(np.asarray(values, dtype=float) * factor, _NOISE_DECIMALS)
    if mode == "half_even":
        return np.round(scaled) / factor
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / factor


def round_value(value: float | None, decimals: int, mode: str = "half_up") -> float | None:
    """One score rounded like :func:`round_array` (None and NaN stay None); plain Python, as
    pages round thousands of single numbers."""
    if value is None or value != value:
        return None
    if mode not in MODES:
        raise ValueError(f"unknown rounding mode {mode!r} (valid: {', '.join(MODES)})")
    factor = 10.0 ** decimals
    scaled = round(float(value) * factor, _NOISE_DECIMALS)
    if mode == "half_even":
        return round(scaled) / factor  # Python rounds halves to even
    return math.copysign(math.floor(abs(scaled) + 0.5), scaled) / factor


def round_frame(values: pd.DataFrame | pd.Series, decimals: int, mode: str = "half_up") -> pd.DataFrame | pd.Series:
    """A frame or series of scores rounded like :func:`round_array` (same index and columns)."""
    rounded = round_array(values.to_numpy(dtype=float), decimals, mode)
    if isinstance(values, pd.Series):
        return pd.Series(rounded, index=values.index, name=values.name)
    return pd.DataFrame(rounded, index=values.index, columns=values.columns)


def rule_of(methodology) -> tuple[int, str]:
    """How a methodology's scores are shown: (decimals, mode) from its ``rules``; without a
    methodology (a published Bitkom edition) one decimal with halves rounded up."""
    rules = getattr(methodology, "rules", None)
    return (rules.rounding, rules.rounding_mode) if rules is not None else DEFAULT_RULE
