"""Musterdatenkatalog V4 (Bertelsmann Stiftung): GovData publisher names per municipality.

``govdata_publishers_mdk`` — number of *distinct* publisher names that the catalogue's mapping
file assigns to the city ("Kommune"). The catalogue is built from GovData, so 0 means "no
GovData publisher is assigned to this city", not "no open data".
"""

from __future__ import annotations

import io
import re

import pandas as pd

from cityindex.connectors.base import (by_city, Assignment, Source, SourceFormatError, frame_values,
                                       github_blob_url, index_cities)
from cityindex.connectors.matching import NameMatcher

REPO, PATH = "bertelsmannstift/Musterdatenkatalog-V4", "data/raw/2024_08_20_cities_1310_v5.csv"
SOURCE = Source(
    key="musterdatenkatalog", title="Musterdatenkatalog V4 (Bertelsmann Stiftung)",
    publisher="Bertelsmann Stiftung", url="https://github.com/bertelsmannstift/Musterdatenkatalog-V4",
    licence="CC0 1.0", attribution="Musterdatenkatalog, Bertelsmann Stiftung, CC0",
    parameters=("govdata_publishers_mdk",),
    note="Maps every GovData publisher name to a municipality (Kommune).",
)
DOWNLOAD_URL = f"https://raw.githubusercontent.com/{REPO}/main/{PATH}"
EMAIL = re.compile(r"[^\s;,]+@[^\s;,]+")


def parse(data: bytes) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    if not {"name", "Kommune"} <= set(frame.columns):
        raise SourceFormatError("cities mapping: expected the columns 'name' and 'Kommune'")
    return frame.rename(columns={"name": "publisher", "Kommune": "kommune"})[["publisher", "kommune"]]


def assign(rows: pd.DataFrame, *, as_of: str, commit: str = "main", path: str = PATH,
           matcher: NameMatcher | None = None) -> Assignment:
    """Distinct publisher names per city. *path* names the list (its file name changes with each
    version: ``2023_04_20_cities_910_v3.csv`` … ``2024_08_20_cities_1310_v5.csv``)."""
    matcher = matcher or NameMatcher.for_source("musterdatenkatalog")
    kommunen = rows.kommune.drop_duplicates()
    lookup = {k: matcher.match(k) for k in kommunen}
    rows = rows.assign(ags=rows.kommune.map(lambda k: lookup[k][0]),
                       reason=rows.kommune.map(lambda k: lookup[k][1]))
    out = []
    for ags, mine in by_city(rows).items():
        names = sorted({r.publisher.strip() for r in mine}, key=lambda n: (n.lower(), n))
        shown = "; ".join(EMAIL.sub("[e-mail address]", n) for n in names)
        out.append({"ags": ags, "parameter": "govdata_publishers_mdk", "value": str(len(names)),
                    "unit": "publishers", "as_of": as_of,
                    "note": f"publishers: {shown}" if names else "no GovData publisher assigned"})
    values = frame_values(out, SOURCE, source_url=github_blob_url(REPO, commit, path), licence=SOURCE.licence)
    left = rows[rows.ags.isna()].drop_duplicates("kommune")
    return Assignment(values, pd.DataFrame({"row": left.kommune, "reason": left.reason}).reset_index(drop=True))
