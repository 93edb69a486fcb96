"""``score()``: run the stages in their fixed order and keep every table in a frozen Result."""

from __future__ import annotations

import hashlib
from types import MappingProxyType

import numpy as np
import pandas as pd

from cityindex.engine import stages as st
from cityindex.engine.plan import Plan, plan_for
from cityindex.engine.result import Result
from cityindex.engine.screen import ScoringError, listing, screen
from cityindex.methodology import REGISTER_DENOMINATORS, Methodology, PerCapita


def score(
    methodology: Methodology,
    data: pd.DataFrame,
    *,
    cities: pd.DataFrame | None = None,
    previous: Result | pd.DataFrame | None = None,
) -> Result:
    """Score every city present in ``data`` with ``methodology``.

    ``data`` is long: one row per data point with columns ``city`` (8-digit AGS), ``parameter``
    (code) and ``value`` (number, numeric text or answer text); other columns are ignored.
    ``cities`` (indexed by AGS, with ``population`` and ``area_km2``) supplies per-capita
    denominators; when None and a denominator is needed, the bundled city register is used.
    ``previous`` (a Result, or a frame of ranks AGS × scope) gives the rank changes.
    Pure: no I/O besides that register lookup, inputs are never changed.
    """
    plan = plan_for(methodology)
    screened = screen(data, plan)
    denominators = _denominators(plan, screened.index, cities)
    treated = st.treat(screened, plan, denominators)
    imputed = st.impute(treated, plan)
    combined = st.combine(imputed, plan)
    indicators = st.normalise(combined, imputed, plan)
    base = st.aggregate_areas(indicators, plan)
    areas = st.add_bonus(base, imputed, plan)
    overall = st.aggregate_overall(areas, plan)
    ranks = st.rank(st.scope_table(overall, areas, plan), plan)
    previous_ranks = previous.ranks if isinstance(previous, Result) else previous
    stages = {
        "screened": screened, "treated": treated, "imputed": imputed, "combined": combined,
        "indicators": indicators, "areas_before_bonus": base, "areas": areas, "overall": overall,
    }
    return Result(
        methodology=methodology,
        input_hash=input_hash(methodology, screened, denominators, previous_ranks),
        stages=MappingProxyType(stages),
        overall=overall,
        areas=areas,
        indicators=indicators,
        ranks=ranks,
        rank_change=st.compare_ranks(ranks, previous_ranks),
    )


def _needed_denominators(plan: Plan) -> list[str]:
    used = {t.denominator for _, t in plan.transforms if isinstance(t, PerCapita)}
    return [d for d in REGISTER_DENOMINATORS if d in used]


def _denominators(plan: Plan, index: pd.Index, cities: pd.DataFrame | None) -> pd.DataFrame:
    """Register columns the methodology divides by, aligned to the scored cities."""
    needed = _needed_denominators(plan)
    if not needed:
        return pd.DataFrame(index=index)
    if cities is None:
        from cityindex.cities import load_register  # lazy: only when a denominator is needed

        cities = load_register().frame
    missing_columns = [c for c in needed if c not in cities.columns]
    if missing_columns:
        raise ScoringError(f"the city table lacks the column(s) {', '.join(missing_columns)} needed for per-capita values")
    positions = pd.Index(cities.index.astype(str), dtype=object).get_indexer(index)
    values = np.column_stack([cities[c].to_numpy(dtype=float) for c in needed])[np.where(positions < 0, 0, positions)]
    values[positions < 0] = np.nan
    unknown = index[np.isnan(values).any(axis=1)].tolist()
    if unknown:
        raise ScoringError(f"no {' or '.join(needed)} in the city table for: {listing(unknown)}; per-capita values need them")
    return pd.DataFrame(values, index=index, columns=needed)


def input_hash(
    methodology: Methodology, screened: pd.DataFrame, denominators: pd.DataFrame, previous: pd.DataFrame | None
) -> str:
    """sha256 over the canonical methodology, the screened data (sorted cities × methodology
    parameters, so the row order of the input does not matter), the denominators used and the
    previous ranks."""
    digest = hashlib.sha256()
    digest.update(methodology.canonical.encode())
    for frame in (screened, denominators):
        digest.update("\x1f".join(map(str, frame.index)).encode())
        digest.update("\x1f".join(map(str, frame.columns)).encode())
        digest.update(np.ascontiguousarray(frame.to_numpy(dtype=float)).tobytes())
    if previous is not None:
        digest.update(previous.sort_index().to_csv().encode())
    return digest.hexdigest()
