"""MobilityData GBFS systems catalogue (``systems.csv``) and per-system ``station_information``.

* ``gbfs_feeds_city`` — number of public GBFS feeds whose catalogue location is the city
  (country ``DE``; locations mapped in ``side/gbfs.cities.json``). The catalogue is a complete
  register of known feeds, so a city without a feed gets 0 ("no feed in the catalogue").
* ``gbfs_stations`` — stations of a city's station-based systems, counted by point in polygon
  from each system's ``station_information.json`` (GBFS 2.x/3.x).
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd

from cityindex.connectors.base import (by_city, Assignment, Source, SourceFormatError, frame_values,
                                       github_blob_url, index_cities)
from cityindex.connectors.geo import assign_points
from cityindex.connectors.matching import NameMatcher
from cityindex.errors import CityIndexError

REPO, PATH = "MobilityData/gbfs", "systems.csv"
SOURCE = Source(
    key="gbfs", title="MobilityData GBFS systems catalogue (systems.csv)", publisher="MobilityData",
    url="https://github.com/MobilityData/gbfs", licence="CC BY 3.0 (MobilityData)",
    attribution="GBFS systems catalogue © MobilityData, CC BY 3.0, github.com/MobilityData/gbfs",
    parameters=("gbfs_feeds_city", "gbfs_stations"),
    note="Catalogue of public GBFS sharing feeds; counts feeds, not services.",
)
DOWNLOAD_URL = f"https://raw.githubusercontent.com/{REPO}/master/{PATH}"
COLUMNS = {"Country Code": "country", "Name": "name", "Location": "location",
           "System ID": "system_id", "URL": "url", "Auto-Discovery URL": "auto_discovery_url"}


def parse(data: bytes) -> pd.DataFrame:
    """``systems.csv`` → one row per system with the columns of :data:`COLUMNS`."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise SourceFormatError(f"systems.csv: missing columns {sorted(missing)}; is this the GBFS catalogue?")
    return frame.rename(columns=COLUMNS)[list(COLUMNS.values())]


def assign(rows: pd.DataFrame, *, as_of: str, commit: str = "master",
           matcher: NameMatcher | None = None) -> Assignment:
    """Count German feeds per index city; every other German row is reported as unassigned."""
    matcher = matcher or NameMatcher.for_source("gbfs")
    de = rows[rows.country == "DE"].copy()
    matched = [_match_location(matcher, loc) for loc in de.location]
    de["ags"] = [m[0] for m in matched]
    de["reason"] = [m[1] for m in matched]
    de["shown"] = [m[2] for m in matched]
    hits = de[de.ags.notna()]
    out = []
    for ags, mine in by_city(hits).items():
        mine = sorted(mine, key=lambda r: r.name.lower())
        listed = "; ".join(f"{r.name} [{r.system_id}]{r.shown}" for r in mine)
        out.append({"ags": ags, "parameter": "gbfs_feeds_city", "value": str(len(mine)),
                    "unit": "feeds", "as_of": as_of, "note": f"systems: {listed}" if listed else ""})
    values = frame_values(out, SOURCE, source_url=github_blob_url(REPO, commit, PATH),
                          licence=SOURCE.licence)
    unassigned = de[de.ags.isna()].assign(row=lambda f: f.name + " (" + f.location + ")")
    return Assignment(values, unassigned[["row", "reason"]].reset_index(drop=True))


#: Until mid-2023 the catalogue wrote locations as "City, DE" (also "City,DE", "City DE").
COUNTRY_SUFFIX = re.compile(r"[,\s]+DE$")


def _match_location(matcher: NameMatcher, location: str) -> tuple[str | None, str, str]:
    """(ags, reason, how the location is shown in the note): the location as written, else
    without the country suffix of the older catalogue convention."""
    ags, reason = matcher.match(location)
    bare = COUNTRY_SUFFIX.sub("", location.strip())
    if ags is None and bare != location.strip() and location.strip() not in matcher.not_cities:
        ags, reason = matcher.match(bare)
        return ags, reason, f" (location '{location}')" if ags else ""
    return ags, reason, ""


# --- station_information ------------------------------------------------------------------


def parse_station_information(data: bytes) -> pd.DataFrame:
    """GBFS ``station_information.json`` (2.x or 3.x) → station_id, name, lat, lon, capacity."""
    try:
        doc = json.loads(data)
        stations = doc["data"]["stations"]
    except (ValueError, KeyError, TypeError):
        raise SourceFormatError("station_information.json: no data.stations list; "
                                "is this a GBFS station_information feed?") from None
    rows = []
    for s in stations:
        if not isinstance(s, dict):
            raise SourceFormatError("station_information.json: a station is not an object")
        name = s.get("name")
        if isinstance(name, list):  # GBFS 3.0: localised strings
            name = name[0].get("text") if name and isinstance(name[0], dict) else None
        rows.append({"station_id": str(s.get("station_id")), "name": name,
                     "lat": s.get("lat"), "lon": s.get("lon"), "capacity": s.get("capacity")})
    frame = pd.DataFrame(rows, columns=["station_id", "name", "lat", "lon", "capacity"])
    for column in ("lat", "lon"):  # a coordinate that is not a number is no position
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def assign_stations(stations: pd.DataFrame, *, as_of: str, source_url: str,
                    system_id: str) -> Assignment:
    """Stations per index city by point in polygon; stations outside every city are unassigned."""
    ags = assign_points(stations.lon, stations.lat)
    counts = pd.Series(ags[ags != ""]).value_counts()
    out = [{"ags": a, "parameter": "gbfs_stations", "value": str(int(n)), "unit": "stations",
            "as_of": as_of, "note": f"system {system_id}; stations inside the city polygon"}
           for a, n in counts.items()]
    values = frame_values(out, SOURCE, source_url=source_url, licence="see the feed's license_url")
    outside = stations[ags == ""]
    unassigned = pd.DataFrame({"row": outside.name.astype(str) + " [" + outside.station_id + "]",
                               "reason": "outside every index city polygon"})
    return Assignment(values, unassigned.reset_index(drop=True))


def station_information_url(data: bytes, *, language: str = "de") -> str | None:
    """The ``station_information`` URL of a GBFS auto-discovery file (``gbfs.json``), or None.

    GBFS 2.x nests feeds per language (``data.<lang>.feeds``; *language* first, then any);
    GBFS 3.x lists them directly (``data.feeds``).
    """
    try:
        body = json.loads(data)["data"]
    except (ValueError, KeyError, TypeError):
        raise SourceFormatError("gbfs.json: no 'data' object; is this a GBFS auto-discovery file?") from None
    try:
        if "feeds" in body:
            groups = [body["feeds"]]
        else:
            groups = [body[language]["feeds"]] if language in body else []
            groups += [v.get("feeds", []) for k, v in body.items() if k != language and isinstance(v, dict)]
        for feeds in groups:
            for feed in feeds:
                if feed.get("name") == "station_information":
                    return feed.get("url")
    except (KeyError, TypeError, AttributeError):
        raise SourceFormatError("gbfs.json: the feeds are not lists of {name, url} objects") from None
    return None


def stations_per_city(systems: pd.DataFrame, fetch, *, as_of: str, progress=None) -> Assignment:
    """Sum the stations of every German system by point in polygon.

    *fetch(url) -> bytes* downloads one file (through the cache). Systems without an auto-discovery
    URL or without a ``station_information`` feed (free-floating only) are reported as unassigned.
    """
    de = systems[(systems.country == "DE") & (systems.auto_discovery_url != "")]
    frames, skipped = [], []
    for system in de.itertuples():
        try:
            url = station_information_url(fetch(system.auto_discovery_url))
            if url is None:
                skipped.append((system.system_id, "no station_information feed (free-floating)"))
                continue
            stations = parse_station_information(fetch(url)).assign(system_id=system.system_id)
            frames.append(stations)
        except CityIndexError as exc:
            skipped.append((system.system_id, str(exc)))
        if progress:
            progress(system.system_id)
    stations = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["station_id", "name", "lat", "lon", "capacity", "system_id"])
    ags = assign_points(stations.lon, stations.lat)
    per_city = stations.assign(ags=ags)[ags != ""].groupby("ags")
    out = [{"ags": a, "parameter": "gbfs_stations", "value": str(len(g)), "unit": "stations",
            "as_of": as_of, "note": "systems: " + ", ".join(sorted(set(g.system_id)))}
           for a, g in per_city]
    values = frame_values(out, SOURCE, source_url=DOWNLOAD_URL, licence="see each feed's license_url")
    outside = stations[ags == ""]
    unassigned = pd.concat([
        pd.DataFrame({"row": outside.system_id + ": " + outside.name.astype(str),
                      "reason": "outside every index city polygon"}),
        pd.DataFrame(skipped, columns=["row", "reason"]),
    ], ignore_index=True)
    return Assignment(values, unassigned)
