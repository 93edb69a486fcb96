"""Bundesnetzagentur Ladesäulenregister: public charging devices and points per city.

Two published formats are read into the same rows (operator, postcode, town, state, lat, lon,
points, kind):

* ``parse_csv`` — the current CSV (since 2024): a preamble of about ten lines (the data date in
  ``Letzte Aktualisierung vom: dd.mm.yyyy``), a group row, the header line starting with
  ``Ladeeinrichtungs-ID;``, ``;`` separator, decimal comma, UTF-8 (with or without BOM) or
  Windows-1252. The header line is found by its text, columns by name.
* ``parse_xlsx_2019`` — the 2019 XLSX extracts (``Stand: 19.07.2019`` and ``Stand: 09.06.2019``;
  header row with ``Postleitzahl Ort``; columns found by their header, because the June extract
  has no ``Bundesland`` column and its other columns sit one letter further left).

Two assignments:

* ``assign_by_name`` — the documented rule of the open pilot for the 2019 extract (town name in
  the city's own state, plus district forms with a postcode of the city; ``side/ladesaeulen.cities.json``).
  An extract without a state column takes a postcode test instead of the state test: the town's
  3-digit postcode zone must be one the rule gave the city in the July extract
  (``side/ladesaeulen.zones.json``, rebuilt by :func:`postcode_zones`);
* ``assign_by_point`` — point in polygon against the city polygons (``data/geo/cities.geojson``),
  the rule for new extracts, which carry reliable coordinates.

``charging_points_per_1000`` divides the sum of charging points by the city's population;
``fast_charging_devices_2019`` counts the city's devices of the kind ``Schnellladeeinrichtung``.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from cityindex.connectors.base import (Assignment, Source, SourceFormatError, coordinates, frame_values,
                                       german_numbers, index_cities)
from cityindex.connectors.geo import assign_points
from cityindex.connectors.matching import SIDE_DIR, read_side

SOURCE = Source(
    key="ladesaeulen", title="Bundesnetzagentur Ladesäulenregister", publisher="Bundesnetzagentur",
    url="https://www.bundesnetzagentur.de/DE/Fachthemen/ElektrizitaetundGas/E-Mobilitaet/start.html",
    licence="CC BY 4.0 (Bundesnetzagentur)",
    attribution="Quelle: Bundesnetzagentur, Ladesäulenregister, CC BY 4.0",
    parameters=("charging_points_2019", "charging_points_per_1000_2019", "fast_charging_devices_2019",
                "charging_points", "charging_points_per_1000"),
    note="Register of public charging devices reported to the Bundesnetzagentur (complete only for "
         "operators that finished the notification).",
)
MIRROR_REPO = "OpenChargingCommunity/WWCP_BNetzA"
MIRROR_COMMIT = "48296f74ef592e8808469fc2b11b2779826186e8"  # repository HEAD; file last changed in 0e8feb0d
REGISTER_DIR = "WWCP_BNetzA/Ladesaeulenregister/"
XLSX_2019_PATH = REGISTER_DIR + "Ladesaeulenkarte_Datenbankauszug_25__2019-07-19.xlsx"
PARAMETERS_2019 = ["charging_points_2019", "charging_points_per_1000_2019", "fast_charging_devices_2019"]
FAST = "Schnellladeeinrichtung"
ROWS = ["operator", "postcode", "town", "state", "lat", "lon", "points", "kind"]


# --- parse ---------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceFormatError("Ladesäulenregister CSV: neither UTF-8 nor Windows-1252")


def parse_csv(data: bytes) -> tuple[pd.DataFrame, str]:
    """Current CSV → (rows, data date ISO or '')."""
    text = _decode(data)
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith("Ladeeinrichtungs-ID;")), None)
    if header is None:
        raise SourceFormatError("Ladesäulenregister CSV: no header line starting with "
                                "'Ladeeinrichtungs-ID;' — is this the current register format?")
    stamp = re.search(r"Letzte Aktualisierung vom:\s*(\d{2})\.(\d{2})\.(\d{4})", "\n".join(lines[:header]))
    as_of = f"{stamp[3]}-{stamp[2]}-{stamp[1]}" if stamp else ""
    frame = pd.read_csv(io.StringIO("\n".join(lines[header:])), sep=";", dtype=str, keep_default_na=False)
    needed = ["Betreiber", "Postleitzahl", "Ort", "Bundesland", "Breitengrad", "Längengrad",
              "Anzahl Ladepunkte", "Art der Ladeeinrichtung"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise SourceFormatError(f"Ladesäulenregister CSV: missing columns {missing}")
    rows = pd.DataFrame({
        "operator": frame["Betreiber"].str.strip(), "postcode": frame["Postleitzahl"].str.strip().str.zfill(5),
        "town": frame["Ort"].str.strip(), "state": frame["Bundesland"].str.strip(),
        "lat": coordinates(frame["Breitengrad"]), "lon": coordinates(frame["Längengrad"]),
        "points": german_numbers(frame["Anzahl Ladepunkte"]), "kind": frame["Art der Ladeeinrichtung"].str.strip(),
    })
    return rows, as_of


def parse_xlsx_2019(data: bytes) -> tuple[pd.DataFrame, str]:
    """2019 XLSX extract → (rows, data date ISO from ``Stand: dd.mm.yyyy``)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    records = list(sheet.iter_rows(values_only=True))
    book.close()
    stamp = next((re.search(r"(\d{2})\.(\d{2})\.(\d{4})", str(r[0])) for r in records[:6]
                  if r and r[0] and str(r[0]).startswith("Stand")), None)
    header = next((i for i, r in enumerate(records[:20]) if r and "Postleitzahl Ort" in r), None)
    if header is None:
        raise SourceFormatError(f"{sheet.title}: no header row with 'Postleitzahl Ort' in the first 20 rows")
    frame = pd.DataFrame(records[header + 1:], columns=[str(c) for c in records[header]])
    frame = frame[frame["Postleitzahl Ort"].notna()]
    place = frame["Postleitzahl Ort"].astype(str).str.strip().str.extract(r"^(\d{4,5})\s+(.*)$")
    state = frame["Bundesland"].astype(str).str.strip() if "Bundesland" in frame else ""  # June 2019: none
    rows = pd.DataFrame({
        "operator": frame["Betreiber"].astype(str).str.strip(), "postcode": place[0].str.zfill(5),
        "town": place[1].str.strip(), "state": state,
        "lat": pd.to_numeric(frame["Breitengrad [DG]"], errors="coerce"),
        "lon": pd.to_numeric(frame["Längengrad [DG]"], errors="coerce"),
        "points": pd.to_numeric(frame["Anzahl Ladepunkte"], errors="coerce"),
        "kind": frame["Art der Ladeeinrichtung"].astype(str).str.strip(),
    }).reset_index(drop=True)
    return rows, (f"{stamp[3]}-{stamp[2]}-{stamp[1]}" if stamp else "")


# --- assign --------------------------------------------------------------------------------


def has_states(rows: pd.DataFrame) -> bool:
    """Whether the extract states each device's state (the June 2019 extract does not)."""
    return bool((rows.state.fillna("") != "").any())


def assign_by_name(rows: pd.DataFrame, zones: dict[str, list[str]] | None = None) -> tuple[pd.Series, dict[str, list[str]]]:
    """AGS per row ('' for none) by town name, and per AGS the extra spellings counted.

    Without a state column the state test becomes a postcode test: the postcode's first three
    digits must be one of the city's *zones* (default: ``side/ladesaeulen.zones.json``).
    """
    spec = read_side(SIDE_DIR / "ladesaeulen.cities.json")
    cities = index_cities()
    town = rows.town.fillna("").str.lower()
    ags = pd.Series("", index=rows.index, dtype=object)
    extras: dict[str, list[str]] = {}
    by_state = has_states(rows)
    zones = zones if zones is not None or by_state else read_side(SIDE_DIR / "ladesaeulen.zones.json")["zones"]
    zone = rows.postcode.fillna("").str[:3]
    for city in cities.itertuples():
        names = {city.name.lower()} | {a.lower() for a, c in spec["aliases"].items() if c == city.name}
        place = (rows.state == city.state) if by_state else zone.isin(zones.get(city.ags, []))
        primary = town.isin(names) & place & (ags == "")
        postcodes = set(rows.postcode[primary])
        district = {f.lower() for f, c in spec["district_forms"].items() if c == city.name}
        prefix = town.str.match("^(" + "|".join(map(re.escape, sorted(names))) + r")[-\s/]")
        extra = ~primary & (ags == "") & rows.postcode.isin(postcodes) & (town.isin(names | district) | prefix)
        ags[primary | extra] = city.ags
        counted = (town[extra] + " [" + rows.state[extra] + "]").value_counts().sort_index()
        extras[city.ags] = [f"'{k.split(' [')[0]}' [{k.split(' [')[1]} x{n}" for k, n in counted.items()]
    return ags, extras


def postcode_zones(rows: pd.DataFrame) -> dict[str, list[str]]:
    """Per AGS the 3-digit postcode zones of the devices the town-name rule gives the city (in an
    extract with a state column); the content of ``side/ladesaeulen.zones.json``."""
    ags, _ = assign_by_name(rows)
    zone = rows.postcode.fillna("").str[:3]
    return {a: sorted(set(zone[ags == a])) for a in index_cities().ags}


def assign_by_point(rows: pd.DataFrame) -> pd.Series:
    """AGS per row by point in polygon ('' outside every index city)."""
    return pd.Series(assign_points(rows.lon, rows.lat), index=rows.index, dtype=object)


def summarise(rows: pd.DataFrame, ags: pd.Series, *, as_of: str, source_url: str, suffix: str = "_2019",
              extras: dict[str, list[str]] | None = None, method: str = "town name") -> Assignment:
    """Sum of charging points per city (every index city; 0 when no device), per 1,000 inhabitants
    and (extracts of 2019) the number of fast-charging devices."""
    cities = index_cities()
    points = rows.points.groupby(ags).sum()
    devices = ags.value_counts()
    fast = (rows.kind == FAST).groupby(ags).sum()
    uncounted = rows.points.isna().groupby(ags).sum()
    place = "" if has_states(rows) else "; no Bundesland column: postcode test instead of state test"
    out = []
    for city in cities.itertuples():
        total = int(points.get(city.ags, 0))
        n = int(devices.get(city.ags, 0))
        if suffix == "_2019":
            out.append({"ags": city.ags, "parameter": "fast_charging_devices_2019",
                        "value": str(int(fast.get(city.ags, 0))), "unit": "devices", "as_of": as_of,
                        "note": f"{int(fast.get(city.ags, 0))} of {n} charging devices of the city are '{FAST}' "
                                f"(same town-name matching as charging_points_2019){place}"})
        note = f"{n} charging devices{place}"
        if uncounted.get(city.ags, 0):
            note += f"; {int(uncounted[city.ags])} of them state no number of charging points (not counted)"
        if extras and extras.get(city.ags):
            note += "; also counted (postcode of the city): " + "; ".join(extras[city.ags])
        if method != "town name":
            note += f"; assigned by {method}"
        out.append({"ags": city.ags, "parameter": f"charging_points{suffix}", "value": str(total),
                    "unit": "charging points", "as_of": as_of, "note": note})
        out.append({"ags": city.ags, "parameter": f"charging_points_per_1000{suffix}",
                    "value": per_1000(total, city.population), "unit": "charging points per 1,000 inhabitants",
                    "as_of": as_of, "note": f"charging_points{suffix} / population {city.population} "
                                            f"({city.population_date}) x 1000"})
    values = frame_values(out, SOURCE, source_url=source_url, licence=SOURCE.licence)
    left = rows[ags == ""]
    no_point = left.lat.isna() | left.lon.isna()
    reason = np.where(no_point & (method == "point in polygon"), "no coordinates", "not in an index city")
    unassigned = pd.DataFrame({"row": left.postcode.fillna("") + " " + left.town.fillna("") + " (" + left.state + ")",
                               "reason": reason})
    return Assignment(values, unassigned.reset_index(drop=True))


def per_1000(points: float, population: float) -> str:
    """Charging points per 1,000 inhabitants with three decimals ('' when the population is unknown)."""
    if not population or np.isnan(population):
        return ""
    return f"{points / population * 1000:.3f}"


def assign_2019(rows: pd.DataFrame, *, as_of: str, commit: str = MIRROR_COMMIT,
                path: str = XLSX_2019_PATH) -> Assignment:
    """The open pilot rule for the 2019 extracts (by town name)."""
    ags, extras = assign_by_name(rows)
    url = f"https://github.com/{MIRROR_REPO}/blob/{commit}/{path}"
    return summarise(rows, ags, as_of=as_of, source_url=url, extras=extras)


def assign_current(rows: pd.DataFrame, *, as_of: str, source_url: str) -> Assignment:
    """A current extract by point in polygon; parameters without the year suffix."""
    return summarise(rows, assign_by_point(rows), as_of=as_of, source_url=source_url, suffix="",
                     method="point in polygon")
