"""Server-side sessions: a random 256-bit id in the cookie, only its keyed hash in the store.

``open_session`` makes a new id at every sign-in (an id known before sign-in is never
reused: no session fixation); ``load_session`` checks the idle timeout, the absolute lifetime
and that the user is still active, and ends the session otherwise; ``end_session`` ends it on
the server. The hash is keyed with the secret key, so a copy of the table opens no session and
a new secret key ends every session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from cityindex.auth.models import User, UserCity, WebSession
from cityindex.settings import Settings
from cityindex.store.db import Store
from cityindex.store.models import utcnow

TOUCH_EVERY = dt.timedelta(seconds=60)  # write last_seen_at at most once a minute per session


@dataclass(frozen=True)
class SessionInfo:
    """A live session and the current facts about its user."""

    id_hash: str
    stage: str  # full | code (waits for the second factor) | enrol (must set one up first)
    user_id: int
    email: str
    name: str | None
    role: str
    lang: str
    cities: frozenset[str]
    mfa: bool
    expires_at: dt.datetime


def session_hash(session_id: str, settings: Settings) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, b"session:" + session_id.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def open_session(store: Store, user_id: int, *, settings: Settings, stage: str = "full") -> str:
    """A new session for the user; returns the id for the cookie (shown nowhere else)."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    with store.transaction() as session:
        session.execute(sa.delete(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at <= now))
        session.add(WebSession(id_hash=session_hash(session_id, settings), user_id=user_id, stage=stage,
                               created_at=now, last_seen_at=now,
                               expires_at=now + dt.timedelta(hours=settings.session_lifetime_hours)))
    return session_id


def load_session(store: Store, session_id: str | None, *, settings: Settings) -> SessionInfo | None:
    """The live session with that id, or None (unknown, idle too long, too old, user disabled: ended)."""
    if not session_id or len(session_id) > 128:
        return None
    id_hash = session_hash(session_id, settings)
    now = utcnow()
    with store.sessions() as session:
        row = session.get(WebSession, id_hash)
        user = session.get(User, row.user_id) if row is not None else None
        if row is None or user is None:
            return None
        idle = now - row.last_seen_at > dt.timedelta(minutes=settings.session_idle_minutes)
        if idle or row.expires_at <= now or user.disabled_at is not None:
            expired = True
        else:
            expired = False
            cities = frozenset(session.scalars(sa.select(UserCity.city_ags).where(UserCity.user_id == user.id)))
            info = SessionInfo(id_hash=id_hash, stage=row.stage, user_id=user.id, email=user.email, name=user.name,
                               role=user.role, lang=user.lang, cities=cities, mfa=bool(user.totp_enabled),
                               expires_at=row.expires_at)
            touch = now - row.last_seen_at > TOUCH_EVERY
    if expired:
        _delete(store, id_hash)
        return None
    if touch:
        with store.transaction() as session:
            session.execute(sa.update(WebSession).where(WebSession.id_hash == id_hash).values(last_seen_at=now))
    return info


def set_stage(store: Store, id_hash: str, stage: str) -> None:
    with store.transaction() as session:
        session.execute(sa.update(WebSession).where(WebSession.id_hash == id_hash).values(stage=stage))


def end_session(store: Store, session_id: str, *, settings: Settings) -> None:
    _delete(store, session_hash(session_id, settings))


def _delete(store: Store, id_hash: str) -> None:
    with store.transaction() as session:
        session.execute(sa.delete(WebSession).where(WebSession.id_hash == id_hash))


def count_sessions(store: Store, user_id: int) -> int:
    with store.sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(WebSession)
                              .where(WebSession.user_id == user_id)) or 0
