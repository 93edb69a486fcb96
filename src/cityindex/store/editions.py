"""Editions in the store: create, list, move through draft → review → frozen → published, revise."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.errors import CityIndexError, UnknownEdition
from cityindex.store.db import EditionLocked, Store
from cityindex.store.models import STATUSES, DataPoint, Edition, StoredResult, check_length, utcnow

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
NEXT_STATUS = {"draft": ("review", "frozen"), "review": ("draft", "frozen"), "frozen": ("published",)}
LOCKED = ("frozen", "published")


class EditionExists(CityIndexError):
    """An edition with that key exists already."""


class StatusError(CityIndexError):
    """The edition cannot move to that status."""


@dataclass(frozen=True)
class EditionInfo:
    """What the store knows about one edition (a plain value; no database session attached)."""

    key: str
    title: str
    status: str
    methodology_version: str | None
    methodology_hash: str
    previous_key: str | None
    revision_of: str | None
    created_at: dt.datetime
    frozen_at: dt.datetime | None
    published_at: dt.datetime | None
    datapoints: int
    computed_at: dt.datetime | None

    @property
    def locked(self) -> bool:
        return self.status in LOCKED


def _methodology(methodology):
    from cityindex.methodology import Methodology, dump_methodology, load_methodology

    if not isinstance(methodology, Methodology):
        methodology = load_methodology(Path(methodology) if isinstance(methodology, Path) else methodology)
    return methodology, dump_methodology(methodology)


def create_edition(store: Store, key: str, methodology, *, title: str | None = None,
                   previous: str | None = None, by: str | None = None) -> EditionInfo:
    """A new draft edition from a methodology (object, path or YAML text)."""
    edition = _new_edition(store, key, methodology, title=title, previous=previous, by=by)
    with store.transaction() as session:
        _add(session, edition)
    return edition_info(store, key)


def _new_edition(store: Store, key: str, methodology, *, title: str | None, previous: str | None,
                 by: str | None) -> Edition:
    """A checked, not yet stored draft edition row."""
    if not KEY_PATTERN.match(key or ""):
        raise CityIndexError(f"Edition key {key!r} is not valid; use lower-case letters, digits and -, "
                             "e.g. 2026 or open-2026.")
    methodology, text = _methodology(methodology)
    title = title or str(methodology.title)
    check_length(title, Edition.title, "The title")
    check_length(methodology.version, Edition.methodology_version, "The methodology version")
    check_by(by)
    if previous is not None:
        _check_previous(store, previous)
    return Edition(key=key, title=title, methodology_yaml=text, methodology_version=methodology.version,
                   methodology_hash=methodology.hash, status="draft", previous_key=previous, created_by=by)


def _add(session: Session, edition: Edition) -> None:
    if find_row(session, edition.key) is not None:
        raise EditionExists(f"Edition {edition.key!r} exists already; choose another key.")
    session.add(edition)
    session.flush()


def check_by(by: str | None) -> None:
    """The name of who makes a change must fit the store's columns (``--by``)."""
    check_length(by, Edition.created_by, "The name given with --by")


def _check_previous(store: Store, key: str) -> None:
    """A previous edition is a stored edition or a published one (a bundled one is loaded on first use)."""
    from cityindex.store.published import bundled_keys, ensure_published

    with store.sessions() as session:
        keys = session.scalars(sa.select(Edition.key).order_by(Edition.key)).all()
    if key in keys or ensure_published(store, key):
        return
    raise UnknownEdition(f"No edition {key!r} to use as previous edition; known editions: "
                         f"{', '.join(keys) or 'none'}; published editions: {', '.join(bundled_keys())}.")


def find_row(session: Session, key: str) -> Edition | None:
    """The stored edition row, or None."""
    return session.scalars(sa.select(Edition).where(Edition.key == key)).one_or_none()


def get_row(session: Session, key: str) -> Edition:
    """The edition row, or UnknownEdition naming the keys that exist."""
    edition = find_row(session, key)
    if edition is None:
        keys = session.scalars(sa.select(Edition.key).order_by(Edition.key)).all()
        known = ", ".join(keys) if keys else "none yet — create one with `cityindex edition create`"
        raise UnknownEdition(f"No edition {key!r} in the store; known editions: {known}.")
    return edition


def check_mutable(edition: Edition) -> None:
    """Raise EditionLocked unless the edition's data may still change."""
    if edition.status in LOCKED:
        raise EditionLocked(
            f"Edition {edition.key!r} is {edition.status} and cannot be changed; put corrections "
            f"into a new revision: `cityindex edition revise {edition.key} NEW_KEY`.")


def edition_info(store: Store, key: str) -> EditionInfo:
    with store.sessions() as session:
        return _infos(session, [get_row(session, key)])[0]


def list_editions(store: Store) -> list[EditionInfo]:
    """Every edition of the store, newest first."""
    with store.sessions() as session:
        rows = session.scalars(sa.select(Edition).order_by(Edition.created_at.desc(), Edition.id.desc())).all()
        return _infos(session, rows)


def _infos(session: Session, editions: list[Edition]) -> list[EditionInfo]:
    """EditionInfo of each row; data point counts and last computations in one grouped query each."""
    ids = [e.id for e in editions]
    counts = dict(session.execute(sa.select(DataPoint.edition_id, sa.func.count())
                                  .where(DataPoint.edition_id.in_(ids)).group_by(DataPoint.edition_id)).all())
    computed = dict(session.execute(sa.select(StoredResult.edition_id, sa.func.max(StoredResult.computed_at))
                                    .where(StoredResult.edition_id.in_(ids)).group_by(StoredResult.edition_id)).all())
    return [EditionInfo(key=e.key, title=e.title, status=e.status, methodology_version=e.methodology_version,
                        methodology_hash=e.methodology_hash, previous_key=e.previous_key,
                        revision_of=e.revision_of, created_at=e.created_at, frozen_at=e.frozen_at,
                        published_at=e.published_at, datapoints=counts.get(e.id, 0), computed_at=computed.get(e.id))
            for e in editions]


def edition_methodology(store: Store, key: str):
    """The edition's Methodology, loaded from the YAML stored with it."""
    with store.sessions() as session:
        return _load_yaml(get_row(session, key).methodology_yaml)


@lru_cache(maxsize=16)
def _load_yaml(text: str):
    """Methodologies are frozen, so equal YAML text can share one loaded object."""
    from cityindex.methodology import load_methodology

    return load_methodology(text)


def set_status(store: Store, key: str, status: str, *, reports: dict | None = None,
               input_hash: str | None = None) -> EditionInfo:
    """Move an edition on: draft ⇄ review → frozen → published (published is final). When
    publishing, ``reports`` (kind → JSON-ready dict, computed from the Result with ``input_hash``)
    are stored with the Result in the same transaction."""
    if status not in STATUSES:
        raise StatusError(f"Unknown status {status!r}; use one of {', '.join(STATUSES)}.")
    with store.transaction() as session:
        edition = get_row(session, key)
        if status not in NEXT_STATUS.get(edition.status, ()):
            raise StatusError(f"Edition {key!r} is {edition.status}; it cannot become {status}.")
        if status == "published":
            _require_current_result(session, edition)
            if reports:
                from cityindex.store.reports import add_reports

                add_reports(session, edition, reports, input_hash=input_hash or "")
        edition.status = status
        if status == "frozen":
            edition.frozen_at = utcnow()
        if status == "published":
            edition.published_at = utcnow()
    return edition_info(store, key)


def freeze_edition(store: Store, key: str) -> EditionInfo:
    """Freeze an edition: its data points can no longer change."""
    return set_status(store, key, "frozen")


def publish_edition(store: Store, key: str, *, reports: dict | None = None, input_hash: str | None = None) -> EditionInfo:
    """Publish a frozen edition that has a computed result of its current data (with the reports
    computed from that result, see cityindex.analysis.reports)."""
    return set_status(store, key, "published", reports=reports, input_hash=input_hash)


def _require_current_result(session: Session, edition: Edition) -> None:
    """A result must exist and be computed after the last change of a data point."""
    computed = session.scalar(sa.select(sa.func.max(StoredResult.computed_at))
                              .where(StoredResult.edition_id == edition.id))
    changed = session.scalar(sa.select(sa.func.max(DataPoint.updated_at)).where(DataPoint.edition_id == edition.id))
    if computed is None or (changed is not None and changed > computed):
        state = "no computed result" if computed is None else "data points changed after its last computation"
        raise StatusError(f"Edition {edition.key!r} has {state}; run "
                          f"`cityindex score --edition {edition.key}` before publishing.")


def revise_edition(store: Store, key: str, new_key: str, *, by: str, reason: str) -> EditionInfo:
    """A new draft edition that copies a frozen/published one, for corrections after publication.

    The new edition and its copied data points are written in one transaction: all or nothing.
    """
    with store.sessions() as session:
        source = get_row(session, key)
    edition = _new_edition(store, new_key, source.methodology_yaml, title=f"{source.title} (revision)",
                           previous=source.previous_key, by=by)
    edition.revision_of = key
    with store.transaction() as session:
        _add(session, edition)
        _copy_datapoints(session, get_row(session, key), edition, by=by, reason=f"copied from edition {key}: {reason}")
    return edition_info(store, new_key)


def _copy_datapoints(session: Session, old: Edition, new: Edition, *, by: str, reason: str) -> None:
    from cityindex.store.datapoints import copy_rows

    rows = session.execute(sa.select(*DataPoint.__table__.columns).where(DataPoint.edition_id == old.id)).all()
    copy_rows(session, new, [row._asdict() for row in rows], by=by, reason=reason)
