"""The open series in the store: ``open-2019`` … ``open-2025`` from the dated source versions, and
the open edition ``open-2026``, each naming the year before as its previous edition.

The years before the open edition use the series methodology (``data/methodologies/open-series.yaml``)
and the data points bundled in ``data/open_series/datapoints.csv.gz``, which ``write_bundle`` rebuilds
from a history folder (``cityindex.connectors.history``). ``build_series`` creates each edition (or
moves a draft to the bundled methodology version), imports through the importer and scores it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cityindex.errors import CityIndexError
from cityindex.published import Note

PREFIX = "open-"
FIRST_YEAR = 2019
BY = "cityindex open series"


def series_key(year: int) -> str:
    return f"{PREFIX}{year}"


def series_year(key: str) -> int | None:
    """2021 for ``open-2021``; None for any other key."""
    match = re.fullmatch(rf"{PREFIX}((?:19|20)\d\d)", key)
    return int(match.group(1)) if match else None


def pilot_year() -> int:
    from cityindex.connectors.open_pilot import EDITION_KEY

    return series_year(EDITION_KEY)


def methodology_path() -> Path:
    from cityindex.paths import METHODOLOGY_DIR

    return METHODOLOGY_DIR / "open-series.yaml"


def bundle_path() -> Path:
    from cityindex.paths import OPEN_SERIES_DIR

    return OPEN_SERIES_DIR / "datapoints.csv.gz"


def title(year: int, lang: str = "en") -> str:
    """The title of the series edition of *year* (the store keeps the English one)."""
    if lang == "de":
        return f"Offene Reihe {year} (offene Register, 1. Juli {year})"
    return f"Open series {year} (open registers, 1 July {year})"


def note(year: int) -> Note:
    return Note(
        year,
        f"Offene Reihe {year}: von cityindex aus den Fassungen offener Register vom 1. Juli {year} berechnet; "
        "ein Parameter ohne Fassung in diesem Jahr ist unbekannt und fehlt in der Wertung. Keine Bitkom-Methode.",
        f"Open series {year}: computed by cityindex from the versions of open registers as of 1 July {year}; "
        "a parameter without a version that year is unknown and left out. Not a Bitkom method.",
    )


# --- the bundle ----------------------------------------------------------------------------


def bundle_frames(history_dir: Path, *, years: list[int] | None = None, progress=None) -> dict[int, pd.DataFrame]:
    """Data points (known values only, importer format) of every year before the open edition (or *years*)."""
    from cityindex.connectors.history import History, rebuild_series
    from cityindex.connectors.open_pilot import bundle_frame

    history = History(Path(history_dir))
    years = years or [y for y in history.years if y < pilot_year()]
    return {y: bundle_frame(v.values) for y, v in rebuild_series(history, years=years, progress=progress).items()}


def write_bundle(history_dir: Path, path: Path | None = None) -> Path:
    """Rebuild the series' data points from *history_dir* and write the gzipped bundle."""
    path = path or bundle_path()
    frames = [f.assign(edition=series_key(y)) for y, f in bundle_frames(history_dir).items()]
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[["edition", *[c for c in frame.columns if c != "edition"]]]
    frame.to_csv(path, index=False, lineterminator="\n", compression={"method": "gzip", "mtime": 0})
    return path


def read_bundle(path: Path | None = None) -> dict[int, pd.DataFrame]:
    """The bundled data points per year (strings; AGS zero-padded)."""
    frame = pd.read_csv(path or bundle_path(), dtype=str, keep_default_na=False)
    return {series_year(key): part.drop(columns="edition").reset_index(drop=True)
            for key, part in frame.groupby("edition", sort=True)}


# --- the store -----------------------------------------------------------------------------


def _version(text: str | None) -> tuple:
    try:
        return tuple(int(part) for part in str(text).split("."))
    except ValueError:
        return ()


def ensure_edition(store, key: str, methodology, *, title: str, previous: str | None, by: str) -> None:
    """Create the draft edition, or move an existing draft to a newer version of its methodology.

    An older version's Results stay in the store (``result_history``). A stored methodology of the
    same or a newer version that differs from *methodology* is not overwritten: that is an error.
    """
    from cityindex.store import EditionExists, create_edition, edition_info, set_methodology

    try:
        create_edition(store, key, methodology, title=title, previous=previous, by=by)
        return
    except EditionExists:
        info = edition_info(store, key)
    if info.methodology_hash == methodology.hash:
        if previous and info.previous_key != previous and not info.locked:
            set_methodology(store, key, methodology, previous=previous)
        return
    if info.locked or _version(info.methodology_version) >= _version(methodology.version):
        raise CityIndexError(
            f"Edition {key!r} in the store was created with another version of its methodology "
            f"(stored {info.methodology_version} {info.methodology_hash[:12]}, bundled {methodology.version} "
            f"{methodology.hash[:12]}); revise it under a new key (`cityindex edition revise {key} NEW_KEY`) "
            "or use a fresh database.")
    set_methodology(store, key, methodology, previous=previous)


def import_and_score(store, key: str, frame: pd.DataFrame, *, by: str, reason: str, source: str):
    """Import *frame* into the edition through the importer (all or nothing) and score it."""
    from cityindex.io.importer import import_frame
    from cityindex.store import score_edition

    report = import_frame(store, frame.drop(columns=["city_name"], errors="ignore"), edition=key, by=by,
                          reason=reason, source=source)
    if not report.valid:
        problems = "; ".join(str(issue) for issue in report.errors[:5])
        raise CityIndexError(f"{key}: import failed, nothing written: {problems}")
    return score_edition(store, key)


def stored_keys(store) -> set[str]:
    from cityindex.store import list_editions

    return {info.key for info in list_editions(store)}


def build_year(store, year: int, frame: pd.DataFrame, *, by: str = BY, source: str = "open_series/datapoints.csv.gz"):
    """Create (or refresh) ``open-<year>`` with the series methodology, import *frame*, score it."""
    from cityindex.methodology import load_methodology

    key = series_key(year)
    previous = series_key(year - 1) if series_key(year - 1) in stored_keys(store) else None
    ensure_edition(store, key, load_methodology(methodology_path()), title=title(year), previous=previous, by=by)
    return import_and_score(store, key, frame, by=by, reason=f"open series {year}", source=source)


def build_series(store, *, frames: dict[int, pd.DataFrame] | None = None, pilot: bool = True, by: str = BY,
                 progress=None) -> dict[str, object]:
    """Build the years (bundled data points, or *frames* by year) in ascending order, then the open
    edition with the year before it as previous (*pilot*). Returns the Results by edition key."""
    from cityindex.connectors.open_pilot import EDITION_KEY, build_open_pilot

    frames = frames if frames is not None else read_bundle()
    results = {}
    for year in sorted(frames):
        if year == pilot_year():
            continue
        results[series_key(year)] = build_year(store, year, frames[year], by=by)
        if progress:
            progress(series_key(year))
    if pilot:
        results[EDITION_KEY] = build_open_pilot(store, by=by)
        if progress:
            progress(EDITION_KEY)
    return results


def ensure_series(store) -> list[str]:
    """Build what the store lacks of the bundled series and the open edition (on first use of a store):
    a missing or uncomputed year, an open edition that is missing, uncomputed, on an older methodology
    version or without its previous edition. Frozen and published editions are left as they are.
    Returns the keys built."""
    from cityindex.connectors.open_pilot import EDITION_KEY, build_open_pilot, methodology_path as pilot_path
    from cityindex.methodology import load_methodology
    from cityindex.store import list_editions

    infos = {info.key: info for info in list_editions(store)}
    frames = read_bundle()
    built = []
    for year in sorted(frames):
        info = infos.get(series_key(year))
        if info is None or (info.computed_at is None and not info.locked):
            build_year(store, year, frames[year])
            built.append(series_key(year))
    pilot = infos.get(EDITION_KEY)
    bundled = load_methodology(pilot_path())
    stale = pilot is not None and not pilot.locked and (
        pilot.computed_at is None or bool(built) or pilot.previous_key is None
        or (pilot.methodology_hash != bundled.hash and _version(pilot.methodology_version) < _version(bundled.version)))
    if pilot is None or stale:
        build_open_pilot(store)
        built.append(EDITION_KEY)
    return built


def lacking_note(view) -> Note | None:
    """A caveat naming the scored parameters without any data point in the edition (None: none lacks)."""
    codes = view.lacking
    if not codes:
        return None
    names = {code: view.methodology.parameters[code] for code in codes}
    de = "; ".join(names[c].name_de for c in codes)
    en = "; ".join(names[c].name_en for c in codes)
    return Note(view.year, f"Ohne Daten in dieser Ausgabe (keine Fassung der Quelle), daher nicht gewertet: {de}.",
                f"No data in this edition (no version of the source), so not scored: {en}.")


def credit_note(view) -> Note | None:
    """The credit the Breitbandatlas terms ask for, on every edition that shows Breitbandatlas values."""
    from cityindex.connectors.breitbandatlas import CREDIT

    data = view.datapoints
    if data is None or not data["source_name"].astype(str).str.startswith("Breitbandatlas").any():
        return None
    return Note(view.year, f"Breitbandatlas-Werte: „{CREDIT}“ (Bundesnetzagentur); Auszüge der Städte, unverändert.",
                f"Breitbandatlas values: \"{CREDIT}\" (Bundesnetzagentur); the cities' rows, unchanged.")
