"""The open series: one dated version per year of every open source, and the values they give.

A history folder is laid out like the compiler's ``open-history/``::

    MANIFEST.csv            year, source_repo, path, commit, commit_date, bytes, sha256, licence, note
    EXTRACTS.csv            (optional) per-city extracts of large files: file, origin_sha256, sha256 …
    derived/*.csv           facts read from files that are not redistributed (lab flags, node counts)
    <year>/<owner>__<repo>__<path with / as __>

A MANIFEST row is a copied file (with its sha256), an ``ABSENT: …`` row (the source had no version
that year; its parameters are unknown that year, with that note) or a ``NOT COPIED …`` row (facts
kept in ``derived/``). Loading a file checks its sha256 against the manifest — or, for an extract,
against EXTRACTS.csv, whose origin sha256 must be the manifest's. ``rebuild_year`` runs the same
connectors as the open pilot on one year's files (each connector handles its source's schema
drift) and returns one row per city and series parameter; a value no file gives stays empty.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from cityindex.connectors.base import (VALUE_COLUMNS, Assignment, ChecksumMismatch, Source, format_errors,
                                       frame_values, github_blob_url, index_cities)
from cityindex.errors import CityIndexError

#: The parameters of the series, in the order of the compiler's facts_by_year.csv.
SERIES_PARAMETERS = (
    "gbfs_feeds_city", "freifunk_directory_entry", "freifunk_nodes_stated", "oklab_active", "oklab_any",
    "mpsc_funded", "opendata_listed_odg", "govdata_publishers_mdk", "onleihe_public_library",
    "charging_points_2019", "charging_points_per_1000_2019", "fast_charging_devices_2019",
    "bba_gigabit_hh", "bba_ftthb_hh", "bba_100_hh", "bba_gigabit_business", "bba_5g_residential",
    "parking_realtime_parkendd", "opendata_portal_ogeo", "geoportal_ogeo",
)
MANIFEST_COLUMNS = ["year", "source_repo", "path", "commit", "commit_date", "bytes", "sha256", "licence", "note"]


class HistoryFolderError(CityIndexError):
    """The folder is not laid out like open-history/ (year folders, MANIFEST.csv, derived/)."""


@dataclass(frozen=True)
class VersionFile:
    """One copied file version: where it lies and which repository, path and commit it is."""

    path: Path
    repo: str
    source_path: str
    commit: str
    commit_date: str
    licence: str
    note: str
    sha256: str

    @property
    def url(self) -> str:
        return github_blob_url(self.repo, self.commit, self.source_path)

    def read(self) -> bytes:
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ChecksumMismatch(f"{self.path}: sha256 differs from MANIFEST.csv (and EXTRACTS.csv); "
                                   "the file is not the version the manifest names — copy it again.")
        return data


def file_name(repo: str, path: str) -> str:
    """``owner/repo`` + ``a/b.csv`` → ``owner__repo__a__b.csv`` (the folder's naming rule)."""
    return f"{repo.replace('/', '__')}__{path.replace('/', '__')}"


@dataclass
class YearFiles:
    """The manifest rows and files of one year."""

    root: Path
    year: int
    rows: pd.DataFrame
    extracts: dict[str, tuple[str, str]] = field(default_factory=dict)  # file -> (origin sha256, sha256)

    @property
    def cutoff(self) -> str:
        """The selection date of the year's versions (1 July)."""
        return f"{self.year}-07-01"

    def _version(self, row) -> VersionFile:
        name = file_name(row.source_repo, row.path)
        label = f"{self.year}/{name}"
        sha = row.sha256
        if label in self.extracts:
            origin, extract = self.extracts[label]
            if origin != row.sha256:
                raise ChecksumMismatch(f"EXTRACTS.csv: {label} is an extract of another file than MANIFEST.csv "
                                       "names (origin sha256 differs).")
            sha = extract
        return VersionFile(self.root / str(self.year) / name, row.source_repo, row.path, row.commit,
                           row.commit_date, row.licence, row.note, sha)

    def _copied(self) -> pd.DataFrame:
        return self.rows[(self.rows.sha256 != "") & ~self.rows.note.str.startswith("NOT COPIED")]

    def file(self, repo: str, path: str) -> VersionFile | None:
        """The copied version of ``repo/path`` this year, or None."""
        rows = self._copied()
        hit = rows[(rows.source_repo == repo) & (rows.path == path)]
        return self._version(next(hit.itertuples())) if len(hit) else None

    def files(self, repo: str, prefix: str = "") -> list[VersionFile]:
        """Every copied version of the repository this year whose path starts with *prefix*."""
        rows = self._copied()
        hit = rows[(rows.source_repo == repo) & rows.path.str.startswith(prefix)]
        return [self._version(r) for r in hit.itertuples()]

    def listed(self, repo: str, prefix: str = "") -> pd.DataFrame:
        """Manifest rows of the repository this year (copied, absent or not copied)."""
        return self.rows[(self.rows.source_repo == repo) & self.rows.path.str.startswith(prefix)]

    def absent(self, repo: str, prefix: str = "") -> str:
        """The ``ABSENT`` note of the repository (and path) this year, without the prefix; '' if none."""
        rows = self.listed(repo, prefix)
        notes = rows.note[rows.note.str.startswith("ABSENT")]
        return notes.iloc[0].removeprefix("ABSENT:").strip() if len(notes) else ""

    def derived(self, name: str) -> pd.DataFrame:
        """The year's rows of ``derived/<name>`` (empty when the file has none)."""
        path = self.root / "derived" / name
        if not path.is_file():
            raise HistoryFolderError(f"{path}: no such file; the history folder needs derived/{name}.")
        frame = _read_csv(path)
        return frame[frame.year == str(self.year)].reset_index(drop=True)


def _read_csv(path: Path) -> pd.DataFrame:
    with format_errors(path, "a CSV file of the history folder"):
        return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass
class History:
    """A history folder: its manifest, extracts and years."""

    root: Path

    @cached_property
    def manifest(self) -> pd.DataFrame:
        path = self.root / "MANIFEST.csv"
        if not path.is_file():
            raise HistoryFolderError(f"{self.root}: no MANIFEST.csv; give a folder laid out like open-history/ "
                                     "(MANIFEST.csv, derived/, one folder per year).")
        frame = _read_csv(path)
        missing = [c for c in MANIFEST_COLUMNS if c not in frame.columns]
        if missing:
            raise HistoryFolderError(f"{path}: missing columns {', '.join(missing)}.")
        return frame

    @cached_property
    def extracts(self) -> dict[str, tuple[str, str]]:
        path = self.root / "EXTRACTS.csv"
        if not path.is_file():
            return {}
        frame = _read_csv(path)
        return {r.file: (r.origin_sha256, r.sha256) for r in frame.itertuples()}

    @property
    def years(self) -> list[int]:
        """Years that have a folder and manifest rows, ascending."""
        listed = set(self.manifest.year)
        return sorted(int(p.name) for p in self.root.iterdir() if p.is_dir() and p.name in listed)

    def year(self, year: int) -> YearFiles:
        if year not in self.years:
            raise HistoryFolderError(f"{self.root}: no folder and manifest rows for {year}; years: "
                                     f"{', '.join(map(str, self.years)) or 'none'}.")
        rows = self.manifest[self.manifest.year == str(year)].reset_index(drop=True)
        return YearFiles(self.root, year, rows, self.extracts)


# --- unknown values ------------------------------------------------------------------------


def unknown(parameters, source: Source, note: str, *, source_url: str = "") -> Assignment:
    """One empty value per city and parameter, with the reason in the note (never a guessed value)."""
    rows = [{"ags": ags, "parameter": p, "value": "", "note": note}
            for p in parameters for ags in index_cities().ags]
    return Assignment(frame_values(rows, source, source_url=source_url or source.url, licence=source.licence))


# --- the year's values ---------------------------------------------------------------------


@dataclass
class YearValues:
    """All values of one year (one row per city and series parameter) plus what was left unassigned."""

    year: int
    values: pd.DataFrame
    unassigned: dict[str, pd.DataFrame] = field(default_factory=dict)


def rebuild_year(history: History | Path, year: int, *, progress=None) -> YearValues:
    """Run every connector on the year's files; *progress* is called with the source key after each."""
    from cityindex.connectors.registry import SOURCES
    from cityindex.connectors.series_steps import STEPS

    history = history if isinstance(history, History) else History(Path(history))
    files = history.year(year)
    frames, unassigned = [], {}
    for key, step in STEPS.items():
        with format_errors(f"{history.root}/{year} ({key})", SOURCES[key].title):
            result = step(files)
        frames.append(result.values)
        unassigned[key] = result.unassigned
        if progress:
            progress(key)
    values = _complete(pd.concat(frames, ignore_index=True)[VALUE_COLUMNS])
    order = {p: i for i, p in enumerate(SERIES_PARAMETERS)}
    values = values.sort_values("parameter", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return YearValues(year, values, unassigned)


def _complete(values: pd.DataFrame) -> pd.DataFrame:
    """Series parameters only, with an empty row for every city a source says nothing about."""
    values = values[values.parameter.isin(SERIES_PARAMETERS)]
    grid = pd.MultiIndex.from_product([SERIES_PARAMETERS, index_cities().ags], names=["parameter", "ags"])
    have = pd.MultiIndex.from_frame(values[["parameter", "ags"]])
    missing = grid.difference(have).to_frame(index=False)
    if missing.empty:
        return values
    names = index_cities().set_index("ags")["name"]
    filler = missing.assign(city=missing.ags.map(names), value="", unit="", as_of="", source_name="",
                            source_url="", licence="", note="no entry for the city in the source")
    return pd.concat([values, filler[VALUE_COLUMNS]], ignore_index=True)


def rebuild_series(history: History | Path, *, years: list[int] | None = None, progress=None) -> dict[int, YearValues]:
    """``rebuild_year`` for every year of the folder (or the given ones), ascending."""
    history = history if isinstance(history, History) else History(Path(history))
    return {year: rebuild_year(history, year, progress=progress) for year in (years or history.years)}
