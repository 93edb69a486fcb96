"""The security audit log: append-only events (sign-in, sign-out, passwords, second factor, links,
roles, disabling). The database refuses UPDATE and DELETE on the table (migration 0006)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.auth.models import AuditEvent
from cityindex.store.db import Store
from cityindex.store.models import utcnow

#: Every event the log records, with what it means (docs/security.md lists them).
EVENTS = {
    "signin.ok": "signed in (password, and the second factor where one is set up)",
    "signin.failed": "a sign-in with a wrong e-mail address, password or code",
    "signin.throttled": "a sign-in refused because of too many failures (429)",
    "signout": "signed out; the session ended on the server",
    "password.set": "a password set through an invitation or reset link",
    "password.changed": "a signed-in user changed their password",
    "link.invite": "an invitation link was issued",
    "link.reset": "a password reset link was issued",
    "mfa.enabled": "a second factor was set up",
    "mfa.disabled": "a second factor was removed",
    "mfa.recovery_used": "a one-time recovery code was used instead of the authenticator",
    "mfa.required": "an admin made the second factor mandatory or optional",
    "user.added": "a user was added",
    "user.disabled": "a user was disabled (sessions end at once)",
    "user.enabled": "a disabled user was enabled again",
    "role.changed": "a user's role or cities changed",
}


@dataclass(frozen=True)
class Event:
    """One audit log entry as a plain value."""

    id: int
    at: dt.datetime
    event: str
    actor: str | None
    subject: str | None
    ip: str | None
    detail: dict

    def as_dict(self) -> dict:
        out = asdict(self)
        out["at"] = self.at.isoformat(timespec="seconds") + "Z"
        return out


def record(session: Session, event: str, *, actor: str | None, subject: str | None = None,
           ip: str | None = None, **detail) -> None:
    """Add one event in the caller's transaction (it is written with the change it describes)."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    session.add(AuditEvent(at=utcnow(), event=event, actor=_clip(actor), subject=_clip(subject),
                           ip=_clip(ip) and _clip(ip)[:45],
                           detail=json.dumps(detail, sort_keys=True, default=str) if detail else None))
    # json.dumps escapes control characters, so the detail never holds a raw NUL


def log_event(store: Store, event: str, **kwargs) -> None:
    """Record one event in its own transaction."""
    with store.transaction() as session:
        record(session, event, **kwargs)


def _clip(text: str | None) -> str | None:
    from cityindex.auth.users import plain_text

    return plain_text(text, 254)


def list_events(store: Store, *, event: str | None = None, actor: str | None = None,
                subject: str | None = None, since: dt.datetime | None = None,
                until: dt.datetime | None = None, limit: int = 200) -> list[Event]:
    """Newest first. ``event`` matches a prefix (``signin`` finds ``signin.ok`` and ``signin.failed``);
    ``actor`` and ``subject`` match a part of the address, case-insensitive."""
    event, actor, subject = (_clip(x) for x in (event, actor, subject))
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(max(1, min(limit, 5000)))
    if event:
        query = query.where(AuditEvent.event.startswith(event, autoescape=True))
    if actor:
        query = query.where(sa.func.lower(AuditEvent.actor).contains(actor.lower(), autoescape=True))
    if subject:
        query = query.where(sa.func.lower(AuditEvent.subject).contains(subject.lower(), autoescape=True))
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    with store.sessions() as session:
        return [_event(row) for row in session.scalars(query)]


def _event(row: AuditEvent) -> Event:
    return Event(id=row.id, at=row.at, event=row.event, actor=row.actor, subject=row.subject, ip=row.ip,
                 detail=json.loads(row.detail) if row.detail else {})
