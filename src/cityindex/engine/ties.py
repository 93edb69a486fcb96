"""Tie rules: how cities with the same score share a rank.

Ranks are computed on the unrounded scores (rounded to 9 decimals only to absorb floating-point
noise); the display rounding never decides a rank. Rank 1 is the best; a missing score has no
rank. Each kernel ranks every column of a cities × scopes frame.
"""

from __future__ import annotations

import pandas as pd

from cityindex.engine.registry import Registry

TIE_RULES = Registry("tie rule")
register = TIE_RULES.register

_NOISE_DECIMALS = 9


def _rank(scores: pd.DataFrame, method: str) -> pd.DataFrame:
    ranks = scores.round(_NOISE_DECIMALS).rank(axis=0, method=method, ascending=False, na_option="keep")
    return ranks.astype("Int64")


@register("competition")
def competition(scores: pd.DataFrame) -> pd.DataFrame:
    """Standard competition ranking (1-2-2-4): tied cities share the best rank of their group and
    the next city's rank counts every city ahead of it. The default."""
    return _rank(scores, "min")


@register("dense")
def dense(scores: pd.DataFrame) -> pd.DataFrame:
    """Dense ranking (1-2-2-3): tied cities share a rank and the next distinct score gets the
    next rank, without gaps."""
    return _rank(scores, "dense")
