"""Code for Germany OK Labs (okfde/codefor.de, ``content/labs/<lab>.md``).

* ``oklab_any`` — the website has a lab page for the city, whatever its status;
* ``oklab_active`` — … and the page is marked neither ``inactive: true`` nor ``hide: true``.

The lab pages name their members, so they are not bundled: the recorded status flags of the
38 pages at the commit below live in ``side/codefor.labs.csv``; ``parse_page`` reads the same
flags from a page's YAML front matter when the connector runs live.
"""

from __future__ import annotations

import pandas as pd
import yaml

from cityindex.connectors.base import by_city, Assignment, Source, SourceFormatError, frame_values, index_cities
from cityindex.connectors.matching import SIDE_DIR, NameMatcher

REPO, COMMIT, AS_OF = "okfde/codefor.de", "b2f605e1f310e31f1d9b957674e44a8148b50fce", "2026-01-12"
SOURCE = Source(
    key="codefor", title="Code for Germany website (okfde/codefor.de)",
    publisher="Open Knowledge Foundation Deutschland e.V.", url="https://codefor.de",
    licence="MIT (Open Knowledge Foundation Deutschland e.V.)",
    attribution="Code for Germany, okfde/codefor.de, MIT, © Open Knowledge Foundation Deutschland e.V.",
    parameters=("oklab_active", "oklab_any"),
    note="Lab pages of the OK Lab network; only their city and status flags are used.",
)
LISTING_URL = f"https://api.github.com/repos/{REPO}/contents/content/labs"


def flag(value) -> bool:
    """A front-matter flag is set only by ``true`` (``false`` or no flag: not set)."""
    return str(value).strip().lower() == "true"


#: The ``inactive:`` flag first appears in the version of 2024 (17 pages at once).
SCHEMA_NOTE = ("SCHEMA: no page of this version uses the 'inactive:' flag yet (introduced between 2023-04 and "
               "2024-05), so 'active' here = page exists and is not hidden; not comparable with 2024+")


def schema_note(inactive: pd.Series) -> str:
    """The schema caveat for a version whose pages never state ``inactive:`` ('' once any page does)."""
    return "" if (inactive.astype(str).str.strip() != "").any() else SCHEMA_NOTE


def parse_page(data: bytes, *, page: str = "") -> dict:
    """A lab page → ``{"page", "city", "inactive", "hidden"}`` from its YAML front matter."""
    where = page or "lab page"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceFormatError(f"{where}: not UTF-8 text") from None
    parts = text.split("---")
    if not text.startswith("---") or len(parts) < 3:
        raise SourceFormatError(f"{where}: no YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(parts[1]) or {}
    except yaml.YAMLError as exc:
        raise SourceFormatError(f"{where}: the front matter is not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise SourceFormatError(f"{where}: the front matter is not a mapping of keys to values")
    return {"page": page, "city": str(meta.get("city") or "").strip(),
            "inactive": flag(meta.get("inactive")), "hidden": flag(meta.get("hide"))}


def recorded_labs(path=SIDE_DIR / "codefor.labs.csv") -> pd.DataFrame:
    """The flags of all lab pages at the recorded commit (side file)."""
    side = pd.read_csv(path, dtype=str, keep_default_na=False)
    return side.assign(inactive=side.inactive.map(flag), hidden=side.hidden.map(flag))


def assign(labs: pd.DataFrame, *, as_of: str = AS_OF, commit: str = COMMIT,
           matcher: NameMatcher | None = None, schema: str = "") -> Assignment:
    """``oklab_any``/``oklab_active`` per city; *schema* (e.g. :data:`SCHEMA_NOTE`) is added to every note."""
    matcher = matcher or NameMatcher.for_source("codefor")
    matched = [matcher.match(city) for city in labs.city]
    labs = labs.assign(ags=[m[0] for m in matched], reason=[m[1] for m in matched])
    url = f"https://github.com/{REPO}/tree/{commit}/content/labs"
    out = []
    for ags, mine in by_city(labs).items():
        active = [lab for lab in mine if not lab.inactive and not lab.hidden]
        note = " | ".join(part for part in (_note(mine), schema) if part)
        out.append({"ags": ags, "parameter": "oklab_any", "value": _yes(len(mine)), "as_of": as_of, "note": note})
        out.append({"ags": ags, "parameter": "oklab_active", "value": _yes(len(active)), "as_of": as_of, "note": note})
    values = frame_values(out, SOURCE, source_url=url, licence=SOURCE.licence)
    left = labs[labs.ags.isna()]
    return Assignment(values, pd.DataFrame({"row": left.page + " (" + left.city + ")",
                                            "reason": left.reason}).reset_index(drop=True))


def _yes(n: int) -> str:
    return "yes" if n else "no"


def _note(mine: list) -> str:
    parts = []
    for lab in mine:
        flags = [f for f, on in (("hidden", lab.hidden), ("inactive", lab.inactive)) if on]
        parts.append(f"page {lab.page}" + (f" ({', '.join(flags)})" if flags else ""))
        if lab.note:
            parts.append(lab.note)
    return " | ".join(parts)


def labs_from_listing(listing: bytes, fetch) -> pd.DataFrame:
    """Live: the GitHub contents listing of ``content/labs`` → every lab page's flags.

    *fetch(url) -> bytes* downloads one page. ``_index.md`` and the template ``Beispiel.md`` are
    not labs. Member lists on the pages are never kept — only city and flags.
    """
    import json

    try:
        entries = json.loads(listing)
        pages = [e for e in entries if e.get("type") == "file" and e["name"].endswith(".md")
                 and e["name"] not in ("_index.md", "Beispiel.md")]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise SourceFormatError("lab listing: expected the GitHub contents API list of content/labs") from None
    rows = [parse_page(fetch(e["download_url"]), page=f"content/labs/{e['name']}") for e in pages]
    return pd.DataFrame(rows, columns=["page", "city", "inactive", "hidden"]).assign(note="")
