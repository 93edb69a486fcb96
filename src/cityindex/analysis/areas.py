"""A city's area results: ranks and scores, strengths and weaknesses, contributions to change."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from cityindex.analysis.history import entry
from cityindex.editions import EditionView

#: Overall = equal-weighted mean of the areas is assumed for contributions; not proven for Bitkom.
EQUAL_WEIGHTS_NOTE = {
    "de": "Annahme: Gesamtwert = ungewichteter Mittelwert der Bereiche (für Bitkom nicht belegt).",
    "en": "Assumption: overall score = unweighted mean of the areas (not proven for Bitkom).",
}


@dataclass(frozen=True)
class AreaResult:
    """One area of one edition for a city; *position* is strength/weakness/middle or None."""

    scope: str
    name_de: str
    name_en: str
    rank: int | None
    score: float | None
    rank_change: int | None
    source: str | None
    position: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class Contribution:
    """An area's share of the change of the overall score, under equal weights."""

    scope: str
    name_de: str
    name_en: str
    score_from: float
    score_to: float
    contribution: float
    weight: float
    weights_assumed: bool


def area_scopes(edition: EditionView) -> list[str]:
    return [s for s in edition.scopes if s != "overall"]


def _position(edition: EditionView, scope: str, rank: int | None, score: float | None):
    """Strength, weakness or middle: where every city's score is known (computed editions), the
    score against the median, so a score equal to the median (e.g. one that many cities share)
    is neither; else the rank against the middle rank of all cities, else a score against the
    median of the known scores."""
    known = _known_scores(edition, scope) if score is not None else None
    if known is not None and len(known) >= edition.n_cities:
        return _versus_median(score, known, "scores", _median(edition, scope))
    if rank is not None:
        middle = (edition.n_cities + 1) / 2
        pos = "strength" if rank < middle else "weakness" if rank > middle else "middle"
        return pos, f"rank vs middle rank {middle:g} of {edition.n_cities}"
    if known is not None and len(known) >= 3:
        return _versus_median(score, known, "published scores", _median(edition, scope))
    return None, None


@lru_cache(maxsize=256)
def _known_scores(edition: EditionView, scope: str) -> pd.Series:
    """The scope's known scores (once per edition view; read-only)."""
    return edition.ranking(scope)["score"].dropna()


@lru_cache(maxsize=256)
def _median(edition: EditionView, scope: str) -> float:
    return float(_known_scores(edition, scope).median())


def _versus_median(score: float, known, what: str, median: float | None = None):
    median = float(known.median()) if median is None else median
    pos = "strength" if score > median else "weakness" if score < median else "middle"
    return pos, f"score vs median {median:.1f} of {len(known)} {what}"


def areas(edition: EditionView, ags: str) -> list[AreaResult]:
    """Every area of the edition with what is known for the city (None where not published)."""
    out = []
    for scope in area_scopes(edition):
        e = entry(edition, ags, scope)
        position, basis = _position(edition, scope, e.rank, e.score)
        names = edition.scopes[scope]
        out.append(AreaResult(scope, names["de"], names["en"], e.rank, e.score, e.rank_change,
                              e.source, position, basis))
    return out


def unassigned(edition: EditionView, ags: str) -> list[dict]:
    """The city's rows in the edition's unassigned area tables (2022 tables B–E)."""
    if edition.unassigned.empty:
        return []
    rows = edition.unassigned[edition.unassigned["ags"] == ags]
    cols = ["table", "rank", "score", "rank_change", "source"]
    return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in rows[cols].to_dict("records")]


def contributions(current: EditionView, previous: EditionView | None, ags: str) -> list[Contribution]:
    """Per area with both scores known: (score_to − score_from) × area weight.

    The weight is the edition's own (computed editions with an arithmetic overall score);
    otherwise equal weights are assumed (1 / number of areas) and marked as assumed.
    """
    if previous is None:
        return []
    n_areas = len(area_scopes(current))
    weights = current.area_weights
    out = []
    for scope in area_scopes(current):
        if scope not in previous.scopes:
            continue
        now, before = entry(current, ags, scope).score, entry(previous, ags, scope).score
        if now is None or before is None:
            continue
        names = current.scopes[scope]
        assumed = weights is None or scope not in weights
        weight = 1 / n_areas if assumed else weights[scope]
        out.append(Contribution(scope, names["de"], names["en"], before, now, (now - before) * weight,
                                weight, assumed))
    return out


def area_history(editions: list[EditionView], ags: str) -> list[dict]:
    """Every published area number of the city across editions: edition, scope, rank, score, rank_change."""
    out = []
    for edition in editions:
        for a in areas(edition, ags):
            if a.rank is not None or a.score is not None or a.rank_change is not None:
                out.append({"edition": edition.key, "scope": a.scope, "rank": a.rank, "score": a.score,
                            "rank_change": a.rank_change, "source": a.source})
    return out
