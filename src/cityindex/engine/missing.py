"""Missing-data rules: what a missing value (no row, or an empty value) of a scored parameter does.

A rule is a small class with three parts the engine uses at fixed places:

* ``impute(values)`` — the *impute* stage, on the treated parameter table (cities × parameters);
* ``rescale_sums`` — in a ``sum`` indicator, scale the available points up to the full maximum;
* ``fill_score`` — a parameter or indicator score that cannot be computed becomes this value
  (``None``: it stays missing, and the aggregators leave it out and re-normalise the weights).

The raw and screened stages always keep the gap: a real city's unknown value is never filled
in there; imputation is a visible, named methodology choice.
"""

from __future__ import annotations

import warnings

import numpy as np

from cityindex.methods import MISSING_RULES

register = MISSING_RULES.register


@register("zero")
class Zero:
    """A missing value scores zero: it adds no points to a ``sum`` indicator, and a parameter or
    indicator score that cannot be computed (no value at all) is 0. Cities are not rewarded for
    withholding data. The default."""

    rescale_sums = False
    fill_score: float | None = 0.0

    @staticmethod
    def impute(values: np.ndarray) -> np.ndarray:
        return values


@register("skip_and_reweight")
class SkipAndReweight:
    """A missing value is left out: a ``sum`` indicator scales the available points up to the
    full maximum (points × maximum of all parameters ÷ maximum of the answered ones; a numeric
    parameter counts 1), a ``weighted_mean`` indicator and every aggregation re-normalise the
    weights of what is there. A city with no value for any parameter of an indicator has no
    indicator score; with no score at all its overall score and rank stay empty."""

    rescale_sums = True
    fill_score: float | None = None

    @staticmethod
    def impute(values: np.ndarray) -> np.ndarray:
        return values


@register("impute_median")
class ImputeMedian:
    """A missing value is replaced, in the *impute* stage only, by the median of the treated
    values of the same parameter over the scored cities (the screened stage keeps the gap). A
    parameter no city has a value for stays missing and is then left out as in
    ``skip_and_reweight``."""

    rescale_sums = False
    fill_score: float | None = None

    @staticmethod
    def impute(values: np.ndarray) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns
            medians = np.nanmedian(values, axis=0) if values.size else np.empty(values.shape[1])
        return np.where(np.isnan(values), medians, values)
