"""The city register: every city that appears in any bundled edition.

The register is bundled as ``data/cities.csv`` (built from the Destatis Gemeindeverzeichnis
extract in ``data/published/cities.csv`` and the Bitkom ↔ Destatis name list
``data/published/city_names.csv``; see docs/cities.md). Lookup accepts an AGS, the Bitkom
name, the official Destatis name, an alias or the URL slug, ignoring case, umlaut spelling
(``ü`` = ``ue`` = ``u``) and punctuation.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cityindex.errors import CityIndexError, UnknownCity
from cityindex.paths import DATA_DIR

REGISTER_CSV = DATA_DIR / "cities.csv"

STATE_CODES = {
    "Schleswig-Holstein": "SH", "Hamburg": "HH", "Niedersachsen": "NI", "Bremen": "HB",
    "Nordrhein-Westfalen": "NW", "Hessen": "HE", "Rheinland-Pfalz": "RP",
    "Baden-Württemberg": "BW", "Bayern": "BY", "Saarland": "SL", "Berlin": "BE",
    "Brandenburg": "BB", "Mecklenburg-Vorpommern": "MV", "Sachsen": "SN",
    "Sachsen-Anhalt": "ST", "Thüringen": "TH",
}

#: Size classes by population: code -> (lower bound inclusive, upper bound exclusive, de, en).
SIZE_CLASSES = {
    "lt100k": (0, 100_000, "unter 100.000", "below 100,000"),
    "100k-200k": (100_000, 200_000, "100.000–200.000", "100,000–200,000"),
    "200k-500k": (200_000, 500_000, "200.000–500.000", "200,000–500,000"),
    "500k-1m": (500_000, 1_000_000, "500.000–1 Mio.", "500,000–1 million"),
    "gt1m": (1_000_000, float("inf"), "über 1 Mio.", "over 1 million"),
}

#: Region tags: code -> (de, en). ``ruhr`` = index cities in the Regionalverband Ruhr area.
REGIONS = {"ruhr": ("Ruhrgebiet", "Ruhr area")}

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise_name(text: str, *, fold_umlauts: bool = False) -> str:
    """Lookup key: lower case, ``ä``→``ae`` (or ``a`` when *fold_umlauts*), no punctuation."""
    text = text.strip().lower()
    text = text if fold_umlauts else text.translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def size_class(population: int | float) -> str:
    """Size-class code for a population (``lt100k`` below 100,000)."""
    for code, (low, high, _de, _en) in SIZE_CLASSES.items():
        if low <= population < high:
            return code
    raise ValueError(f"population {population!r} is not a non-negative number")


@dataclass(frozen=True)
class City:
    """One municipality of the register."""

    ags: str
    name: str
    slug: str
    official_name: str
    destatis_name: str
    aliases: tuple[str, ...]
    state: str
    state_code: str
    population: int
    population_date: str
    area_km2: float
    lat: float
    lon: float
    regions: tuple[str, ...]
    size_class: str
    note: str = ""

    def to_dict(self) -> dict:
        """Plain JSON-ready dict."""
        out = dict(self.__dict__)
        out["aliases"], out["regions"] = list(self.aliases), list(self.regions)
        return out


def _split(value) -> tuple[str, ...]:
    return tuple(part for part in str(value or "").split(";") if part)


class CityRegister:
    """All cities, with lookup by AGS, name, alias or slug."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._cities = {ags: _city_from_row(ags, row) for ags, row in frame.iterrows()}
        self._keys = _lookup_keys(self._cities.values())

    def __len__(self) -> int:
        return len(self._cities)

    def __iter__(self):
        return iter(self._cities.values())

    def __contains__(self, name_or_ags: str) -> bool:
        return self.find(name_or_ags) is not None

    def find(self, name_or_ags: str) -> City | None:
        """The matching city, or None."""
        text = str(name_or_ags).strip()
        if text.isdigit() and len(text) <= 8:
            return self._cities.get(text.zfill(8))
        for fold in (False, True):
            ags = self._keys.get(normalise_name(text, fold_umlauts=fold))
            if ags:
                return self._cities[ags]
        return None

    def get(self, name_or_ags: str) -> City:
        """The matching city; ``UnknownCity`` with "did you mean …" suggestions otherwise."""
        city = self.find(name_or_ags)
        if city is None:
            raise UnknownCity(self._unknown_message(str(name_or_ags)))
        return city

    def suggestions(self, text: str, *, n: int = 3) -> list[str]:
        """Bitkom names of the cities whose names or aliases are closest to *text*."""
        close = difflib.get_close_matches(normalise_name(text), list(self._keys), n=n * 3, cutoff=0.6)
        names = [self._cities[self._keys[key]].name for key in close]
        return list(dict.fromkeys(names))[:n]

    def filter(self, *, state: str | None = None, region: str | None = None,
               size_class: str | None = None) -> list[City]:
        """Cities matching every given tag; *state* is a name or a two-letter code."""
        cities = list(self)
        if state:
            code = _state_code(state)
            cities = [c for c in cities if c.state_code == code]
        if region:
            if region not in REGIONS:
                raise CityIndexError(f"Unknown region {region!r}; known regions: {', '.join(REGIONS)}.")
            cities = [c for c in cities if region in c.regions]
        if size_class:
            if size_class not in SIZE_CLASSES:
                raise CityIndexError(f"Unknown size class {size_class!r}; use one of {', '.join(SIZE_CLASSES)}.")
            cities = [c for c in cities if c.size_class == size_class]
        return cities

    def _unknown_message(self, text: str) -> str:
        hint = self.suggestions(text)
        tail = f" Did you mean {', '.join(hint)}?" if hint else " Run `cityindex cities` for the list."
        return f"Unknown city {text!r}: no city of the register has that name, alias or AGS.{tail}"


def _state_code(state: str) -> str:
    text = state.strip()
    if text.upper() in STATE_CODES.values():
        return text.upper()
    for name, code in STATE_CODES.items():
        if normalise_name(name) == normalise_name(text):
            return code
    raise CityIndexError(f"Unknown state {state!r}; use a name or one of {', '.join(STATE_CODES.values())}.")


def _city_from_row(ags: str, row: pd.Series) -> City:
    return City(
        ags=ags, name=row["name"], slug=row["slug"], official_name=row["official_name"],
        destatis_name=row["destatis_name"], aliases=_split(row["aliases"]), state=row["state"],
        state_code=row["state_code"], population=int(row["population"]),
        population_date=row["population_date"], area_km2=float(row["area_km2"]),
        lat=float(row["lat"]), lon=float(row["lon"]), regions=_split(row["regions"]),
        size_class=row["size_class"], note=row["note"] or "",
    )


def _lookup_keys(cities) -> dict[str, str]:
    keys: dict[str, str] = {}
    for city in cities:
        for label in (city.name, city.official_name, city.destatis_name, city.slug, *city.aliases):
            for fold in (False, True):
                keys.setdefault(normalise_name(label, fold_umlauts=fold), city.ags)
    return keys


def read_register(path: Path = REGISTER_CSV) -> pd.DataFrame:
    """The register CSV as a DataFrame indexed by AGS (8-digit strings)."""
    frame = pd.read_csv(path, dtype={"ags": str, "aliases": str, "regions": str, "note": str},
                        keep_default_na=False, na_values={"population": [""], "area_km2": [""]})
    frame = frame.set_index("ags")
    if not frame.index.is_unique:
        raise CityIndexError(f"{path}: column ags has duplicate values; each AGS must appear once.")
    return frame


@lru_cache(maxsize=1)
def load_register() -> CityRegister:
    """The bundled city register (cached)."""
    return CityRegister(read_register())
