"""Movers: the cities that rose or fell most in an edition, each with the values that moved it.

Cities are ordered by the comparable rank change (both years under the edition's rules on the
parameters known in both years) where the edition has one, else by the change as computed; both are
given. The reasons of a move are the scored parameters whose value differs between the two
editions for the city. A difference the register made rather than the city (a catalogue or schema
change) is told as such where the data say so: a ``SCHEMA:`` caveat in the note of one of the two
values but not the other (the source's schema changed in between) or an entry of
``side/series.changes.yml``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd

from cityindex.connectors.matching import SIDE_DIR
from cityindex.errors import CityIndexError

SCHEMA_MARK = "SCHEMA:"


class NoMovers(CityIndexError):
    """Movers need a computed edition that names a previous edition."""


@dataclass(frozen=True)
class ValueChange:
    """One parameter of one city whose value differs from the previous edition."""

    parameter: str
    name_de: str
    name_en: str
    before: str | None
    after: str | None
    note: str | None = None  # the current value's note (what the register lists)
    catalogue: dict | None = None  # {"de", "en"}: a change of the register, not of the city
    kind: str = "numeric"  # the parameter's kind (binary values are shown as yes/no)


@dataclass(frozen=True)
class Mover:
    ags: str
    city: str
    rank: int | None
    previous_rank: int | None
    change: int | None
    comparable_change: int | None
    changes: list[ValueChange] = field(default_factory=list)


@dataclass(frozen=True)
class Movers:
    """The movers of one scope of an edition against its previous edition."""

    edition: str
    previous: str
    scope: str
    basis: str  # "comparable" or "computed": what the order is by
    up: list[Mover]
    down: list[Mover]

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def _register_changes() -> tuple[dict, ...]:
    import yaml

    path = SIDE_DIR / "series.changes.yml"
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8")) or ())


def catalogue_change(year: int, parameter: str, city: str, notes: tuple[str | None, str | None]) -> dict | None:
    """Why a changed value is the register's change, not the city's (None when nothing says so)."""
    for entry in _register_changes():
        if entry["year"] == year and entry["parameter"] == parameter and entry["city"] == city:
            return {"de": " ".join(entry["de"].split()), "en": " ".join(entry["en"].split())}
    marked = [n for n in notes if n and SCHEMA_MARK in n]
    if len(marked) == 1:  # the source's schema changed between the two versions
        schema = marked[0]
        text = schema[schema.index(SCHEMA_MARK):]
        return {"de": f"Schemaänderung der Quelle: {text}", "en": f"Schema change of the source: {text}"}
    return None


def _values(view, ags: str) -> dict[str, dict]:
    return {code: r for code, r in view.city_points(ags).items() if str(r.get("value", "")) not in ("", "None", "nan")}


def _note(record: dict) -> str | None:
    note = record.get("note")
    return note if isinstance(note, str) and note else None


def _text(value) -> str:
    """A value as compared and shown: a number in its shortest form (3.0 → 3), anything else as text."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:g}" if number == number else str(value)


def value_changes(current, previous, ags: str, city: str) -> list[ValueChange]:
    """Scored parameters of *current* known for the city in both editions whose value differs."""
    now, before = _values(current, ags), _values(previous, ags)
    out = []
    for area in current.methodology.areas:
        for indicator in area.scored_indicators:
            for p in indicator.scored_parameters:
                if p.code not in now or p.code not in before:
                    continue
                old, new = _text(before[p.code]["value"]), _text(now[p.code]["value"])
                if old == new:
                    continue
                notes = (_note(before[p.code]), _note(now[p.code]))
                out.append(ValueChange(p.code, p.name_de, p.name_en, old, new, notes[1],
                                       catalogue_change(current.year, p.code, city, notes), p.kind))
    return out


def movers(current, previous, *, scope: str = "overall", n: int = 5) -> Movers:
    """The *n* cities that rose and fell most in *scope* of the computed edition *current*."""
    rows = current.ranking(scope)
    basis = "comparable" if "comparable_change" in rows and rows["comparable_change"].notna().any() else "computed"
    key = "comparable_change" if basis == "comparable" else "rank_change"
    ranked = rows[rows[key].notna()]
    before = previous.ranking(scope).set_index("ags")["rank"]

    def mover(row) -> Mover:
        return Mover(row["ags"], row["city"], _int(row["rank"]), _int(before.get(row["ags"])), _int(row["rank_change"]),
                     _int(row.get("comparable_change")), value_changes(current, previous, row["ags"], row["city"]))

    up = ranked[ranked[key] > 0].sort_values([key, "rank"], ascending=[False, True]).head(n)
    down = ranked[ranked[key] < 0].sort_values([key, "rank"], ascending=[True, True]).head(n)
    return Movers(current.key, previous.key, scope, basis, [mover(r) for r in up.to_dict("records")],
                  [mover(r) for r in down.to_dict("records")])


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def edition_movers(key: str, *, scope: str = "overall", n: int = 5) -> Movers:
    """The movers of a computed edition (by key) against the previous edition it names."""
    from cityindex.editions import get_edition

    current = get_edition(key)
    if current.kind != "computed" or current.previous is None:
        raise NoMovers(f"Edition {current.key} has no previous computed edition to move against; give a computed "
                       "edition of a series, e.g. open-2026.")
    return movers(current, get_edition(current.previous), scope=scope, n=n)
