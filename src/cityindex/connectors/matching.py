"""Assigning source rows to index cities by name, with explicit alias tables (STYLE §8).

Judgement about a source lives in ``data/open_pilot/side/<source>.cities.json``::

    {"source": "gbfs",
     "aliases": {"Munich": "München", "Halle, DE": "Halle (Saale)"},
     "not_cities": {"Ruhr": "regional entry (Ruhrgebiet), not one city"}}

A raw name matches a city when its normalised form (lower case, ``ä``→``ae``, no
punctuation) equals the city's name, or when the alias table maps it. Names in
``not_cities`` are known non-matches with a reason. Aliases never used are reported by
:meth:`NameMatcher.unused_aliases`, so a stale table shows up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cityindex.cities import normalise_name
from cityindex.connectors.base import index_cities
from cityindex.errors import CityIndexError
from cityindex.paths import OPEN_PILOT_DIR

SIDE_DIR = OPEN_PILOT_DIR / "side"


class SideFileError(CityIndexError):
    """A side file of a connector is not valid."""


@dataclass
class NameMatcher:
    """Name → AGS for the index cities, optionally restricted to the city's state."""

    aliases: dict[str, str] = field(default_factory=dict)
    not_cities: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        cities = index_cities()
        self._by_key = {normalise_name(n): a for a, n in zip(cities.ags, cities.name)}
        self._state = dict(zip(cities.ags, cities.state))
        unknown = [city for city in self.aliases.values() if normalise_name(city) not in self._by_key]
        if unknown:
            raise SideFileError(f"alias targets are not index cities: {', '.join(sorted(unknown))}; "
                                "use the city names of cities.csv.")

    @classmethod
    def for_source(cls, key: str, side_dir: Path = SIDE_DIR) -> "NameMatcher":
        path = side_dir / f"{key}.cities.json"
        spec = read_side(path) if path.exists() else {}
        return cls(aliases=dict(spec.get("aliases", {})), not_cities=dict(spec.get("not_cities", {})))

    def match(self, raw: str, *, state: str | None = None) -> tuple[str | None, str]:
        """``(ags, "")`` for a match, ``(None, reason)`` otherwise."""
        text = str(raw).strip()
        if text in self.not_cities:
            return None, self.not_cities[text]
        target = self.aliases.get(text)
        if target is not None:
            self.used.add(text)
        ags = self._by_key.get(normalise_name(target or text))
        if ags is None:
            return None, "not an index city"
        if state is not None and self._state[ags] != state:
            return None, f"the index city of that name lies in {self._state[ags]}, the row in {state}"
        return ags, ""

    def unused_aliases(self) -> list[str]:
        return sorted(set(self.aliases) - self.used)


@lru_cache(maxsize=None)
def read_side(path: Path) -> dict:
    """A connector's JSON side file (read once; treat the result as read-only)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SideFileError(f"{path}: line {exc.lineno}: {exc.msg}; fix the JSON.") from None
