"""Tie rules: how cities with the same score share a rank.

Ranks are computed on the unrounded scores (rounded to 9 decimals only to absorb floating-point
noise such as 0.1 + 0.2); the display rounding never decides a rank. Rank 1 is the best; a
missing score has no rank. Each kernel ranks every column of a cities × scopes frame and
returns nullable integers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cityindex.methods import TIE_RULES

register = TIE_RULES.register

_NOISE_DECIMALS = 9


def _ranked(scores: pd.DataFrame, rank_column) -> pd.DataFrame:
    values = np.round(scores.to_numpy(dtype=float), _NOISE_DECIMALS)
    columns = {}
    for k, name in enumerate(scores.columns):
        present = ~np.isnan(values[:, k])
        ranks = np.zeros(len(values), dtype=np.int64)
        ranks[present] = rank_column(-values[present, k])  # ascending −score = best first
        columns[name] = pd.arrays.IntegerArray(ranks, ~present)
    frame = pd.DataFrame(columns, index=scores.index)
    frame.columns = scores.columns
    return frame


def _competition(negated: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.sort(negated), negated, side="left") + 1


def _dense(negated: np.ndarray) -> np.ndarray:
    distinct = np.unique(negated)
    return np.searchsorted(distinct, negated) + 1


@register("competition")
def competition(scores: pd.DataFrame) -> pd.DataFrame:
    """Standard competition ranking (1-2-2-4): tied cities share the best rank of their group
    and the next city's rank counts every city ahead of it. The default."""
    return _ranked(scores, _competition)


@register("dense")
def dense(scores: pd.DataFrame) -> pd.DataFrame:
    """Dense ranking (1-2-2-3): tied cities share a rank and the next distinct score gets the
    next rank, without gaps."""
    return _ranked(scores, _dense)
