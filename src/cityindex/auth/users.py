"""Users: add, list, disable, change role; one-time links (invitation, reset); sign-in by password.

Keyword-only library functions over the store, shared by the CLI and the admin pages. Every
change writes its audit event in the same transaction. ``by`` is who acts: an e-mail address
on the web, ``cli:<login>`` on the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.auth import audit
from cityindex.auth.errors import BadCredentials, BadEmail, BadRole, InvalidLink, UnknownUser, UserExists
from cityindex.auth.models import ROLES, RecoveryCode, User, UserCity, UserToken, WebSession
from cityindex.auth.passwords import check_strength, hash_password, verify_password
from cityindex.settings import Settings
from cityindex.store.db import Store
from cityindex.store.models import utcnow

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
RESET_VALID = dt.timedelta(hours=24)
LINK_PATH = "/zugang/"


@dataclass(frozen=True)
class UserInfo:
    """A user as a plain value (no password hash, no second-factor secret)."""

    id: int
    email: str
    name: str | None
    role: str
    lang: str
    cities: tuple[str, ...]
    active: bool
    has_password: bool
    mfa: bool
    created_at: dt.datetime

    def as_dict(self) -> dict:
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role, "lang": self.lang,
                "cities": list(self.cities), "active": self.active, "has_password": self.has_password,
                "mfa": self.mfa, "created_at": self.created_at.isoformat(timespec="seconds") + "Z"}


@dataclass(frozen=True)
class Link:
    """A freshly issued one-time link: the token is shown once and never stored."""

    user: UserInfo
    purpose: str
    token: str
    url: str
    expires_at: dt.datetime


def plain_text(text: str | None, limit: int) -> str | None:
    """Form text without control characters (NUL and friends), clipped; empty becomes None."""
    cleaned = "".join(ch for ch in str(text or "") if ch.isprintable()).strip()[:limit]
    return cleaned or None


def normalise_email(email: str) -> str:
    text = (email or "").strip().lower()
    if len(text) > 254 or not EMAIL.match(text) or not text.isprintable():
        raise BadEmail(f"{email!r} is not an e-mail address.")
    return text


def city_codes(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """AGS of each city named (name, alias, slug or AGS); ``UnknownCity`` for a name not in the register."""
    from cityindex.cities import load_register
    from cityindex.errors import UnknownCity

    register = load_register()
    codes = set()
    for name in (str(n).strip() for n in names):
        found = register.find(name) if name else None
        if name and found is None:
            close = register.suggestions(name, n=3)
            raise UnknownCity(f"No city of the register is called {name!r}"
                              + (f"; did you mean {', '.join(close)}?" if close else "."))
        if found is not None:
            codes.add(found.ags)
    return tuple(sorted(codes))


def _check_role(role: str, cities: tuple[str, ...]) -> None:
    if role not in ROLES:
        raise BadRole(f"Unknown role {role!r}; use admin, analyst or city.")
    if (role == "city") != bool(cities):
        raise BadRole("A city user needs at least one --city; admins and analysts have none."
                      if role == "city" else f"Only city users are bound to cities, not a {role}.")


# Reading ---------------------------------------------------------------------------------------

def _info(session: Session, user: User) -> UserInfo:
    cities = session.scalars(sa.select(UserCity.city_ags).where(UserCity.user_id == user.id)
                             .order_by(UserCity.city_ags))
    return UserInfo(id=user.id, email=user.email, name=user.name, role=user.role, lang=user.lang,
                    cities=tuple(cities), active=user.disabled_at is None,
                    has_password=user.password_hash is not None, mfa=bool(user.totp_enabled),
                    created_at=user.created_at)


def _row(session: Session, email: str, *, lock: bool = False) -> User:
    query = sa.select(User).where(User.email == normalise_email(email))
    user = session.scalars(query.with_for_update() if lock else query).first()
    if user is None:
        raise UnknownUser(f"No user has the e-mail address {email.strip()!r}.")
    return user


def get_user(store: Store, email: str) -> UserInfo:
    with store.sessions() as session:
        return _info(session, _row(session, email))


def user_by_id(store: Store, user_id: int) -> UserInfo | None:
    with store.sessions() as session:
        user = session.get(User, user_id)
        return None if user is None else _info(session, user)


def list_users(store: Store, *, role: str | None = None, city: str | None = None) -> list[UserInfo]:
    """Every user by e-mail address, optionally only one role or the users of one city (AGS)."""
    query = sa.select(User).order_by(User.email)
    if role:
        query = query.where(User.role == role)
    if city:
        query = query.where(User.id.in_(sa.select(UserCity.user_id).where(UserCity.city_ags == city)))
    with store.sessions() as session:
        return [_info(session, user) for user in session.scalars(query)]


def count_admins(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User)
                          .where(User.role == "admin", User.disabled_at.is_(None))) or 0


# Changing --------------------------------------------------------------------------------------

def add_user(store: Store, email: str, *, role: str, cities: tuple[str, ...] = (), by: str,
             name: str | None = None, lang: str = "de") -> UserInfo:
    """A new user without a password (they set one through an invitation link)."""
    email = normalise_email(email)
    cities = tuple(sorted(set(cities)))
    _check_role(role, cities)
    name = plain_text(name, 100)
    with store.transaction() as session:
        if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
            raise UserExists(f"A user {email} exists already.")
        user = User(email=email, name=name, role=role, lang=lang if lang in ("de", "en") else "de",
                    totp_enabled=False, created_at=utcnow(), created_by=by)
        session.add(user)
        try:
            session.flush()
        except sa.exc.IntegrityError:  # a concurrent add of the same address
            raise UserExists(f"A user {email} exists already.") from None
        session.add_all(UserCity(user_id=user.id, city_ags=ags) for ags in cities)
        audit.record(session, "user.added", actor=by, subject=email, role=role, cities=list(cities))
        session.flush()
        return _info(session, user)


def set_role(store: Store, email: str, *, role: str, cities: tuple[str, ...] = (), by: str) -> UserInfo:
    """Change a user's role and cities; the last active admin stays an admin."""
    cities = tuple(sorted(set(cities)))
    _check_role(role, cities)
    with store.transaction() as session:
        user = _row(session, email, lock=True)
        if user.role == "admin" and role != "admin" and user.disabled_at is None and count_admins(session) <= 1:
            raise BadRole("This is the last active admin; make another user admin first.")
        before = _info(session, user)
        user.role = role
        session.execute(sa.delete(UserCity).where(UserCity.user_id == user.id))
        session.add_all(UserCity(user_id=user.id, city_ags=ags) for ags in cities)
        audit.record(session, "role.changed", actor=by, subject=user.email, old_role=before.role,
                     new_role=role, old_cities=list(before.cities), new_cities=list(cities))
        session.flush()
        return _info(session, user)


def disable_user(store: Store, email: str, *, by: str) -> UserInfo:
    """Disable a user: their sessions and unused links end at once; the last active admin cannot be."""
    with store.transaction() as session:
        user = _row(session, email, lock=True)
        if user.disabled_at is None:
            if user.role == "admin" and count_admins(session) <= 1:
                raise BadRole("This is the last active admin; add or enable another admin first.")
            user.disabled_at = utcnow()
            _end_sessions_and_links(session, user.id)
            audit.record(session, "user.disabled", actor=by, subject=user.email)
        return _info(session, user)


def enable_user(store: Store, email: str, *, by: str) -> UserInfo:
    with store.transaction() as session:
        user = _row(session, email, lock=True)
        if user.disabled_at is not None:
            user.disabled_at = None
            audit.record(session, "user.enabled", actor=by, subject=user.email)
        return _info(session, user)


def _end_sessions_and_links(session: Session, user_id: int) -> None:
    session.execute(sa.delete(WebSession).where(WebSession.user_id == user_id))
    session.execute(sa.update(UserToken).where(UserToken.user_id == user_id, UserToken.used_at.is_(None))
                    .values(used_at=utcnow()))


# One-time links --------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_link(store: Store, email: str, *, purpose: str, by: str, settings: Settings) -> Link:
    """A new invitation (valid ``invite_valid_days``) or reset link (24 h); older unused links of the user end."""
    if purpose not in ("invite", "reset"):
        raise ValueError(purpose)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + (dt.timedelta(days=settings.invite_valid_days) if purpose == "invite" else RESET_VALID)
    with store.transaction() as session:
        user = _row(session, email, lock=True)
        if user.disabled_at is not None:
            raise BadCredentials(f"{user.email} is disabled; enable the user first.")
        session.execute(sa.update(UserToken).where(UserToken.user_id == user.id, UserToken.used_at.is_(None))
                        .values(used_at=now))
        session.add(UserToken(user_id=user.id, purpose=purpose, token_hash=token_hash(token), created_at=now,
                              expires_at=expires, created_by=by))
        audit.record(session, f"link.{purpose}", actor=by, subject=user.email,
                     expires=expires.isoformat(timespec="seconds"))
        info = _info(session, user)
    url = settings.base_url.rstrip("/") + LINK_PATH + token
    return Link(user=info, purpose=purpose, token=token, url=url, expires_at=expires)


def _valid_token(session: Session, token: str) -> tuple[UserToken, User]:
    row = session.scalars(sa.select(UserToken).where(UserToken.token_hash == token_hash(token or ""))).first()
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or row.used_at is not None or row.expires_at <= utcnow() \
            or user.disabled_at is not None:
        raise InvalidLink()
    return row, user


def link_info(store: Store, token: str) -> tuple[str, UserInfo]:
    """``(purpose, user)`` of a valid link; ``InvalidLink`` for an unknown, used or expired one."""
    with store.sessions() as session:
        row, user = _valid_token(session, token)
        return row.purpose, _info(session, user)


def use_link(store: Store, token: str, password: str, *, settings: Settings, ip: str | None = None) -> UserInfo:
    """Set the password through a link, once: the link is used up and the user's sessions end."""
    with store.sessions() as session:
        _, user = _valid_token(session, token)
        check_strength(password, user_inputs=tuple(x for x in (user.email, user.name) if x))
    new_hash = hash_password(password, settings)  # slow: outside the transaction
    with store.transaction() as session:
        row, user = _valid_token(session, token)
        claimed = session.execute(sa.update(UserToken).where(UserToken.id == row.id, UserToken.used_at.is_(None))
                                  .values(used_at=utcnow()))
        if claimed.rowcount != 1:  # used by a concurrent request
            raise InvalidLink()
        user.password_hash = new_hash
        user.password_changed_at = utcnow()
        session.execute(sa.delete(WebSession).where(WebSession.user_id == user.id))
        audit.record(session, "password.set", actor=user.email, subject=user.email, ip=ip, via=row.purpose)
        return _info(session, user)


# Passwords -------------------------------------------------------------------------------------

def check_password(store: Store, email: str, password: str, *, settings: Settings) -> UserInfo:
    """The user whose address and password match; ``BadCredentials`` otherwise (same for every cause).

    Rehashes with the current argon2 parameters when they changed. Writes no audit event:
    the caller (the sign-in page) knows the client address and records it.
    """
    try:
        address = normalise_email(email)
    except BadEmail:
        address = None
    with store.sessions() as session:
        user = session.scalars(sa.select(User).where(User.email == address)).first() if address else None
        stored = user.password_hash if user is not None else None
        user_id = user.id if user is not None else None
        active = user is not None and user.disabled_at is None
    ok, rehash = verify_password(stored, password, settings)
    if not (ok and active):
        raise BadCredentials()
    with store.transaction() as session:
        user = session.get(User, user_id)
        if rehash and user.password_hash == stored:
            user.password_hash = hash_password(password, settings)
        return _info(session, user)


def change_password(store: Store, user_id: int, old: str, new: str, *, settings: Settings,
                    keep_session: str | None = None, ip: str | None = None) -> UserInfo:
    """A signed-in user's own change: the old password must match; other sessions end."""
    with store.sessions() as session:
        user = session.get(User, user_id)
        ok, _ = verify_password(user.password_hash, old, settings)
        if not ok:
            raise BadCredentials("The current password is wrong.")
        check_strength(new, user_inputs=tuple(x for x in (user.email, user.name) if x))
    new_hash = hash_password(new, settings)
    with store.transaction() as session:
        user = session.get(User, user_id)
        user.password_hash = new_hash
        user.password_changed_at = utcnow()
        others = sa.delete(WebSession).where(WebSession.user_id == user_id)
        if keep_session:
            others = others.where(WebSession.id_hash != keep_session)
        session.execute(others)
        audit.record(session, "password.changed", actor=user.email, subject=user.email, ip=ip)
        return _info(session, user)


def delete_recovery_codes(session: Session, user_id: int) -> None:
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
