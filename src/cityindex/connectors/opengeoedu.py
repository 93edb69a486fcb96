"""OpenGeoEdu list of open data portals (opengeoedu/OpenDataPortal, ``data/portale_geocoded4.csv``).

* ``opendata_portal_ogeo`` — a portal of type ``odp`` (open data portal) with ``Reichweite``
  ``kommunal`` whose ``Ort`` is the city;
* ``geoportal_ogeo`` — the same for type ``gdi`` (geoportal / spatial data infrastructure).

The state-level entries of the city states Berlin, Hamburg and Bremen (``Reichweite`` ``regional``)
count for those cities. Fixes to single entries (an ``Ort`` of "Deutschland", portals of a transport
company) live in ``side/opengeoedu.corrections.yml``. ``no`` means "not in the list".
"""

from __future__ import annotations

import io

import pandas as pd
import yaml

from cityindex.connectors.base import by_city, Assignment, Source, SourceFormatError, frame_values, github_blob_url, index_cities
from cityindex.connectors.matching import SIDE_DIR, NameMatcher

REPO, PATH = "opengeoedu/OpenDataPortal", "data/portale_geocoded4.csv"
PILOT_COMMIT, PILOT_DATE = "1ed0802bf2baaad2ff2236978285a121a6033edc", "2023-09-03"
SOURCE = Source(
    key="opengeoedu", title="OpenGeoEdu list of open data portals (portale_geocoded4.csv)", publisher="OpenGeoEdu",
    url="https://github.com/opengeoedu/OpenDataPortal", licence="BSD-3-Clause (opengeoedu/OpenDataPortal)",
    attribution="OpenGeoEdu portal list, opengeoedu/OpenDataPortal, BSD-3-Clause",
    parameters=("opendata_portal_ogeo", "geoportal_ogeo"),
    note="Open data portals and geoportals of municipalities, districts, states and the federation.",
)
KINDS = {"odp": "opendata_portal_ogeo", "gdi": "geoportal_ogeo"}
CITY_STATES = ("Berlin", "Hamburg", "Bremen")
NEEDED = ["ID", "URL", "Titel", "Ort", "Typ", "Reichweite"]


def parse(data: bytes) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    missing = set(NEEDED) - set(frame.columns)
    if missing:
        raise SourceFormatError(f"portale_geocoded4.csv: missing columns {sorted(missing)}")
    return frame[NEEDED]


def load_corrections(path=SIDE_DIR / "opengeoedu.corrections.yml") -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def _apply(rows: pd.DataFrame, corrections: list[dict]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rows with ``city`` set (or an exclusion reason), after the guarded corrections."""
    rows, excluded = rows.copy(), {}
    for fix in corrections:
        hit = rows.ID == str(fix["id"])
        for column, value in (fix.get("expect") or {}).items():
            hit &= rows[column] == value
        if not hit.any():
            continue
        if fix["action"] == "set_city":
            rows.loc[hit, "Ort"] = fix["value"]
        elif fix["action"] == "exclude":
            excluded.update({i: fix["reason"] for i in rows.ID[hit]})
    return rows, excluded


def assign(rows: pd.DataFrame, *, as_of: str, commit: str = "master", corrections: list[dict] | None = None) -> Assignment:
    rows, excluded = _apply(rows, load_corrections() if corrections is None else corrections)
    own = rows[rows.Typ.isin(KINDS) & ((rows.Reichweite == "kommunal")
                                       | ((rows.Reichweite == "regional") & rows.Ort.isin(CITY_STATES)))]
    matcher = NameMatcher.for_source("opengeoedu")
    matched = [matcher.match(o) for o in own.Ort]
    own = own.assign(ags=[m[0] for m in matched], reason=[m[1] for m in matched])
    out = []
    for ags, mine in by_city(own).items():
        for typ, code in KINDS.items():
            hits = [r for r in mine if r.Typ == typ and r.ID not in excluded]
            skipped = [r for r in mine if r.Typ == typ and r.ID in excluded]
            note = "; ".join(_describe(r) for r in hits) or f"no entry with Reichweite 'kommunal' and Typ '{typ}'"
            if skipped:
                note += "; " + "; ".join(f"ID {r.ID} {r.Titel} not counted ({excluded[r.ID]})" for r in skipped)
            out.append({"ags": ags, "parameter": code, "value": "yes" if len(hits) else "no", "as_of": as_of,
                        "note": note})
    values = frame_values(out, SOURCE, source_url=github_blob_url(REPO, commit, PATH), licence=SOURCE.licence)
    left = own[own.ags.isna()]
    return Assignment(values, pd.DataFrame({"row": "ID " + left.ID + " " + left.Titel + " (" + left.Ort + ")",
                                            "reason": left.reason}).reset_index(drop=True))


def _describe(row) -> str:
    where = " [city-state portal, Reichweite 'regional']" if row.Reichweite == "regional" else ""
    return f"ID {row.ID} '{row.Titel.strip()}' {row.URL.strip()}{where}"
