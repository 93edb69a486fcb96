"""Published (Bitkom) editions in the store: load the bundled numbers, read them back, use their ranks.

``load_published_editions`` copies what ``cityindex.published.load_published()`` gives into the
tables ``published_editions`` and ``published_rows``: every rank, score and Tendenz exactly as
published, unknown as NULL, every row with its source URLs; the 2022 area tables whose area is
unknown stay tables B–E (``table_letter``), never forced into a scope.

Loading is idempotent and append-only: each edition's content has a sha256 hash; an edition whose
hash equals its current revision is skipped, a changed one gets a new revision with all its rows
(older revisions stay in the database; the highest revision is current). The database refuses
UPDATE and DELETE on both tables (migration 0003).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.errors import UnknownEdition
from cityindex.store.db import PUBLISHED_LOCK, STORE_LOCKS, Store, advisory_lock
from cityindex.store.models import PublishedEdition, PublishedRow

RESULT_COLUMNS = ["edition", "city", "scope", "rank", "score", "rank_change", "rank_source", "score_source",
                  "rank_change_source", "sources", "source", "ags"]
UNASSIGNED_COLUMNS = ["edition", "table", "rank", "city", "score", "rank_change", "source", "ags"]
SOURCE_FIELDS = ("rank_source", "score_source", "rank_change_source")
URL_SEPARATOR = "\n"


@dataclass(frozen=True)
class PublishedEditionInfo:
    """The current revision of a published edition in the store (a plain value)."""

    key: str
    year: int
    n_cities: int
    title: str
    revision: int
    content_sha256: str
    loaded_at: dt.datetime
    rows: int
    unassigned: int
    kind: str = "published"


def bundled_keys() -> tuple[str, ...]:
    """Keys of the published editions bundled with cityindex (``2019`` … ``2025``)."""
    from cityindex.published import EDITION_SIZES

    return tuple(str(year) for year in EDITION_SIZES)


# Loading ---------------------------------------------------------------------------------------


def load_published_editions(store: Store, *, data=None) -> int:
    """Load the bundled published editions into the store; returns the number of revisions written.

    ``data`` (a ``PublishedData``) defaults to ``load_published()``. Editions whose content is
    unchanged are skipped, so a second run returns 0 and writes nothing; an edition whose bundled
    content changed gets a new revision (one transaction for all editions).
    """
    from cityindex.published import EDITION_SIZES, load_published

    data = load_published() if data is None else data
    written = 0
    with store.transaction() as session:
        advisory_lock(session, STORE_LOCKS, PUBLISHED_LOCK, what="the published editions")
        for year, n_cities in EDITION_SIZES.items():
            rows = _edition_records(data, year)
            title = f"Bitkom Smart City Index {year}"
            digest = _content_hash(title, n_cities, rows)
            current = _current(session, str(year))
            if current is not None and current.content_sha256 == digest:
                continue
            edition = PublishedEdition(key=str(year), revision=(current.revision + 1) if current else 1, year=year,
                                       n_cities=n_cities, title=title, content_sha256=digest)
            session.add(edition)
            session.flush()
            session.execute(sa.insert(PublishedRow), [{**row, "published_edition_id": edition.id} for row in rows])
            written += 1
    return written


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, tuple) and pd.isna(value)) else str(value)


def _number(value, kind):
    return None if pd.isna(value) else kind(value)


def _edition_records(data, year: int) -> list[dict]:
    """The rows of one edition, scope rows first then unassigned tables, in bundle order."""
    records = [{"city_ags": r.ags, "city_name": r.city, "scope": r.scope, "table_letter": None,
                "rank": _number(r.rank, int), "score": _number(r.score, float),
                "rank_change": _number(r.rank_change, int),
                **{f: _text(getattr(r, f)) for f in SOURCE_FIELDS},
                "sources": URL_SEPARATOR.join(r.sources) if isinstance(r.sources, tuple) else None}
               for r in data.edition(year).itertuples(index=False)]
    unassigned = data.unassigned[data.unassigned["edition"] == year]
    records += [{"city_ags": r.ags, "city_name": r.city, "scope": None, "table_letter": r.table,
                 "rank": _number(r.rank, int), "score": _number(r.score, float),
                 "rank_change": _number(r.rank_change, int), "rank_source": None, "score_source": None,
                 "rank_change_source": None, "sources": _text(r.source)}
                for r in unassigned.itertuples(index=False)]
    return records


def _content_hash(title: str, n_cities: int, rows: list[dict]) -> str:
    payload = json.dumps({"title": title, "n_cities": n_cities, "rows": rows}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# Reading ---------------------------------------------------------------------------------------


def _current(session: Session, key: str) -> PublishedEdition | None:
    return session.scalars(sa.select(PublishedEdition).where(PublishedEdition.key == key)
                           .order_by(PublishedEdition.revision.desc()).limit(1)).first()


def _get(session: Session, key: str) -> PublishedEdition:
    edition = _current(session, key)
    if edition is None:
        loaded = session.scalars(sa.select(PublishedEdition.key).distinct().order_by(PublishedEdition.key)).all()
        hint = (f"loaded: {', '.join(loaded)}" if loaded else
                "none loaded yet — run `cityindex edition load-published`")
        raise UnknownEdition(f"No published edition {key!r} in the store ({hint}; bundled: "
                             f"{', '.join(bundled_keys())}).")
    return edition


def list_published_editions(store: Store) -> list[PublishedEditionInfo]:
    """The current revision of every published edition in the store, newest year first."""
    with store.sessions() as session:
        keys = session.scalars(sa.select(PublishedEdition.key).distinct()).all()
        editions = sorted((_current(session, k) for k in keys), key=lambda e: e.year, reverse=True)
        return [_info(session, e) for e in editions]


def published_edition_info(store: Store, key: str) -> PublishedEditionInfo:
    with store.sessions() as session:
        return _info(session, _get(session, str(key)))


def _info(session: Session, e: PublishedEdition) -> PublishedEditionInfo:
    counts = dict(session.execute(
        sa.select(PublishedRow.scope.is_(None), sa.func.count()).where(PublishedRow.published_edition_id == e.id)
        .group_by(PublishedRow.scope.is_(None))).all())
    return PublishedEditionInfo(key=e.key, year=e.year, n_cities=e.n_cities, title=e.title, revision=e.revision,
                                content_sha256=e.content_sha256, loaded_at=e.loaded_at,
                                rows=counts.get(False, 0), unassigned=counts.get(True, 0))


def _select(session: Session, edition: str, *, unassigned: bool, scope: str | None = None):
    stored = _get(session, str(edition))
    statement = sa.select(PublishedRow).where(PublishedRow.published_edition_id == stored.id)
    statement = statement.where(PublishedRow.scope.is_(None) if unassigned else PublishedRow.scope.is_not(None))
    if scope:
        statement = statement.where(PublishedRow.scope == scope)
    return stored.year, session.scalars(statement.order_by(PublishedRow.id)).all()


def published_rows(store: Store, *, edition: str | int, scope: str | None = None) -> pd.DataFrame:
    """The published rows of an edition (optionally one scope), as ``load_published().edition(year)`` gives them."""
    with store.sessions() as session:
        year, rows = _select(session, str(edition), unassigned=False, scope=scope)
    frame = pd.DataFrame({
        "edition": pd.Series([year] * len(rows), dtype="int64"),
        "city": pd.Series([r.city_name for r in rows], dtype="str"),
        "scope": pd.Series([r.scope for r in rows], dtype="str"),
        "rank": pd.Series([r.rank for r in rows], dtype="Int64"),
        "score": pd.Series([r.score for r in rows], dtype="Float64"),
        "rank_change": pd.Series([r.rank_change for r in rows], dtype="Int64"),
        **{f: pd.Series([getattr(r, f) for r in rows], dtype="str") for f in SOURCE_FIELDS},
        "sources": pd.Series([tuple(r.sources.split(URL_SEPARATOR)) if r.sources else None for r in rows],
                             dtype="object"),
    })
    frame["source"] = frame["rank_source"].fillna(frame["score_source"]).fillna(frame["rank_change_source"])
    frame["ags"] = pd.Series([r.city_ags for r in rows], dtype="str")
    return frame[RESULT_COLUMNS]


def published_unassigned(store: Store, *, edition: str | int) -> pd.DataFrame:
    """The tables of an edition whose area is unknown (2022: B–E), as ``load_published().unassigned`` has them."""
    with store.sessions() as session:
        year, rows = _select(session, str(edition), unassigned=True)
    return pd.DataFrame({
        "edition": pd.Series([year] * len(rows), dtype="int64"),
        "table": pd.Series([r.table_letter for r in rows], dtype="str"),
        "rank": pd.Series([r.rank for r in rows], dtype="Int64"),
        "city": pd.Series([r.city_name for r in rows], dtype="str"),
        "score": pd.Series([r.score for r in rows], dtype="Float64"),
        "rank_change": pd.Series([r.rank_change for r in rows], dtype="Int64"),
        "source": pd.Series([r.sources for r in rows], dtype="str"),
        "ags": pd.Series([r.city_ags for r in rows], dtype="str"),
    })[UNASSIGNED_COLUMNS]


def published_ranks(store: Store, *, edition: str | int) -> pd.DataFrame:
    """Published ranks as the engine takes them for rank changes: AGS × scope, ``Int64``.

    Only ranks that were published are present; a city or scope without one is missing (NA),
    so the engine gives it no rank change. Unassigned tables are not used.
    """
    rows = published_rows(store, edition=edition)
    known = rows[rows["rank"].notna()]
    ranks = known.pivot(index="ags", columns="scope", values="rank").astype("Int64")
    ranks.index.name, ranks.columns.name = None, None
    return ranks


def ensure_published(store: Store, key: str) -> bool:
    """True if ``key`` names a published edition of the store; a bundled one not yet loaded is loaded first."""
    with store.sessions() as session:
        if _current(session, str(key)) is not None:
            return True
    if str(key) not in bundled_keys():
        return False
    load_published_editions(store)
    return True
