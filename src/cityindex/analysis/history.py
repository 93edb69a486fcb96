"""A city's overall rank and score across the editions of one series."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityindex.editions import EditionView


def _value(row: dict | None, field: str):
    if row is None or pd.isna(row[field]):
        return None
    return int(row[field]) if field != "score" else float(row[field])


@dataclass(frozen=True)
class EditionEntry:
    """One edition's overall result of a city; None = not published in this data set."""

    key: str
    year: int
    n_cities: int
    rank: int | None
    score: float | None
    rank_change: int | None
    source: str | None
    comparable_change: int | None = None  # computed editions of a series: like-with-like change


@dataclass(frozen=True)
class Change:
    """A change of rank in places (positive = better) between two editions."""

    places: int
    from_key: str
    from_rank: int | None
    from_score: float | None
    basis: str  # "published" (the edition's Tendenz), "computed" (a computed edition's rank change) or "derived" (from two ranks)
    comparable: int | None = None  # the comparable change next to a computed one (docs/series.md)


def entry(edition: EditionView, ags: str, scope: str = "overall") -> EditionEntry:
    """The city's entry in one edition (all fields None when no row exists)."""
    row = edition.get(ags, scope)
    return EditionEntry(
        key=edition.key, year=edition.year, n_cities=edition.n_cities,
        rank=_value(row, "rank"), score=_value(row, "score"), rank_change=_value(row, "rank_change"),
        source=None if row is None else row["source"],
        comparable_change=_value(row, "comparable_change") if row and "comparable_change" in row else None,
    )


def history(editions: list[EditionView], ags: str) -> list[EditionEntry]:
    """Entries of every given edition, in the given (chronological) order."""
    return [entry(edition, ags) for edition in editions]


def change_vs_previous(current: EditionEntry, previous: EditionEntry | None, *, computed: bool = False) -> Change | None:
    """Change of *current* against *previous*, the edition that *current*'s edition names as
    its previous one: the edition's Tendenz (published, or computed for a *computed* edition),
    else the difference of two published ranks, else None (also without a previous edition)."""
    if previous is None:
        return None
    if current.rank_change is not None:
        basis = "computed" if computed else "published"
        return Change(current.rank_change, previous.key, previous.rank, previous.score, basis,
                      current.comparable_change)
    if current.rank is not None and previous.rank is not None:
        return Change(previous.rank - current.rank, previous.key, previous.rank, previous.score, "derived")
    return None


def change_since_first(entries: list[EditionEntry], key: str) -> Change | None:
    """Places gained since the earliest edition with a published rank (before *key*)."""
    index = [e.key for e in entries].index(key)
    current = entries[index]
    first = next((e for e in entries[:index] if e.rank is not None), None)
    if current.rank is None or first is None:
        return None
    return Change(first.rank - current.rank, first.key, first.rank, first.score, "derived")
