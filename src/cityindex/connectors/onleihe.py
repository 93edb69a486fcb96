"""onbibdb — community database of German libraries lending e-media through the Onleihe (2019).

``onleihe_public_library`` — ``yes`` when a public library (not a school or church library) of
the city is listed; ``no`` means "no such entry in the database" — the city library may lend
e-media through another platform, which this parameter does not cover.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from cityindex.connectors.base import (by_city, Assignment, Source, SourceFormatError, frame_values,
                                       github_blob_url, index_cities)
from cityindex.connectors.matching import SIDE_DIR, NameMatcher, read_side

REPO, PATH = "natowi/onbibdb", "onbibdb-source/onbibdb19.csv"
SOURCE = Source(
    key="onleihe", title="onbibdb – Datenbank der Onleihe-Bibliotheken (natowi)", publisher="natowi",
    url="https://github.com/natowi/onbibdb", licence="CC BY 3.0 (natowi 2016-2019)",
    attribution="natowi 2016-2019 https://github.com/natowi/onbibdb, CC BY 3.0",
    parameters=("onleihe_public_library",),
    note="Libraries with an Onleihe (divibib) e-lending offer: state, town, library, network, media counts.",
)
DOWNLOAD_URL = f"https://raw.githubusercontent.com/{REPO}/master/{PATH}"
NEEDED = ["UID", "Bundesland", "Stadt", "Stadtbibliothek", "VB", "Stand"]


def parse(data: bytes) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    missing = set(NEEDED) - set(frame.columns)
    if missing:
        raise SourceFormatError(f"onbibdb19.csv: missing columns {sorted(missing)}")
    return frame[NEEDED].rename(columns={"Bundesland": "state", "Stadt": "town",
                                         "Stadtbibliothek": "library", "VB": "network", "Stand": "stand"})


def side() -> dict:
    return read_side(SIDE_DIR / "onleihe.cities.json")


def as_of_from_stand(rows: pd.DataFrame) -> str:
    """The newest ``Stand`` (dd.mm.yyyy) of the file as an ISO date."""
    dates = pd.to_datetime(rows.stand, format="%d.%m.%Y", errors="coerce").dropna()
    return dates.max().date().isoformat() if len(dates) else ""


def assign(rows: pd.DataFrame, *, as_of: str | None = None, commit: str = "master") -> Assignment:
    spec = side()
    matcher = NameMatcher(aliases=dict(spec["aliases"]), not_cities=dict(spec["not_cities"]))
    states = rows.state.map(lambda s: spec["states"].get(s.strip(), s.strip()))
    matched = [matcher.match(t, state=s) for t, s in zip(rows.town, states)]
    pattern = "|".join(map(re.escape, spec["not_public"]))
    not_public = (rows.library.str.contains(pattern, regex=True) if pattern
                  else pd.Series(False, index=rows.index))
    rows = rows.assign(ags=[m[0] for m in matched], reason=[m[1] for m in matched], public=~not_public)
    as_of = as_of or as_of_from_stand(rows)
    out = []
    for ags, mine in by_city(rows).items():
        public, other = [r for r in mine if r.public], [r for r in mine if not r.public]
        note = " | ".join(part for part in (_list("public", public), _list("school/church only", other)) if part)
        out.append({"ags": ags, "parameter": "onleihe_public_library", "value": "yes" if len(public) else "no",
                     "as_of": as_of, "note": note or "no Onleihe entry for the city"})
    values = frame_values(out, SOURCE, source_url=github_blob_url(REPO, commit, PATH), licence=SOURCE.licence)
    left = rows[rows.ags.isna()]
    return Assignment(values, pd.DataFrame({"row": "UID " + left.UID + " " + left.town,
                                            "reason": left.reason}).reset_index(drop=True))


def _list(label: str, rows: list) -> str:
    if not rows:
        return ""
    items = [f"UID {r.UID} {r.library or '[no library name given]'} ({r.network})" for r in rows]
    return f"{label}: " + "; ".join(items)
