"""Editions in the store: create, list, move through draft → review → frozen → published.

This module owns what every writer of an edition needs (``get_row``, ``check_mutable``,
``check_by``, ``lock_edition``); ``datapoints`` and ``results`` build on it, never the reverse.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.errors import CityIndexError, UnknownEdition
from cityindex.store.db import EDITION_LOCKS, EditionLocked, Store, advisory_lock
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
    edition = new_edition_row(store, key, methodology, title=title, previous=previous, by=by)
    with store.transaction() as session:
        add_edition_row(session, edition)
    return edition_info(store, key)


def new_edition_row(store: Store, key: str, methodology, *, title: str | None, previous: str | None,
                    by: str | None) -> Edition:
    """A checked, not yet stored draft edition row."""
    if not KEY_PATTERN.match(key or ""):
        raise CityIndexError(f"Edition key {key!r} is not valid; use lower-case letters, digits and -, "
                             "e.g. 2026 or open-2026.")
    methodology, text = _methodology(methodology)
    title = str(title or methodology.title)
    check_length(title, Edition.title, "The title")
    check_length(methodology.version, Edition.methodology_version, "The methodology version")
    check_by(by)
    if previous is not None:
        _check_previous(store, previous)
    return Edition(key=key, title=title, methodology_yaml=text, methodology_version=methodology.version,
                   methodology_hash=methodology.hash, status="draft", previous_key=previous, created_by=by)


def add_edition_row(session: Session, edition: Edition) -> None:
    """Insert the new edition; a key taken meanwhile by a concurrent writer is EditionExists too."""
    exists = EditionExists(f"Edition {edition.key!r} exists already; choose another key.")
    if find_row(session, edition.key) is not None:
        raise exists
    session.add(edition)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        raise exists from None


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


def lock_edition(session: Session, key: str) -> Edition:
    """The edition row, locked for writing until the transaction ends, as the last writer left it.

    Imports, revisions, scoring, freeze and publish of one edition run one after the other:
    PostgreSQL takes an advisory lock per edition; SQLite's write transaction holds the store's lock.
    """
    edition = get_row(session, key)
    advisory_lock(session, EDITION_LOCKS, edition.id, what=f"edition {key!r}")
    session.refresh(edition)
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


def set_methodology(store: Store, key: str, methodology, *, previous: str | None = None) -> EditionInfo:
    """Give a draft (or review) edition a new version of its methodology (object, path or YAML text)
    and, when given, a previous edition. Stored Results keep the methodology they were computed
    with (``result_history``); score the edition again to get a Result under the new version."""
    methodology, text = _methodology(methodology)
    check_length(methodology.version, Edition.methodology_version, "The methodology version")
    if previous is not None:
        _check_previous(store, previous)
    with store.transaction() as session:
        edition = get_row(session, key)
        check_mutable(edition)
        edition.methodology_yaml, edition.methodology_version = text, methodology.version
        edition.methodology_hash = methodology.hash
        if previous is not None:
            edition.previous_key = previous
    return edition_info(store, key)


def edition_methodology(store: Store, key: str):
    """The edition's Methodology, loaded from the YAML stored with it."""
    with store.sessions() as session:
        return methodology_from_text(get_row(session, key).methodology_yaml)


@lru_cache(maxsize=16)
def methodology_from_text(text: str):
    """The Methodology of stored YAML text (frozen, so equal text shares one loaded object)."""
    from cityindex.methodology import load_methodology

    return load_methodology(text)


def set_status(store: Store, key: str, status: str, *, force: bool = False, reason: str | None = None,
               by: str | None = None, reports: dict | None = None, input_hash: str | None = None) -> EditionInfo:
    """Move an edition on: draft ⇄ review → frozen → published (published is final).

    Freezing is refused while the review round holds open proposals, unless ``force`` with a
    ``reason`` (written to the review log with ``by``). When publishing, ``reports`` (kind →
    JSON-ready dict, computed from the Result with ``input_hash``) are stored with the Result in
    the same transaction.
    """
    if status not in STATUSES:
        raise StatusError(f"Unknown status {status!r}; use one of {', '.join(STATUSES)}.")
    with store.transaction() as session:
        edition = lock_edition(session, key)
        if status not in NEXT_STATUS.get(edition.status, ()):
            raise StatusError(f"Edition {key!r} is {edition.status}; it cannot become {status}.")
        if status == "published":
            _require_current_result(session, edition)
            if reports:
                from cityindex.store.reports import add_reports

                add_reports(session, edition, reports, input_hash=input_hash or "")
        if status == "frozen":
            from cityindex.review.guard import check_freeze  # the review round may hold open proposals

            check_freeze(session, edition, force=force, reason=reason, by=by)
        edition.status = status
        if status == "frozen":
            edition.frozen_at = utcnow()
        if status == "published":
            edition.published_at = utcnow()
    return edition_info(store, key)


def freeze_edition(store: Store, key: str, *, force: bool = False, reason: str | None = None,
                   by: str | None = None) -> EditionInfo:
    """Freeze an edition: its data points can no longer change (see ``set_status`` for open proposals)."""
    return set_status(store, key, "frozen", force=force, reason=reason, by=by)


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
