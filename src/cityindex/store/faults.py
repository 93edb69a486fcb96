"""Database faults as one clear line: bad URLs, unreachable servers, damaged, read-only or full stores.

``faults()`` wraps every session of the store: a driver error of a known kind becomes a
``StoreUnavailable`` (or ``StoreError``) naming the store — with the password masked — and what to
do; anything else (a bug) is left as it is. The CLI prints the line; the web app logs it with an
incident id and shows visitors a generic 503 page.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cityindex.errors import CityIndexError, mask_secrets

URL_HINT = "Use sqlite:///path/to/file.sqlite or postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE."
#: PostgreSQL SQLSTATE classes of faults outside the request: connection, resources (disk full),
#: operator intervention (shutdown), system errors.
UNAVAILABLE_CLASSES = ("08", "53", "57", "58")
SQLITE_FAULTS = (
    (("database or disk is full",), "the store is full (no space left on the disk, or the size limit "
                                    "CITYINDEX_SQLITE_MAX_MB was reached); nothing was written. Free space and try again"),
    (("file is not a database", "malformed"), "the file is not a SQLite database or is damaged. Restore it from a "
                                             "backup"),
    (("readonly database", "read-only"), "the file or its directory is read-only; nothing was written. Make it "
                                         "writable or choose another data directory"),
    (("unable to open database file",), "the file cannot be opened or created (does its directory exist and is "
                                        "it writable?)"),
    (("disk i/o error",), "the disk reported an I/O error; nothing was written"),
    (("database is locked", "database is busy"), "another process holds the store's lock; nothing was written. Try "
                                                 "again later"),
)


class StoreError(CityIndexError):
    """The store cannot be opened."""


class StoreUnavailable(StoreError):
    """The store is unavailable (unreachable, damaged, read-only or full)."""


class StoreBusy(StoreUnavailable):
    """Another import or change held the lock too long; nothing was written."""


def parse_url(text: str) -> sa.URL:
    """A database URL, or StoreError that shows it with its password masked."""
    try:
        url = make_url(text)
        url.port  # noqa: B018  (make_url checks the port lazily in some versions)
    except sa.exc.ArgumentError:
        raise StoreError("Not a database URL (CITYINDEX_DATABASE_URL or --database-url; not shown, as it may hold "
                         f"a password). {URL_HINT}") from None
    except ValueError:
        raise StoreError("Not a valid database URL (CITYINDEX_DATABASE_URL or --database-url): its port must be a "
                         f"number. {URL_HINT}") from None
    return url


@contextmanager
def faults(url: str, path: str | None) -> Iterator[None]:
    """Driver errors of a known kind → StoreUnavailable / StoreError; library errors pass unchanged."""
    try:
        yield
    except CityIndexError:
        raise
    except (sa.exc.DBAPIError, sqlite3.Error) as exc:
        problem = translate(getattr(exc, "orig", None) or exc, url=url, path=path)
        if problem is None:
            raise
        raise problem from None
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "psycopg":
            raise
        problem = translate(exc, url=url, path=path)
        if problem is None:
            raise
        raise problem from None


def translate(error: BaseException, *, url: str, path: str | None) -> StoreError | None:
    """The one-line error for a driver error, or None when it is not a known fault."""
    text = first_line(error)
    if isinstance(error, sqlite3.Error):
        return _sqlite_fault(error, text, path or url)
    sqlstate = getattr(error, "sqlstate", None) or ""
    if sqlstate == "P0001" or sqlstate.startswith("23"):  # a guard trigger, a constraint
        return StoreError(f"The store refused the change: {text}.")
    if type(error).__name__ == "OperationalError" and not sqlstate or sqlstate[:2] in UNAVAILABLE_CLASSES:
        return StoreUnavailable(f"Cannot open the store at {url}: {text}")
    return None


def _sqlite_fault(error: sqlite3.Error, text: str, where: str) -> StoreError | None:
    lowered = text.lower()
    if isinstance(error, sqlite3.IntegrityError):
        return StoreError(f"The store refused the change: {text}.")
    for needles, meaning in SQLITE_FAULTS:
        if any(n in lowered for n in needles):
            kind = StoreBusy if "locked" in needles[0] else StoreUnavailable
            return kind(f"Cannot use the store {where}: {meaning} ({text}).")
    return None


def sqlite_busy(error: BaseException) -> bool:
    """True for SQLite's "database is locked/busy" (another writer holds the lock)."""
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return mask_secrets(text.splitlines()[0].strip())
