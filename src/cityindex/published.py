"""Published Bitkom Smart City Index results (2019–2025), every number with its source.

The bundled CSVs in ``data/published`` hold what public sources showed (see its
SOURCES.md). Nothing here is filled in, interpolated or recomputed: a rank, score or
Tendenz that no source gave stays missing (``<NA>``), and the 2022 area tables whose area
could not be identified stay in their own frame (``unassigned``, tables B–E).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from cityindex.cities import load_register
from cityindex.errors import DataFileError, UnknownEdition, UnknownScope
from cityindex.paths import PUBLISHED_DIR

#: Number of cities ranked in each published edition (Bitkom).
EDITION_SIZES = {2019: 81, 2020: 81, 2021: 81, 2022: 81, 2023: 81, 2024: 82, 2025: 83}

SCOPES = ("overall", "verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft")

# Bitkom's German area names and their English names (docs/published.md lists both).
_SCOPE_NAMES = {
    "overall": ("Gesamt", "Overall"),
    "verwaltung": ("Verwaltung", "Administration"),
    "it_kommunikation": ("IT und Kommunikation", "IT and communication"),
    "energie_umwelt": ("Energie und Umwelt", "Energy and environment"),
    "mobilitaet": ("Mobilität", "Mobility"),
    "gesellschaft": ("Gesellschaft", "Society"),
}

FIELDS = ("rank", "score", "rank_change")


def scope_names(scope: str, *, year: int | None = None) -> dict[str, str]:
    """German and English display names of a scope (``gesellschaft`` grew "und Bildung" in 2023)."""
    if scope not in _SCOPE_NAMES:
        raise UnknownScope(f"Unknown area {scope!r}; use one of {', '.join(SCOPES)}.")
    de, en = _SCOPE_NAMES[scope]
    if scope == "gesellschaft" and (year or 0) >= 2023:
        de, en = "Gesellschaft und Bildung", "Society and education"
    return {"de": de, "en": en}


@dataclass(frozen=True)
class Note:
    """A caveat about published numbers, in German and English; city/scope None = whole edition.
    ``cities``: the cities a note about several of them names (a city's story shows it only to them)."""

    edition: int
    de: str
    en: str
    city: str | None = None
    scope: str | None = None
    cities: tuple[str, ...] = ()

    def text(self, lang: str = "de") -> str:
        return self.de if lang == "de" else self.en


NOTES = (
    Note(2019, "Plätze 4–7 und 10 stammen aus der Reihenfolge einer Presseliste (notebookcheck.com).",
         "Ranks 4–7 and 10 come from the order of a press list (notebookcheck.com)."),
    Note(2020, "Darmstadt 2020: 71,7 Punkte (property-magazine, wll.news) gegen 71,0 (beesmart.city); 71,7 verwendet.",
         "Darmstadt 2020: 71.7 points (property-magazine, wll.news) vs 71.0 (beesmart.city); 71.7 used.",
         city="Darmstadt", scope="overall"),
    Note(2021, "Oberhausens Gesamtplatz 2021 nennt keine Quelle; die Tendenz +13 von 2022 deutet auf Platz 65, der nicht eingetragen ist.",
         "No source states Oberhausen's 2021 overall rank; the 2022 rank change +13 implies 65, which is not recorded.",
         city="Oberhausen", scope="overall"),
    Note(2022, "Die Bitkom-Tabelle Verwaltung, Plätze 41–50, ist erschlossen (mittlere Sicherheit); Verwaltung 61–70 fehlt.",
         "The Bitkom Administration table, ranks 41–50, is inferred (medium confidence); Administration 61–70 is missing.",
         scope="verwaltung"),
    Note(2022, "Vier Bitkom-Bereichstabellen (B–E, Plätze 41–50 und 61–70) sind keinem Bereich sicher zuzuordnen und bleiben unzugeordnet.",
         "Four Bitkom area tables (B–E, ranks 41–50 and 61–70) cannot be assigned to an area with certainty and stay unassigned."),
    Note(2022, "München IT 2022: Platz 1 mit 87,5 laut Stadt, doch die Bitkom-Tendenz 2023 impliziert Platz 2; ungeklärt.",
         "München IT and communication 2022: rank 1 with 87.5 per the city, but Bitkom's 2023 rank change implies rank 2; unresolved.",
         city="München", scope="it_kommunikation"),
    Note(2022, "Göttingen 42, Rostock 71, Erfurt 81 sind „vorher“-Werte aus einem Artikel von 2023; Göttingen 42 widerspricht dem Mittelwert seiner Bereichswerte.",
         "Göttingen 42, Rostock 71 and Erfurt 81 are 'previous' values from a 2023 article; Göttingen 42 conflicts with the mean of its area scores.",
         scope="overall", cities=("Göttingen", "Rostock", "Erfurt")),
    Note(2023, "Oberhausen 2023: Platz 57 (radiooberhausen.de, spd-oberhausen.de) gegen 56 (NRZ); 57 verwendet.",
         "Oberhausen 2023: rank 57 (radiooberhausen.de, spd-oberhausen.de) vs 56 (NRZ); 57 used.",
         city="Oberhausen", scope="overall"),
    Note(2023, "Tendenzwerte 2023 können auf einer neu berechneten Basis 2022 beruhen (Methodenwechsel).",
         "2023 rank changes may rest on a recomputed 2022 base (method change)."),
    Note(2024, "Plätze 1–4 mit Punkten, weitere Plätze verstreut und meist ohne Punkte.",
         "Ranks 1–4 with scores; other ranks scattered and mostly without scores."),
    Note(2025, "Nur Plätze, keine Punktwerte; Salzgitter, Remscheid, Cottbus sind die letzten drei (Reihenfolge unbekannt, nicht eingetragen).",
         "Ranks only, no scores; Salzgitter, Remscheid and Cottbus are the bottom three (order unknown, not recorded)."),
)


def edition_notes(year: int, *, city: str | None = None) -> tuple[Note, ...]:
    """Notes for an edition: general ones plus, given a Bitkom city name, that city's."""
    return tuple(n for n in NOTES if n.edition == year and n.city in (None, city))


@dataclass(frozen=True)
class PublishedData:
    """All published numbers: ``results`` (one row per edition, city, scope), ``unassigned``, ``provenance``."""

    results: pd.DataFrame
    unassigned: pd.DataFrame
    provenance: pd.DataFrame

    def edition(self, year: int) -> pd.DataFrame:
        """The rows of one edition."""
        if year not in EDITION_SIZES:
            raise UnknownEdition(f"No published edition {year}; published: {', '.join(map(str, EDITION_SIZES))}.")
        return self.results[self.results["edition"] == year].reset_index(drop=True)


def _read_csv(name: str) -> pd.DataFrame:
    path = PUBLISHED_DIR / name
    if not path.exists():
        raise DataFileError(f"Bundled file {path} is missing; reinstall cityindex.")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _to_int(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.replace("", None), errors="raise").astype("Int64")


def _to_float(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.replace("", None), errors="raise").astype("Float64")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Edition as int, rank and Tendenz as nullable ints (``+13`` → 13), score as nullable float."""
    return frame.assign(edition=frame["edition"].astype(int), rank=_to_int(frame["rank"]),
                        score=_to_float(frame["score"]), rank_change=_to_int(frame["rank_change"].str.lstrip("+")))


def _with_ags(frame: pd.DataFrame) -> pd.DataFrame:
    register = load_register()
    ags = frame["city"].map(lambda name: register.get(name).ags)
    return frame.assign(ags=ags)


def _read_provenance() -> pd.DataFrame:
    prov = _read_csv("provenance.csv")
    prov["edition"] = prov["edition"].astype(int)
    return prov


def _sources(prov: pd.DataFrame) -> pd.DataFrame:
    """Wide source columns (first-listed URL per field) and all URLs per row."""
    keys = ["edition", "city", "scope"]
    first = prov.drop_duplicates(keys + ["field"]).pivot(index=keys, columns="field", values="source")
    first = first.reindex(columns=list(FIELDS)).add_suffix("_source")
    every = prov.groupby(keys)["source"].agg(lambda s: tuple(dict.fromkeys(s)))
    return first.join(every.rename("sources")).reset_index()


def _read_results(prov: pd.DataFrame) -> pd.DataFrame:
    frames = [_read_csv(f"results_{year}.csv") for year in EDITION_SIZES]
    res = _typed(pd.concat(frames, ignore_index=True))
    res = res.merge(_sources(prov), on=["edition", "city", "scope"], how="left", validate="1:1")
    res["source"] = res["rank_source"].fillna(res["score_source"]).fillna(res["rank_change_source"])
    return _with_ags(res)


def _read_unassigned() -> pd.DataFrame:
    return _with_ags(_typed(_read_csv("tables_2022_unassigned.csv")))


@lru_cache(maxsize=1)
def load_published() -> PublishedData:
    """The bundled published results (cached)."""
    prov = _read_provenance()
    return PublishedData(results=_read_results(prov), unassigned=_read_unassigned(), provenance=prov)
