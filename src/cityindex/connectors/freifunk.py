"""freifunk.net API directory (``directory.json``) and the node counts of community API files.

* ``freifunk_directory_entry`` — ``yes`` when a directory key maps to the city (keys mapped in
  ``side/freifunk.cities.json``), else ``no``: "not in the directory", not "no Freifunk".
* ``freifunk_nodes_stated`` — ``state.nodes`` of a community's API file with its
  ``state.lastchange`` date. Only the files listed in ``side/freifunk.nodes.csv`` (with repository
  and commit) were read; the values are dated differently per city and often regional, so the
  open pilot shows them as context only.
"""

from __future__ import annotations

import json

import pandas as pd

from cityindex.connectors.base import (by_city, Assignment, Source, SourceFormatError, frame_values,
                                       github_blob_url, index_cities)
from cityindex.connectors.matching import SIDE_DIR, NameMatcher

REPO, PATH = "freifunk/directory.api.freifunk.net", "directory.json"
SOURCE = Source(
    key="freifunk", title="freifunk.net API directory", publisher="freifunk.net",
    url="https://github.com/freifunk/directory.api.freifunk.net", licence="CC0 1.0",
    attribution="freifunk.net API directory, CC0",
    parameters=("freifunk_directory_entry", "freifunk_nodes_stated"),
    note="Registry of Freifunk communities (free community Wi-Fi) taking part in the freifunk.net API.",
)
NODES_SOURCE = Source(
    key="freifunk-nodes", title="Freifunk community API files", publisher="Freifunk communities",
    url="https://api.freifunk.net", licence="factual figure from a community API file; file not redistributed",
    attribution="Node counts as stated in each community's freifunk.net API file (repository and commit per value)",
    parameters=("freifunk_nodes_stated",),
    note="Node counts stated in each community's API file; dated per city and often regional, so context only.",
)
DOWNLOAD_URL = f"https://raw.githubusercontent.com/{REPO}/master/{PATH}"


def parse(data: bytes) -> pd.DataFrame:
    """``directory.json`` (``{key: api_file_url}``) → rows key, url."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise SourceFormatError(f"directory.json: not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise SourceFormatError("directory.json: expected an object mapping community keys to URLs")
    return pd.DataFrame({"key": list(doc), "url": [str(v) for v in doc.values()]})


def assign(rows: pd.DataFrame, *, as_of: str, commit: str = "master",
           matcher: NameMatcher | None = None) -> Assignment:
    matcher = matcher or NameMatcher.for_source("freifunk")
    matched = [matcher.match(key) for key in rows.key]
    rows = rows.assign(ags=[m[0] for m in matched], reason=[m[1] for m in matched])
    out = []
    for ags, mine in by_city(rows).items():
        note = "; ".join(f"{r.key} -> {r.url}" for r in sorted(mine, key=lambda r: r.key))
        out.append({"ags": ags, "parameter": "freifunk_directory_entry",
                    "value": "yes" if len(mine) else "no", "as_of": as_of,
                    "note": f"entries: {note}" if note else "not in the directory"})
    values = frame_values(out, SOURCE, source_url=github_blob_url(REPO, commit, PATH),
                          licence=SOURCE.licence)
    left = rows[rows.ags.isna()]
    return Assignment(values, pd.DataFrame({"row": left.key, "reason": left.reason}).reset_index(drop=True))


# --- community API files ------------------------------------------------------------------


def parse_api_file(data: bytes) -> dict:
    """A community API file → ``{"name", "nodes", "lastchange"}`` (nodes None when not stated)."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise SourceFormatError(f"API file: not JSON ({exc})") from None
    state = doc.get("state") if isinstance(doc, dict) else None
    if not isinstance(state or {}, dict):
        raise SourceFormatError("API file: 'state' is not an object; is this a freifunk.net API file?")
    state = state or {}
    nodes = state.get("nodes")
    try:
        count = int(nodes) if nodes not in (None, "") else None
    except (TypeError, ValueError):
        raise SourceFormatError(f"API file: state.nodes is {nodes!r}, not a whole number") from None
    return {"name": doc.get("name"), "nodes": count, "lastchange": str(state.get("lastchange") or "")[:10]}


def stated_nodes(path=SIDE_DIR / "freifunk.nodes.csv") -> Assignment:
    """The recorded node counts (side file with repository, path and commit per city)."""
    side = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = []
    for row in side.itertuples():
        url = github_blob_url(row.repository, row.commit, row.path) if row.repository else row.source_url
        out.append({"ags": row.ags, "parameter": "freifunk_nodes_stated", "value": row.nodes,
                    "unit": "nodes" if row.nodes else "", "as_of": row.lastchange,
                    "source_url": url, "note": row.note})
    return Assignment(frame_values(out, NODES_SOURCE, source_url="", licence=NODES_SOURCE.licence))


def nodes_from_directory(rows: pd.DataFrame, fetch, *, matcher: NameMatcher | None = None) -> Assignment:
    """Live: read the API file of one directory key per index city.

    A city with several keys (district entries) takes its city-named key, else the first alias in
    the side file's order (``kbu-koeln`` before ``porz``). A file that cannot be read or states no
    node count leaves the value unknown, with the reason in the note.
    """
    from cityindex.errors import CityIndexError

    matcher = matcher or NameMatcher.for_source("freifunk")
    alias_order = {k: i for i, k in enumerate(matcher.aliases)}
    chosen: dict[str, tuple[int, str, str]] = {}
    for key, url in zip(rows.key, rows.url):
        ags, _ = matcher.match(key)
        if ags is not None:
            rank = alias_order.get(key, -1)
            if ags not in chosen or rank < chosen[ags][0]:
                chosen[ags] = (rank, key, url)
    out = []
    for ags, (_, key, url) in sorted(chosen.items()):
        try:
            state = parse_api_file(fetch(url))
        except CityIndexError as exc:
            out.append({"ags": ags, "parameter": "freifunk_nodes_stated", "value": "", "source_url": url,
                        "note": f"API file of '{key}' could not be read: {exc}"})
            continue
        value = "" if state["nodes"] is None else str(state["nodes"])
        out.append({"ags": ags, "parameter": "freifunk_nodes_stated", "value": value,
                    "unit": "nodes" if value else "", "as_of": state["lastchange"], "source_url": url,
                    "note": f"state.nodes in the API file of '{key}'; date = state.lastchange"
                    if value else f"API file of '{key}' states no node count"})
    return Assignment(frame_values(out, NODES_SOURCE, source_url="", licence=NODES_SOURCE.licence))


def nodes_of_year(rows: pd.DataFrame, *, cutoff: str, matcher: NameMatcher | None = None) -> Assignment:
    """Node counts of one year of the series from the recorded API-file facts (``derived/freifunk_nodes.csv``:
    year, key, url, repo, path, commit, commit_date, nodes, lastchange, status).

    A city with several keys takes its city-named key, else the first alias (as :func:`nodes_from_directory`).
    A count whose ``lastchange`` lies more than a year before *cutoff* is kept and marked STALE.
    """
    matcher = matcher or NameMatcher.for_source("freifunk")
    alias_order = {k: i for i, k in enumerate(matcher.aliases)}
    chosen: dict[str, tuple[int, object]] = {}
    for row in rows.itertuples():
        ags, _ = matcher.match(row.key)
        rank = alias_order.get(row.key, -1)
        if ags is not None and (ags not in chosen or rank < chosen[ags][0]):
            chosen[ags] = (rank, row)
    stale_before = f"{int(cutoff[:4]) - 1}{cutoff[4:]}"
    out = []
    for ags, (_, row) in sorted(chosen.items()):
        known = row.status == "ok" and row.nodes != ""
        lastchange = row.lastchange[:10]
        if known:
            stale = " STALE (lastchange more than 12 months before 1 July)" if lastchange < stale_before else ""
            note = (f"state.nodes in {row.repo} {row.path} @ {row.commit[:12]} (commit {row.commit_date}); "
                    f"lastchange {lastchange}{stale}")
        else:
            note = f"{row.key}: {row.status} ({row.url})"
        url = github_blob_url(row.repo, row.commit, row.path) if row.repo and row.commit else row.url
        out.append({"ags": ags, "parameter": "freifunk_nodes_stated", "value": row.nodes if known else "",
                    "unit": "nodes" if known else "", "as_of": lastchange if known else "", "source_url": url,
                    "note": note})
    return Assignment(frame_values(out, NODES_SOURCE, source_url="", licence=NODES_SOURCE.licence))
