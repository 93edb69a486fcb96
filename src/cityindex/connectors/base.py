"""What every connector shares: the source description, download with cache and provenance
sidecar, the index-city list, and the result of assigning rows to cities.

A connector module has three steps with the same shape:

* ``download(...) -> Snapshot`` — fetch the file over HTTP (httpx, timeout, retries) into the
  cache ``<cache>/<publisher>/<YYYY-MM-DD>/<file>`` with a ``<file>.source.yml`` sidecar
  holding url, retrieval date, sha256 and size (STYLE §7);
* ``parse(data: bytes) -> DataFrame`` — a pure function from the bytes of the published
  format to rows;
* ``assign(rows, ...) -> Assignment`` — one value per city and parameter, keyed by AGS;
  rows that match no index city are kept in ``Assignment.unassigned`` with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import yaml

from cityindex.errors import CityIndexError

#: Columns of an assigned value (long data, architecture.md "Long data" plus provenance).
VALUE_COLUMNS = ["ags", "city", "parameter", "value", "unit", "as_of", "source_name",
                 "source_url", "licence", "note"]


class DownloadError(CityIndexError):
    """The source could not be downloaded; check the network or the URL and try again."""


class ChecksumMismatch(CityIndexError):
    """A cached source file does not match the sha256 in its sidecar; delete it and download again."""


class SourceFormatError(CityIndexError):
    """The source file is not in the expected published format."""


@dataclass(frozen=True)
class Source:
    """Description of one official or open source: who publishes it, under which licence."""

    key: str
    title: str
    publisher: str
    url: str
    licence: str
    attribution: str
    parameters: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Snapshot:
    """A downloaded file with its provenance."""

    path: Path
    url: str
    sha256: str
    retrieved: str

    @property
    def uri(self) -> str:
        return f"source://{self.path.parent.parent.name}/{self.path.parent.name}/{self.path.name}"

    def read(self) -> bytes:
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ChecksumMismatch(f"{self.path}: sha256 differs from its sidecar; delete the file "
                                   "and run `cityindex collect` again.")
        return data


@dataclass
class Assignment:
    """Values per city and parameter, plus the rows that were not assigned (never dropped)."""

    values: pd.DataFrame
    unassigned: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["row", "reason"]))


@contextmanager
def format_errors(where, title: str):
    """A file that is not in the source's format gives one SourceFormatError naming the file (or URL),
    whatever the parser tripped over (text encoding, CSV syntax, not an XLSX archive)."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        yield
    except SourceFormatError as exc:
        raise SourceFormatError(f"{where}: {exc}") from None
    except (ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise SourceFormatError(f"{where}: cannot be read as {title} ({type(exc).__name__}: {exc}); "
                                "check that the file is the published one.") from None


# --- index cities --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def index_cities() -> pd.DataFrame:
    """The 82 index cities (AGS, name, state, population 31.12.2019, lat, lon) of the city register
    (``cityindex.cities``, the one list every part of the package uses)."""
    from cityindex.cities import read_register

    frame = read_register().reset_index()
    return frame[["ags", "name", "state", "population", "population_date", "lat", "lon"]]


def frame_values(rows: list[dict], source: Source, *, source_url: str, licence: str) -> pd.DataFrame:
    """Complete value rows (one dict per city and parameter) with city names and provenance."""
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=["ags", "parameter", "value"])
    names = index_cities().set_index("ags")["name"]
    frame["city"] = frame["ags"].map(names)
    frame["source_name"] = frame.get("source_name", source.title)
    frame["source_url"] = frame["source_url"] if "source_url" in frame else source_url
    frame["licence"] = frame["licence"] if "licence" in frame else licence
    for column in ("unit", "note", "as_of"):
        frame[column] = frame[column] if column in frame else ""
    frame = frame[VALUE_COLUMNS].fillna({"note": "", "unit": ""})
    frame["note"] = frame["note"].astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
    return frame.sort_values(["parameter", "city"], key=_german_sort).reset_index(drop=True)


def by_city(rows: pd.DataFrame) -> dict[str, list]:
    """Rows (as named tuples, in their order) per index city by their ``ags`` column, read in one
    pass instead of one mask per city; a city without rows gets an empty list."""
    groups: dict[str, list] = {ags: [] for ags in index_cities().ags}
    for row in rows.itertuples(index=False):
        if row.ags in groups:
            groups[row.ags].append(row)
    return groups


def _german_sort(series: pd.Series) -> pd.Series:
    return series.astype(str).str.lower().str.translate(str.maketrans("äöüß", "aous"))


# --- numbers in published files -----------------------------------------------------------


def german_numbers(values: pd.Series) -> pd.Series:
    """Published numbers → floats. Cells that already are numbers (XLSX) stay as they are; text is
    read with the German decimal comma and thousands point (``1.234,5``) by
    :func:`cityindex.io.text.parse_numbers`; missing symbols (``.``, ``-``, ``...``, ``/``, ``x``) and
    other text become NaN."""
    from cityindex.io.text import parse_numbers

    is_number = values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    parsed, _ = parse_numbers(values.where(~is_number, "").fillna("").astype(str), decimal=",")
    return parsed.where(~is_number, pd.to_numeric(values.where(is_number), errors="coerce"))


def coordinates(values: pd.Series) -> pd.Series:
    """Degrees with a decimal point or a decimal comma (``6,958307``, ``6.958307``) → floats; else NaN."""
    text = values.astype(str).str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


# --- download ------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """``$CITYINDEX_DATA_DIR/sources`` when set, else ``~/.cache/cityindex/sources``."""
    import os

    base = os.environ.get("CITYINDEX_DATA_DIR")
    return Path(base) / "sources" if base else Path.home() / ".cache" / "cityindex" / "sources"


def cache_path(url: str, *, publisher: str, cache_dir: Path, day: str) -> Path:
    """``<cache>/<publisher>/<day>/<stem>.<url-hash><suffix>`` — keyed by the full URL, so feeds
    with the same file name (every GBFS ``station_information.json``) do not overwrite each other."""
    name = Path(urlsplit(url).path).name or "index"
    stem, suffix = Path(re.sub(r"[^A-Za-z0-9._-]+", "_", name)).stem, Path(name).suffix
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return cache_dir / publisher / day / f"{stem}.{key}{re.sub(r'[^A-Za-z0-9.]+', '', suffix)}"


def download(url: str, *, source: Source, cache_dir: Path | None = None, refresh: bool = False,
             client=None, headers: dict | None = None, method: str = "GET", data: dict | None = None,
             retries: int = 3, timeout: float = 60.0) -> Snapshot:
    """Fetch *url* into the dated cache with a provenance sidecar; reuse today's copy unless *refresh*."""
    cache_dir = cache_dir or default_cache_dir()
    day = dt.date.today().isoformat()
    path = cache_path(url, publisher=source.key, cache_dir=cache_dir, day=day)
    sidecar = path.with_name(path.name + ".source.yml")
    if path.exists() and sidecar.exists() and not refresh:
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        return Snapshot(path, meta["url_download"], meta["sha256"], meta["date_accessed"])
    body = _fetch(url, client=client, headers=headers, method=method, data=data,
                  retries=retries, timeout=timeout)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    digest = hashlib.sha256(body).hexdigest()
    write_sidecar(sidecar, source=source, url=url, sha256=digest, size=len(body), day=day)
    return Snapshot(path, url, digest, day)


def write_sidecar(path: Path, *, source: Source, url: str, sha256: str, size: int, day: str) -> None:
    meta = {
        "producer": source.publisher, "title": source.title, "description": source.note,
        "citation": source.attribution, "url_main": source.url, "url_download": url,
        "date_published": None, "date_accessed": day, "license": source.licence,
        "sha256": sha256, "size": size,
    }
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _fetch(url, *, client, headers, method, data, retries, timeout) -> bytes:
    import httpx

    own = client is None
    client = client or httpx.Client(timeout=timeout, follow_redirects=True,
                                    headers={"User-Agent": "cityindex (open data connector)"})
    try:
        for attempt in range(1, retries + 1):
            try:
                response = client.request(method, url, headers=headers, data=data)
                if response.status_code < 500:
                    response.raise_for_status()
                    return response.content
                error = f"HTTP {response.status_code}"
            except httpx.HTTPStatusError as exc:
                raise DownloadError(f"{url}: HTTP {exc.response.status_code}; check the URL.") from None
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            if attempt < retries:
                time.sleep(2 ** (attempt - 1))
        raise DownloadError(f"{url}: {error} after {retries} attempts; check the network and retry.")
    finally:
        if own:
            client.close()


def github_blob_url(repo: str, commit: str, path: str) -> str:
    """The browsable URL of a file at a commit (used as ``source_url`` of bundled values)."""
    return f"https://github.com/{repo}/blob/{commit}/{path}"
