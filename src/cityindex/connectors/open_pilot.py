"""The open pilot edition ``open-2026``: rebuild its data points from the raw source files.

``rebuild_values(raw_dir)`` parses and assigns the registers whose raw files are kept (GBFS
catalogue, freifunk.net directory, opendata.guru list, Musterdatenkatalog, onbibdb,
Ladesäulenregister 2019, Breitbandatlas mid-2021, ParkAPI city files and source table, OpenGeoEdu
portal list) and adds the three curated lists kept as side files (Code for Germany lab flags,
Freifunk node counts, Modellprojekte Smart Cities). The result is one row per city and parameter
with provenance — the content of ``data/open_pilot/datapoints.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cityindex.errors import CityIndexError
from cityindex.published import Note

from cityindex.connectors import (breitbandatlas, codefor, freifunk, gbfs, ladesaeulen, mpsc, musterdatenkatalog,
                                  onleihe, opendata_guru, opengeoedu, parkapi)
from cityindex.connectors.base import VALUE_COLUMNS, format_errors, github_blob_url
from cityindex.connectors.registry import SOURCES

#: Raw files of the open pilot: source key -> (file name, repository commit, as_of).
RAW_FILES = {
    "gbfs": ("MobilityData__gbfs__systems.csv", "2d9ecb543f0fcb5d3394487e7ae9fef589cfb6cb", "2026-07-21"),
    "freifunk": ("freifunk__directory.api.freifunk.net__directory.json",
                 "a37bf44dc24b13fcdfb34ba6ea83ae377ef35b34", "2026-08-21"),
    "opendata-guru": ("opendata-guru__data-portallist-de__dist__opendataportals.csv",
                      "28b64484c8e83a730e75502d9588874a285b1fe2", "2023-02-06"),
    "musterdatenkatalog": ("bertelsmannstift__Musterdatenkatalog-V4__data__raw__2024_08_20_cities_1310_v5.csv",
                           "b837c7ec053258facd722b17cbab833e45bc293c", "2024-08-20"),
    "onleihe": ("natowi__onbibdb__onbibdb-source__onbibdb19.csv", "42d00aaa7ea140a240c691608a6bc9e9c61772a7", ""),
    "ladesaeulen": ("OpenChargingCommunity__WWCP_BNetzA__WWCP_BNetzA__Ladesaeulenregister__"
                    "Ladesaeulenkarte_Datenbankauszug_25__2019-07-19.xlsx", ladesaeulen.MIRROR_COMMIT, ""),
    "opengeoedu": ("opengeoedu__OpenDataPortal__data__portale_geocoded4.csv", opengeoedu.PILOT_COMMIT,
                   opengeoedu.PILOT_DATE),
    "parkapi": ("ParkenDD__parkapi-sources-v3__README.md", parkapi.V3_PILOT_COMMIT, parkapi.V3_PILOT_DATE),
}
#: Breitbandatlas files of mid-2021 (per-city extracts, see tests/data/connectors/README.md), named with "_2021".
BREITBANDATLAS_FILES = tuple(f"{breitbandatlas.DIR}{name}" for name in (
    "gemeinde_bezirke_privat_2021_mitte.csv", "gemeinde_bezirke_gewerbe_gwg_2021_mitte.csv",
    "landkreis_mobilfunk_stats_2021_1.csv"))
PARKAPI_GLOB = "offenesdresden__ParkAPI__park_api__cities__*.geojson"


@dataclass
class Rebuild:
    """All values of the open pilot plus what each source left unassigned."""

    values: pd.DataFrame
    unassigned: dict[str, pd.DataFrame] = field(default_factory=dict)


class RawFileMissing(CityIndexError):
    """A raw source file of the open pilot is missing; pass the directory that holds all of them."""


def _read(raw_dir: Path, key: str) -> bytes:
    path = Path(raw_dir) / RAW_FILES[key][0]
    if not path.is_file():
        raise RawFileMissing(f"{path}: no such file; --raw must be the directory with the open pilot's raw "
                             f"files ({', '.join(name for name, _, _ in RAW_FILES.values())}).")
    return path.read_bytes()


#: The sources of the open pilot, in the order they are rebuilt (and listed on the website).
SOURCE_KEYS = ("gbfs", "freifunk", "freifunk-nodes", "codefor", "mpsc", "opendata-guru",
               "musterdatenkatalog", "onleihe", "ladesaeulen", "breitbandatlas", "parkapi", "opengeoedu")


def _read_named(raw_dir: Path, name: str) -> bytes:
    path = Path(raw_dir) / name
    if not path.is_file():
        raise RawFileMissing(f"{path}: no such file; --raw must be the directory with the open pilot's raw files.")
    return path.read_bytes()


def _breitbandatlas(raw_dir: Path):
    from cityindex.connectors.base import Assignment
    from cityindex.connectors.history import file_name

    frames = [breitbandatlas.assign_file(_read_named(raw_dir, file_name(breitbandatlas.REPO, path)), path,
                                         suffix="_2021").values for path in BREITBANDATLAS_FILES]
    return Assignment(pd.concat(frames, ignore_index=True))


def _parkapi(raw_dir: Path):
    _, commit, as_of = RAW_FILES["parkapi"]
    files = sorted(Path(raw_dir).glob(PARKAPI_GLOB))
    def city_file(path: Path) -> dict:
        source_path = f"{parkapi.CITIES_DIR}{parkapi.city_of_file(path.name)}.geojson"
        return {**parkapi.parse_city_file(path.read_bytes(), name=path.name), "date": parkapi.PILOT_DATE,
                "url": github_blob_url(parkapi.REPO, parkapi.PILOT_COMMIT, source_path)}

    city_files = [city_file(p) for p in files]
    table = parkapi.parse_sources_table(_read(raw_dir, "parkapi"))
    return parkapi.assign(city_files, table, table_url=github_blob_url(parkapi.V3_REPO, commit, parkapi.V3_PATH),
                          table_date=as_of)


def rebuild_steps(raw_dir: Path):
    """``(source key, callable -> Assignment)`` for every source of :data:`SOURCE_KEYS`, in that order."""
    def run(key, module):
        _, commit, as_of = RAW_FILES[key]
        return module.assign(module.parse(_read(raw_dir, key)), as_of=as_of, commit=commit)

    def run_onleihe():
        _, commit, _ = RAW_FILES["onleihe"]
        return onleihe.assign(onleihe.parse(_read(raw_dir, "onleihe")), commit=commit)

    def run_charging():
        rows, as_of = ladesaeulen.parse_xlsx_2019(_read(raw_dir, "ladesaeulen"))
        return ladesaeulen.assign_2019(rows, as_of=as_of)

    steps = {
        "gbfs": lambda: run("gbfs", gbfs),
        "freifunk": lambda: run("freifunk", freifunk),
        "freifunk-nodes": freifunk.stated_nodes,
        "codefor": lambda: codefor.assign(codefor.recorded_labs()),
        "mpsc": lambda: mpsc.assign(mpsc.recorded_selections()),
        "opendata-guru": lambda: run("opendata-guru", opendata_guru),
        "musterdatenkatalog": lambda: run("musterdatenkatalog", musterdatenkatalog),
        "onleihe": run_onleihe,
        "ladesaeulen": run_charging,
        "breitbandatlas": lambda: _breitbandatlas(raw_dir),
        "parkapi": lambda: _parkapi(raw_dir),
        "opengeoedu": lambda: run("opengeoedu", opengeoedu),
    }
    return [(key, steps[key]) for key in SOURCE_KEYS]


def rebuild_values(raw_dir: Path, *, progress=None) -> Rebuild:
    """Parse and assign every source; *progress* is called with the source key after each step."""
    frames, unassigned = [], {}
    for key, step in rebuild_steps(raw_dir):
        where = Path(raw_dir) / RAW_FILES[key][0] if key in RAW_FILES else f"side file of {key}"
        with format_errors(where, SOURCES[key].title):
            result = step()
        frames.append(result.values)
        unassigned[key] = result.unassigned
        if progress:
            progress(key)
    values = pd.concat(frames, ignore_index=True)[VALUE_COLUMNS]
    return Rebuild(values, unassigned)


# --- the bundled data points ---------------------------------------------------------------

#: Columns of ``data/open_pilot/datapoints.csv`` (the importer's long format; ``retrieved`` = as_of).
BUNDLE_COLUMNS = ["city", "city_name", "parameter", "value", "unit", "source_name", "source_url",
                  "retrieved", "licence", "note"]


def bundle_frame(values: pd.DataFrame) -> pd.DataFrame:
    """Known values only (an unknown value is not a data point) in the bundle's column order."""
    known = values[values.value.astype(str) != ""]
    frame = known.rename(columns={"ags": "city", "city": "city_name", "as_of": "retrieved"})
    return frame[BUNDLE_COLUMNS].reset_index(drop=True)


def write_bundle(raw_dir: Path, path: Path | None = None) -> Path:
    """Rebuild from *raw_dir* and write the bundled data points CSV (UTF-8, ``,``)."""
    from cityindex.paths import OPEN_PILOT_DIR

    path = path or OPEN_PILOT_DIR / "datapoints.csv"
    bundle_frame(rebuild_values(raw_dir).values).to_csv(path, index=False, lineterminator="\n")
    return path


def read_bundle(path: Path | None = None) -> pd.DataFrame:
    """The bundled data points of the open pilot (strings; AGS zero-padded)."""
    from cityindex.paths import OPEN_PILOT_DIR

    return pd.read_csv(path or OPEN_PILOT_DIR / "datapoints.csv", dtype=str, keep_default_na=False)


# --- the edition in the store --------------------------------------------------------------

EDITION_KEY = "open-2026"
EDITION_NOTE = Note(
    2026,
    "Offene Ausgabe 2026: von cityindex aus offen lizenzierten Registern berechnet (20 Parameter, davon 18 "
    "gewertet, 82 Städte), mit der neuesten Fassung jeder Quelle; keine Bitkom-Methode, mit dem Bitkom-Index "
    "nicht vergleichbar. Ein „nein“ heißt „nicht in diesem Register“. Breitbandatlas-Werte: "
    "„Breitbandatlas | Gigabit-Grundbuch“ (gigabitgrundbuch.bund.de), Stand Mitte 2021.",
    "Open edition 2026: computed by cityindex from openly licensed registers (20 parameters, 18 scored, "
    "82 cities), with the newest version of every source; not a Bitkom method and not comparable with the "
    "Bitkom index. A \"no\" means \"not in that register\". Breitbandatlas values: "
    "\"Breitbandatlas | Gigabit-Grundbuch\" (gigabitgrundbuch.bund.de), as of mid-2021.",
)


def methodology_path() -> Path:
    from cityindex.paths import METHODOLOGY_DIR

    return METHODOLOGY_DIR / f"{EDITION_KEY}.yaml"


def build_open_pilot(store, *, values: pd.DataFrame | None = None, by: str = "cityindex open pilot"):
    """Create (or refresh) the draft edition ``open-2026`` in *store*, import the bundled data
    points through the importer (same validation as any file) and score it. Returns the Result.

    The previous edition is ``open-2025`` when the store has it (``cityindex.series.build_series``
    builds the years before). A draft created with an older version of the methodology moves to the
    bundled version; the earlier Result stays in the store's history. *values* replaces the bundle
    (e.g. a fresh ``bundle_frame(rebuild_values(raw).values)``). Raises ``CityIndexError`` when the
    edition is frozen or published, when it was created with another methodology of the same or a
    newer version, or when the import finds an error (nothing is written then).
    """
    from cityindex.methodology import load_methodology
    from cityindex.series.build import ensure_edition, import_and_score, series_key, series_year, stored_keys

    methodology = load_methodology(methodology_path())
    before = series_key(series_year(EDITION_KEY) - 1)
    previous = before if before in stored_keys(store) else None
    ensure_edition(store, EDITION_KEY, methodology, title=str(methodology.title), previous=previous, by=by)
    frame = read_bundle() if values is None else values
    return import_and_score(store, EDITION_KEY, frame, by=by, reason="open pilot data points (bundled)",
                            source="open_pilot/datapoints.csv")


def score_open_pilot(store):
    """Score the edition with ``cityindex.engine.score`` via ``store.score_edition`` (the Result is stored)."""
    from cityindex.store import score_edition

    return score_edition(store, EDITION_KEY)


@lru_cache(maxsize=1)
def open_pilot_result():
    """The ``open-2026`` Result computed offline from the bundled data points (no store needed).

    The same ``cityindex.engine.score`` call as the store path; a test checks both agree. Use it
    where no store is configured (e.g. ``EditionView.from_result(open_pilot_result(), ...)``).
    """
    from cityindex.engine import score
    from cityindex.methodology import load_methodology

    return score(load_methodology(methodology_path()), read_bundle())
