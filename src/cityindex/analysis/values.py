"""The value and source behind every number of a computed edition, for one city.

Published Bitkom editions have no parameters, so their list is empty. A parameter without a
data point keeps ``value`` None ("not published in this data set"); nothing is filled in.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from cityindex.editions import EditionView


def _plain(value):
    """numpy/pandas scalars and dates as JSON-ready Python values; missing as None."""
    if value is None:
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if not isinstance(value, str) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _kinds(edition: EditionView) -> dict[str, str]:
    spec = edition.methodology
    if spec is None:
        return {}
    return {code: p.kind for code, p in spec.parameters.items()}


GITHUB = re.compile(r"^https://github\.com/([^/]+/[^/]+)/(?:blob|tree)/([0-9a-f]{7,40})/")


def source_version(url: str | None, date: str | None) -> dict | None:
    """The version of a repository file a value comes from: repository, commit and date, read from a
    GitHub URL pinned to a commit (None for other sources)."""
    match = GITHUB.match(url or "")
    if not match:
        return None
    return {"repository": match.group(1), "commit": match.group(2), "date": date}


def city_values(edition: EditionView, ags: str) -> list[dict]:
    """One dict per parameter in methodology order: the ``EditionView.city_values`` columns plus
    ``kind`` (binary, points or numeric) and ``source_version`` (repository, commit, date of a
    repository file; None otherwise); ``value`` None where the data set has no value."""
    frame = edition.city_values(ags)
    kinds = _kinds(edition)
    out = []
    for record in frame.to_dict("records"):
        row = {k: _plain(v) for k, v in record.items()}
        row["context_only"] = bool(row["context_only"])
        row["kind"] = kinds.get(row["parameter"])
        row["source_version"] = source_version(row["source_url"], row["retrieved"])
        out.append(row)
    return out
