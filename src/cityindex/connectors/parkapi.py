"""ParkenDD / ParkAPI: real-time car-park occupancy data integrated in the open ParkAPI network.

``parking_realtime_parkendd`` — ``yes`` when the city has a city file of the first ParkAPI
(offenesdresden/ParkAPI, ``park_api/cities/<City>.geojson``: a scraper of the city's car-park
occupancy) or a real-time car-park source run by the city or its utility in the source table of
parkapi-sources-v3 (``README.md``, since 2024). Which v3 sources count for which city is judgement,
kept in ``side/parkapi.cities.json``. ``no`` means "not in ParkAPI", not "no parking guidance".
v1 city files stay in the repository after their scraper stopped working (``active_support``), so
the parameter overstates current activity; the note shows the flag.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from cityindex.connectors.base import Assignment, Source, SourceFormatError, frame_values, github_blob_url, index_cities
from cityindex.connectors.matching import SIDE_DIR, NameMatcher, read_side

REPO, CITIES_DIR = "offenesdresden/ParkAPI", "park_api/cities/"
V3_REPO, V3_PATH = "ParkenDD/parkapi-sources-v3", "README.md"
PILOT_COMMIT, PILOT_DATE = "257d3fbcf611c2ba53010abd5d7284e05e3f7c39", "2025-02-01"
V3_PILOT_COMMIT, V3_PILOT_DATE = "0dc02646c12226475e35a63cfb1727e65f30c4bf", "2026-07-06"
SOURCE = Source(
    key="parkapi", title="ParkenDD ParkAPI (v1 city scrapers) and parkapi-sources-v3 (source table)",
    publisher="ParkenDD / offenesdresden", url="https://github.com/offenesdresden/ParkAPI",
    licence="MIT (ParkAPI © 2015 Kilian Koeltzsch; parkapi-sources-v3 © 2024 binary butterfly GmbH)",
    attribution="ParkenDD ParkAPI, MIT, © 2015 Kilian Koeltzsch; parkapi-sources-v3, MIT, © 2024 binary butterfly GmbH",
    parameters=("parking_realtime_parkendd",),
    note="Cities whose car-park occupancy is scraped or delivered in real time into the open ParkAPI.",
)
PARAMETER = "parking_realtime_parkendd"


def parse_city_file(data: bytes, *, name: str) -> dict:
    """A v1 city GeoJSON → ``{"file", "name", "active_support", "source"}`` from its ``type: city`` feature."""
    try:
        doc = json.loads(data)
        city = next(f["properties"] for f in doc["features"] if f.get("properties", {}).get("type") == "city")
    except (ValueError, KeyError, TypeError, StopIteration, AttributeError):
        raise SourceFormatError(f"{name}: no feature with properties.type 'city'; is this a ParkAPI city file?") from None
    return {"file": name, "name": str(city.get("name") or ""), "active_support": bool(city.get("active_support")),
            "source": str(city.get("source") or "")}


def city_of_file(path: str) -> str:
    """``park_api/cities/Koeln.geojson`` → ``Koeln``."""
    return re.sub(r"\.geojson$", "", path.rsplit("/", 1)[-1].rsplit("__", 1)[-1])


def parse_sources_table(data: bytes) -> pd.DataFrame:
    """The source table of the parkapi-sources-v3 README → name, purpose, uid, realtime (read by header:
    the 2024 table has no ``data type`` column, later ones have)."""
    lines = [line.strip() for line in data.decode("utf-8").splitlines() if line.strip().startswith("|")]
    header = next((i for i, line in enumerate(lines) if re.search(r"\|\s*uid\s*\|", line)), None)
    if header is None:
        raise SourceFormatError("parkapi-sources-v3 README: no table with a 'uid' column")
    names = [c.strip() for c in lines[header].strip("|").split("|")]
    rows = []
    for line in lines[header + 2:]:
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if len(cells) == len(names):
            rows.append(dict(zip(names, cells)))
    frame = pd.DataFrame(rows, columns=names)
    return frame.rename(columns={"data type": "data_type"})[["name", "purpose", "uid", "realtime"]]


def assign(city_files: list[dict], table: pd.DataFrame | None, *, table_url: str = "",
           table_date: str = "") -> Assignment:
    """One value per index city from the v1 city files (each dict: ``parse_city_file`` plus ``url``,
    ``date``) and the v3 table (None when the README did not exist yet)."""
    side = read_side(SIDE_DIR / "parkapi.cities.json")
    matcher = NameMatcher(aliases=dict(side["aliases"]), not_cities=dict(side["not_cities"]))
    v1: dict[str, list[dict]] = {}
    left = []
    for entry in city_files:
        ags, reason = matcher.match(city_of_file(entry["file"]))
        (v1.setdefault(ags, []).append(entry) if ags else left.append((entry["file"], reason)))
    v3: dict[str, list] = {}
    if table is not None:
        live = table[(table.realtime == "yes") & (table.purpose == "car")]
        for row in live.itertuples():
            target = side["v3_sources"].get(row.uid)
            if target:
                v3.setdefault(matcher.match(target)[0], []).append(row)
    latest = max([f["date"] for f in city_files] + [table_date])  # the date of a "no": the newest file read
    out = [_row(city.ags, v1.get(city.ags, []), v3.get(city.ags, []), table is not None, table_url, table_date,
                latest) for city in index_cities().itertuples()]
    values = frame_values(out, SOURCE, source_url=SOURCE.url, licence=SOURCE.licence)
    return Assignment(values, pd.DataFrame(left, columns=["row", "reason"]))


def _row(ags: str, files: list[dict], sources: list, has_table: bool, table_url: str, table_date: str,
         latest: str) -> dict:
    parts = [f"ParkAPI v1 scraper {city_of_file(f['file'])} (active_support={f['active_support']})" for f in files]
    parts += [f"parkapi-sources-v3 '{s.uid}' ({s.name}, realtime)" for s in sources]
    # cite the v1 city file when there is one (as in the years before the v3 table), else the v3 table
    url = files[0]["url"] if files else (table_url if sources else table_url or github_blob_url(REPO, "master", CITIES_DIR))
    dates = [f["date"] for f in files] or ([table_date] if sources else [])
    if parts:
        note = "; ".join(parts)
    elif has_table:
        note = "no city source in ParkAPI v1 nor a real-time car source of the city in parkapi-sources-v3"
    else:
        note = "no city source in ParkAPI v1 (parkapi-sources-v3 does not exist yet)"
    return {"ags": ags, "parameter": PARAMETER, "value": "yes" if parts else "no",
            "as_of": max(dates) if dates else latest, "source_url": url, "note": note}


def year_values(files) -> Assignment:
    """The year's value from the v1 city files and (from 2024) the v3 README of the history folder."""
    city_files = [{**parse_city_file(v.read(), name=v.source_path), "url": v.url, "date": v.commit_date}
                  for v in files.files(REPO, CITIES_DIR) if v.source_path.endswith(".geojson")]
    readme = files.file(V3_REPO, V3_PATH)
    table = parse_sources_table(readme.read()) if readme else None
    return assign(city_files, table, table_url=readme.url if readme else "",
                  table_date=readme.commit_date if readme else "")
