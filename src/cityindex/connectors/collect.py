"""``collect()``: run one connector end to end — fetch (or read a local file), parse, assign —
compare with the values stored in an edition, and import what the edition's methodology knows.

Every source has a *runner*: ``runner(data: bytes, ctx) -> Assignment``. Where the file comes
from is decided here: ``file=`` (a local copy), ``url=`` or the source's default download URL
(through the dated cache with its provenance sidecar, ``base.download``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from cityindex.connectors import (codefor, destatis, freifunk, gbfs, ladesaeulen, musterdatenkatalog,
                                  onleihe, opendata_guru)
from cityindex.connectors.base import Assignment, Snapshot, download, format_errors
from cityindex.connectors.open_pilot import EDITION_KEY, bundle_frame, rebuild_values
from cityindex.connectors.registry import SOURCES, UnknownSource, get_source
from cityindex.errors import CityIndexError


class NoLiveSource(CityIndexError):
    """This source has no machine-readable file to download; its values live in a side file."""


@dataclass
class Context:
    """What a runner knows about the file it parses."""

    source_url: str
    as_of: str


@dataclass
class Collected:
    """The outcome of one collect run."""

    source: str
    values: pd.DataFrame
    unassigned: pd.DataFrame
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped_parameters: list[str] = field(default_factory=list)
    report: object | None = None
    snapshot: Snapshot | None = None


def _today() -> str:
    return dt.date.today().isoformat()


def _run_charging(data: bytes, ctx: Context) -> Assignment:
    rows, as_of = (ladesaeulen.parse_xlsx_2019(data) if data[:2] == b"PK" else ladesaeulen.parse_csv(data))
    return ladesaeulen.assign_current(rows, as_of=as_of or ctx.as_of, source_url=ctx.source_url)


def _with_url(assignment: Assignment, url: str) -> Assignment:
    assignment.values["source_url"] = url
    return assignment


#: source key -> (default download URL or None, runner)
RUNNERS: dict[str, tuple[str | None, Callable[[bytes, Context], Assignment]]] = {
    "gbfs": (gbfs.DOWNLOAD_URL, lambda d, c: _with_url(gbfs.assign(gbfs.parse(d), as_of=c.as_of), c.source_url)),
    "freifunk": (freifunk.DOWNLOAD_URL,
                 lambda d, c: _with_url(freifunk.assign(freifunk.parse(d), as_of=c.as_of), c.source_url)),
    "opendata-guru": (opendata_guru.DOWNLOAD_URL, lambda d, c: _with_url(
        opendata_guru.assign(opendata_guru.parse(d), as_of=c.as_of), c.source_url)),
    "musterdatenkatalog": (musterdatenkatalog.DOWNLOAD_URL, lambda d, c: _with_url(
        musterdatenkatalog.assign(musterdatenkatalog.parse(d), as_of=c.as_of), c.source_url)),
    "onleihe": (onleihe.DOWNLOAD_URL,
                lambda d, c: _with_url(onleihe.assign(onleihe.parse(d)), c.source_url)),
    "ladesaeulen": (None, _run_charging),
    "destatis-genesis": (None, lambda d, c: destatis.assign_population(
        destatis.parse_ffcsv(destatis.check_envelope(d)), as_of=c.as_of, source_url=c.source_url)),
    "destatis-gv": (None, lambda d, c: destatis.assign_population(
        destatis.parse_gv_isys(d), as_of=c.as_of, source=destatis.GV_SOURCE, source_url=c.source_url)),
}
CURATED = {"mpsc": "side/mpsc.selections.csv"}
#: Keys ``collect`` accepts besides the sources: stations of every GBFS system, and the whole open pilot.
COLLECT_ONLY = ("gbfs-stations", "open-pilot", "open-series")


def fetch(key: str, *, file: Path | None = None, url: str | None = None, cache_dir: Path | None = None,
          refresh: bool = False, client=None) -> tuple[bytes, Context, Snapshot | None]:
    """The bytes of the source file and its provenance context."""
    source = get_source(key)
    if file is not None:
        path = Path(file)
        if not path.is_file():
            raise CityIndexError(f"{path}: no such file; give the path of a downloaded {source.title} file.")
        # a local copy of the published file: cite where it is published
        return path.read_bytes(), Context(source_url=url or RUNNERS[key][0] or source.url, as_of=_today()), None
    if key == "destatis-genesis" and url is None:
        return _fetch_genesis(cache_dir=cache_dir, refresh=refresh, client=client)
    default = RUNNERS[key][0]
    target = url or default
    if target is None:
        raise CityIndexError(f"{source.title}: the file name changes with every release; pass --url "
                             f"with the current download link or --file with a local copy.")
    snapshot = download(target, source=source, cache_dir=cache_dir, refresh=refresh, client=client)
    return snapshot.read(), Context(source_url=target, as_of=snapshot.retrieved), snapshot


def _fetch_genesis(*, cache_dir, refresh, client):
    from cityindex.connectors.base import index_cities
    from cityindex.settings import get_settings

    user, password = destatis.credentials(get_settings())
    year = dt.date.today().year - 2  # the newest 31 Dec that GENESIS normally has
    form = destatis.request_form(year=year, regionalkeys=list(index_cities().ags))
    snapshot = download(destatis.API_URL, source=destatis.SOURCE, cache_dir=cache_dir, refresh=refresh,
                        client=client, method="POST", data=form,
                        headers={"username": user, "password": password})
    return snapshot.read(), Context(source_url=destatis.SOURCE.url, as_of=f"{year}-12-31"), snapshot


def collect(key: str, *, edition: str | None = None, store=None, file: Path | None = None,
            url: str | None = None, raw_dir: Path | None = None, cache_dir: Path | None = None,
            refresh: bool = False, dry_run: bool = False, by: str = "cityindex collect",
            progress: Callable[[str], None] | None = None, client=None) -> Collected:
    """Collect one source (or ``open-pilot``: all of them from the bundle or *raw_dir*)."""
    if key == "open-pilot":
        return _collect_open_pilot(edition=edition or EDITION_KEY, store=store, raw_dir=raw_dir,
                                   dry_run=dry_run, by=by, progress=progress)
    if key == "gbfs-stations":
        return _collect_gbfs_stations(edition=edition, store=store, file=file, url=url, cache_dir=cache_dir,
                                      refresh=refresh, dry_run=dry_run, by=by, progress=progress, client=client)
    if key in ("codefor", "freifunk-nodes"):
        return _collect_followed(key, edition=edition, store=store, url=url, cache_dir=cache_dir,
                                 refresh=refresh, dry_run=dry_run, by=by, progress=progress, client=client)
    if key not in SOURCES:
        raise UnknownSource(f"Unknown source {key!r}; known sources: {', '.join([*SOURCES, *COLLECT_ONLY])}.")
    if key in CURATED:
        raise NoLiveSource(f"{key}: no machine-readable source to download; its recorded values are in "
                           f"data/open_pilot/{CURATED[key]} (edit that file, then `cityindex collect open-pilot`).")
    data, ctx, snapshot = fetch(key, file=file, url=url, cache_dir=cache_dir, refresh=refresh, client=client)
    if progress:
        progress("downloaded")
    with format_errors(file or ctx.source_url, get_source(key).title):
        assignment = RUNNERS[key][1](data, ctx)
    if progress:
        progress("assigned")
    result = Collected(key, assignment.values, assignment.unassigned, snapshot=snapshot)
    if key.startswith("destatis"):
        result.changes = destatis.population_changes(assignment.values)
        return result
    if store is not None and edition:
        _compare_and_import(result, store=store, edition=edition, dry_run=dry_run, by=by)
    return result


def _collect_gbfs_stations(*, edition, store, file, url, cache_dir, refresh, dry_run, by, progress,
                           client) -> Collected:
    """Catalogue → every German system's auto-discovery → station_information → stations per city."""
    data, ctx, snapshot = fetch("gbfs", file=file, url=url, cache_dir=cache_dir, refresh=refresh, client=client)

    def get(feed_url: str) -> bytes:
        return download(feed_url, source=gbfs.SOURCE, cache_dir=cache_dir, refresh=refresh, client=client,
                        retries=2, timeout=30).read()

    with format_errors(file or ctx.source_url, gbfs.SOURCE.title):
        systems = gbfs.parse(data)
    assignment = gbfs.stations_per_city(systems, get, as_of=ctx.as_of, progress=progress)
    result = Collected("gbfs-stations", assignment.values, assignment.unassigned, snapshot=snapshot)
    if store is not None and edition:
        _compare_and_import(result, store=store, edition=edition, dry_run=dry_run, by=by)
    return result


def _collect_followed(key, *, edition, store, url, cache_dir, refresh, dry_run, by, progress, client) -> Collected:
    """Sources whose index file points to one file per entry (lab pages, community API files)."""
    source = get_source(key)

    def get(file_url: str) -> bytes:
        data = download(file_url, source=source, cache_dir=cache_dir, refresh=refresh, client=client,
                        retries=2, timeout=30).read()
        if progress:
            progress(file_url.rsplit("/", 1)[-1])
        return data

    if key == "codefor":
        listing = url or codefor.LISTING_URL
        assignment = codefor.assign(codefor.labs_from_listing(get(listing), get), as_of=_today(), commit="master")
    else:
        directory = freifunk.parse(get(url or freifunk.DOWNLOAD_URL))
        assignment = freifunk.nodes_from_directory(directory, get)
    result = Collected(key, assignment.values, assignment.unassigned)
    if store is not None and edition:
        _compare_and_import(result, store=store, edition=edition, dry_run=dry_run, by=by)
    return result


def _collect_open_pilot(*, edition, store, raw_dir, dry_run, by, progress) -> Collected:
    from cityindex.connectors.open_pilot import build_open_pilot, read_bundle

    if raw_dir is not None:
        rebuilt = rebuild_values(Path(raw_dir), progress=progress)
        values, unassigned = rebuilt.values, rebuilt.unassigned
        frame = bundle_frame(values)
    else:
        frame = read_bundle()
        values = frame.rename(columns={"city": "ags", "city_name": "city", "retrieved": "as_of"})
        unassigned = {}
    left = pd.concat([u.assign(source=k) for k, u in unassigned.items()], ignore_index=True) \
        if unassigned else pd.DataFrame(columns=["row", "reason", "source"])
    result = Collected("open-pilot", values, left)
    if store is None:
        return result
    if edition != EDITION_KEY:
        raise CityIndexError(f"The open pilot data belong to edition {EDITION_KEY!r}, not {edition!r}.")
    result.changes = _changes(store, edition, frame.rename(columns={"city": "ags"}))
    if not dry_run:
        build_open_pilot(store, values=frame, by=by)
    return result


def _compare_and_import(result: Collected, *, store, edition, dry_run, by) -> None:
    from cityindex.io.importer import import_frame
    from cityindex.store import edition_methodology

    methodology = edition_methodology(store, edition)
    known = {p.code for a in methodology.areas for i in a.indicators for p in i.parameters}
    values = result.values[result.values.value.astype(str) != ""]
    result.skipped_parameters = sorted(set(values.parameter) - known)
    values = values[values.parameter.isin(known)]
    result.changes = _changes(store, edition, values)
    if values.empty:
        return
    frame = values.drop(columns=["city"]).rename(columns={"ags": "city", "as_of": "retrieved"})
    result.report = import_frame(store, frame, edition=edition, by=by, reason=f"collect {result.source}",
                                 source=f"collect {result.source}", dry_run=dry_run)


def _changes(store, edition: str, values: pd.DataFrame) -> pd.DataFrame:
    """Values that differ from the stored ones: ags, parameter, stored, new."""
    from cityindex.store import get_datapoints

    try:
        stored = get_datapoints(store, edition=edition)
    except CityIndexError:
        stored = pd.DataFrame(columns=["city", "parameter", "value"])
    old = stored.rename(columns={"city": "ags"}).set_index(["ags", "parameter"])["value"].map(_text)
    new = values.set_index(["ags", "parameter"])["value"].map(_text)
    joined = pd.DataFrame({"stored": old.reindex(new.index), "new": new})
    joined["stored"] = joined.stored.fillna("")
    return joined[joined.stored != joined.new].reset_index()


BINARY = {"yes": "1", "ja": "1", "true": "1", "no": "0", "nein": "0", "false": "0"}


def _text(value) -> str:
    """Comparable text of a value (the store keeps yes/no answers as 1/0)."""
    if isinstance(value, str) and value.strip().lower() in BINARY:
        return BINARY[value.strip().lower()]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    try:
        return f"{float(value):.15g}"
    except (TypeError, ValueError):
        return str(value)


@dataclass
class SeriesCollected:
    """The outcome of ``collect_series``: per year edition, values, cities, unassigned rows, lacking parameters."""

    years: list[dict]
    skipped: list[str]
    built: list[str]


def collect_series(store, *, history_dir: Path | None = None, dry_run: bool = False, by: str = "cityindex collect",
                   progress: Callable[[str], None] | None = None) -> SeriesCollected:
    """Build the yearly editions of the open series: from the bundled data points, or rebuilt from a
    history folder (every year but the open edition's, which is built from the newest files by
    ``collect open-pilot``); then the open edition with the last year as its previous edition."""
    from cityindex.connectors.history import History, rebuild_series
    from cityindex.methodology import load_methodology
    from cityindex.series.build import build_series, methodology_path, pilot_year, read_bundle, series_key

    scored = {p.code for a in load_methodology(methodology_path()).areas for i in a.scored_indicators
              for p in i.scored_parameters}
    skipped, unassigned = [], {}
    if history_dir is None:
        frames = read_bundle()
    else:
        history = History(Path(history_dir))
        years = [y for y in history.years if y != pilot_year()]
        if pilot_year() in history.years:
            skipped.append(f"{pilot_year()}: {series_key(pilot_year())} is the open edition, built from the newest "
                           "files (`cityindex collect open-pilot`); the folder's versions of that year are not imported.")
        rebuilt = rebuild_series(history, years=years, progress=progress)
        frames = {y: bundle_frame(v.values) for y, v in rebuilt.items()}
        unassigned = {y: sum(len(u) for u in v.unassigned.values()) for y, v in rebuilt.items()}
    rows = [{"edition": series_key(y), "values": len(f), "cities": f["city"].nunique(),
             "unassigned": unassigned.get(y, 0), "lacking": sorted(scored - set(f["parameter"]))}
            for y, f in sorted(frames.items())]
    built = [] if dry_run else list(build_series(store, frames=frames, by=by, progress=progress))
    return SeriesCollected(rows, skipped, built)
