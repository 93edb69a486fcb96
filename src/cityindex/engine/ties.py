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


def _ranked(scores: pd.DataFrame, rank_rows) -> pd.DataFrame:
    ranks = rank_rows(scores.to_numpy(dtype=float).T)  # scopes × cities
    columns = {k: pd.arrays.IntegerArray(ranks[k], ranks[k] == 0) for k in range(len(scores.columns))}
    frame = pd.DataFrame(columns, index=scores.index)
    frame.columns = scores.columns
    return frame


def _rank_rows(scores: np.ndarray, *, dense: bool) -> np.ndarray:
    """Ranks along the last axis of an array of scores (any number of leading axes): 1 = best,
    0 = no score. Scores are compared after rounding to 9 decimals."""
    with np.errstate(over="ignore"):
        scaled = np.rint(scores * 10.0**_NOISE_DECIMALS)  # what np.round(scores, 9) compares
    missing = np.isnan(scaled)
    shape = (int(np.prod(scaled.shape[:-1])), scaled.shape[-1])  # rows × cities
    ordered, order = _sorted(np.where(missing, np.nan, -scaled).reshape(shape), missing.reshape(shape))
    new = np.ones(ordered.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    if dense:
        sorted_ranks = np.cumsum(new, axis=-1)
    else:  # the position of the first city of each tie group, counting from 1
        sorted_ranks = np.maximum.accumulate(np.where(new, np.arange(ordered.shape[-1]), 0), axis=-1) + 1
    ranks = np.empty(ordered.size, dtype=np.int64)
    ranks[(order + np.arange(len(order))[:, None] * order.shape[-1]).reshape(-1)] = sorted_ranks.reshape(-1)
    ranks[missing.reshape(-1)] = 0
    return ranks.reshape(scores.shape)


def _sorted(keys: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys (rows × cities) sorted along each row, missing last, and the positions they came
    from. Whole numbers that fit are sorted as one int64 each with the position in the low bits
    (several times faster than argsort); anything else is argsorted."""
    n = keys.shape[-1]
    bits = max(1, (n - 1).bit_length())
    limit = 2.0 ** (60 - bits)
    if np.abs(np.where(missing, 0.0, keys)).max(initial=0.0) < limit:
        offset = 1 << (60 - bits)  # added as an integer: a float sum above 2**53 would merge neighbours
        whole = np.where(missing, 0.0, keys).astype(np.int64) + offset
        packed = (np.where(missing, 2 * offset, whole) << bits) | np.arange(n)
        packed.sort(axis=-1)
        return packed >> bits, packed & ((1 << bits) - 1)
    keys = np.where(missing, np.inf, keys)
    order = np.argsort(keys, axis=-1, kind="stable")
    return np.take_along_axis(keys, order, axis=-1), order


def competition_rows(scores: np.ndarray) -> np.ndarray:
    """Competition ranks (1-2-2-4) along the last axis; 0 = no score."""
    return _rank_rows(scores, dense=False)


def dense_rows(scores: np.ndarray) -> np.ndarray:
    """Dense ranks (1-2-2-3) along the last axis; 0 = no score."""
    return _rank_rows(scores, dense=True)


#: The array form of each built-in tie rule, for ranking many variants at once (engine/batch.py).
ROW_RANKERS = {"competition": competition_rows, "dense": dense_rows}


@register("competition")
def competition(scores: pd.DataFrame) -> pd.DataFrame:
    """Standard competition ranking (1-2-2-4): tied cities share the best rank of their group
    and the next city's rank counts every city ahead of it. The default."""
    return _ranked(scores, competition_rows)


@register("dense")
def dense(scores: pd.DataFrame) -> pd.DataFrame:
    """Dense ranking (1-2-2-3): tied cities share a rank and the next distinct score gets the
    next rank, without gaps."""
    return _ranked(scores, dense_rows)
