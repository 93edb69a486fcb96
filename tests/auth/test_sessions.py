"""Sessions: only a keyed hash is stored; idle timeout, absolute lifetime, disabled users, a new secret."""

import datetime as dt

import sqlalchemy as sa

from cityindex.auth import disable_user
from cityindex.auth.sessions import count_sessions, end_session, load_session, open_session
from cityindex.auth.testing import account_settings, make_user


def _age(store, *, last_seen=None, expires=None):
    values = {}
    if last_seen is not None:
        values["last_seen_at"] = dt.datetime.utcnow() - last_seen
    if expires is not None:
        values["expires_at"] = dt.datetime.utcnow() + expires
    sets = ", ".join(f"{k} = :{k}" for k in values)
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE web_sessions SET {sets}"), values)


def test_a_session_is_a_random_id_whose_keyed_hash_is_stored(store):
    settings = account_settings()
    user = make_user(store, "ana@example.org", role="analyst")
    first, second = (open_session(store, user.id, settings=settings) for _ in range(2))
    assert first != second and len(first) >= 43  # 256 random bits, url-safe
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id_hash FROM web_sessions")).scalars().all()
    assert first not in stored and second not in stored
    info = load_session(store, first, settings=settings)
    assert info.email == "ana@example.org" and info.role == "analyst" and info.stage == "full"
    assert load_session(store, first, settings=account_settings(secret_key="another-secret-" + "s" * 30)) is None


def test_idle_sessions_end(store):
    settings = account_settings(session_idle_minutes=30)
    user = make_user(store, "ana@example.org", role="analyst")
    sid = open_session(store, user.id, settings=settings)
    _age(store, last_seen=dt.timedelta(minutes=29))
    assert load_session(store, sid, settings=settings) is not None  # and this request counts as activity
    _age(store, last_seen=dt.timedelta(minutes=31))
    assert load_session(store, sid, settings=settings) is None
    assert count_sessions(store, user.id) == 0  # ended on the server, not only refused


def test_sessions_end_after_their_lifetime_however_active(store):
    settings = account_settings()
    user = make_user(store, "ana@example.org", role="analyst")
    sid = open_session(store, user.id, settings=settings)
    _age(store, expires=dt.timedelta(seconds=-1))
    assert load_session(store, sid, settings=settings) is None


def test_disabling_a_user_ends_their_sessions(store):
    settings = account_settings()
    user = make_user(store, "ana@example.org", role="analyst")
    sid = open_session(store, user.id, settings=settings)
    disable_user(store, "ana@example.org", by="boss@example.org")
    assert load_session(store, sid, settings=settings) is None


def test_sign_out_ends_the_session_on_the_server(store):
    settings = account_settings()
    user = make_user(store, "ana@example.org", role="analyst")
    sid = open_session(store, user.id, settings=settings)
    end_session(store, sid, settings=settings)
    assert load_session(store, sid, settings=settings) is None and count_sessions(store, user.id) == 0
