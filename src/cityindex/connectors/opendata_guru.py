"""opendata.guru list of German open-data portals (``dist/opendataportals.csv``).

``opendata_listed_odg`` — ``yes`` when a row of type ``municipality`` or ``municipality+state``
belongs to the city. Rows are matched by the 8-digit AGS; where it is missing it is derived from
the 12-digit RS (first 5 + last 3 digits); otherwise by name. Fixes to single rows live in
``side/opendata_guru.corrections.yml``. ``no`` means "not in the list".
"""

from __future__ import annotations

import io

import pandas as pd
import yaml

from cityindex.connectors.base import (by_city, Assignment, Source, SourceFormatError, frame_values,
                                       github_blob_url, index_cities)
from cityindex.connectors.matching import SIDE_DIR, NameMatcher

REPO, PATH = "opendata-guru/data-portallist-de", "dist/opendataportals.csv"
SOURCE = Source(
    key="opendata-guru", title="opendata.guru portal list (data-portallist-de)",
    publisher="OpenData.Guru (Thomas Tursics)", url="https://github.com/opendata-guru/data-portallist-de",
    licence="MIT (The OpenData.Guru Project)",
    attribution="OpenData.Guru portal list, MIT, © 2019 The OpenData.Guru Project",
    parameters=("opendata_listed_odg",),
    note="List of German open-data portals and publishers with type, URL, AGS/RS and last check.",
)
DOWNLOAD_URL = f"https://raw.githubusercontent.com/{REPO}/main/{PATH}"
#: Row types of a municipality; until 2022 the list called them ``city`` and ``city+state``.
TYPES = ("municipality", "municipality+state", "city", "city+state")
NEEDED = ["portal_title", "type", "url", "ags", "technology", "last_check"]
#: Columns added later (``rs`` in 2021-05, ``title`` in 2023); empty in older versions.
LATER = ["title", "rs"]


def parse(data: bytes) -> pd.DataFrame:
    """The list's rows with the columns of :data:`NEEDED` and :data:`LATER` (every version since 2020)."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    missing = set(NEEDED) - set(frame.columns)
    if missing:
        raise SourceFormatError(f"opendataportals.csv: missing columns {sorted(missing)}")
    for column in LATER:
        frame[column] = frame[column] if column in frame.columns else ""
    return frame[LATER[:1] + NEEDED[:3] + ["ags", "rs"] + NEEDED[4:]]


def derive_ags(ags: str, rs: str) -> str:
    """The 8-digit AGS of a row: given, or RS[0:5] + RS[9:12] for a 12-digit RS, else ''.

    The version of 2020 wrote AGS as numbers, so keys of the states 01–09 lost their leading zero
    (``1002000`` for Kiel, ``5112000`` for Duisburg): a 7-digit AGS is read with the zero restored.
    """
    ags, rs = ags.strip(), rs.strip()
    if len(ags) == 7 and ags.isdigit():
        ags = "0" + ags
    if len(ags) == 8 and ags.isdigit():
        return ags
    if len(rs) == 12 and rs.isdigit():
        return rs[:5] + rs[9:]
    return ""


def load_corrections(path=SIDE_DIR / "opendata_guru.corrections.yml") -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def apply_corrections(rows: pd.DataFrame, corrections: list[dict]) -> tuple[pd.DataFrame, list[str]]:
    """Set the AGS of matched rows whose ``expect`` guard holds; return notes of applied fixes."""
    rows, notes = rows.copy(), []
    for fix in corrections:
        hit = pd.Series(True, index=rows.index)
        for column, value in fix["match"].items():
            hit &= rows[column] == value
        for column, value in (fix.get("expect") or {}).items():
            hit &= rows[column] == value
        if fix["action"] == "set_ags" and hit.any():
            rows.loc[hit, "ags"] = fix["value"]
            notes.append(f"{fix['match']} -> {fix['value']}")
    return rows, notes


def assign(rows: pd.DataFrame, *, as_of: str, commit: str = "main",
           corrections: list[dict] | None = None) -> Assignment:
    rows = rows[rows.type.isin(TYPES)]
    rows, _ = apply_corrections(rows, load_corrections() if corrections is None else corrections)
    ags = [derive_ags(a, r) for a, r in zip(rows.ags, rows.rs)]
    matcher = NameMatcher.for_source("opendata-guru")
    names = (rows.title.where(rows.title != "", rows.portal_title)).tolist()
    known = set(index_cities().ags)
    final, reasons = [], []
    for code, name in zip(ags, names):
        if code:
            final.append(code if code in known else None)
            reasons.append("" if code in known else f"AGS {code} is not an index city")
        else:
            hit, why = matcher.match(name)
            final.append(hit)
            reasons.append(why)
    rows = rows.assign(ags=final, reason=reasons)
    out = []
    for city, mine in by_city(rows).items():
        out.append({"ags": city, "parameter": "opendata_listed_odg", "value": "yes" if len(mine) else "no",
                    "as_of": as_of, "note": "; ".join(_describe(r) for r in mine) or "not in the list"})
    values = frame_values(out, SOURCE, source_url=github_blob_url(REPO, commit, PATH), licence=SOURCE.licence)
    left = rows[rows.ags.isna()]
    return Assignment(values, pd.DataFrame({"row": left.portal_title + " (" + left.url + ")",
                                            "reason": left.reason}).reset_index(drop=True))


def _describe(row) -> str:
    kind = ", ".join(p for p in (row.type, row.technology) if p)
    checked = f"; checked {row.last_check}" if row.last_check else ""
    return f"{row.url} [{kind}{checked}]"
