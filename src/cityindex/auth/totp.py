"""The optional second factor: TOTP (RFC 6238, pyotp) with ten one-time recovery codes.

Enrolment is two steps: ``start_mfa`` stores a new secret (not yet active) and returns it with
its ``otpauth://`` URI; ``confirm_mfa`` activates it once a correct code proves the
authenticator has it, and returns the recovery codes (shown once, stored hashed). A code is
accepted once: the last used time step is kept, so a replayed code fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import pyotp
import sqlalchemy as sa

from cityindex.auth import audit
from cityindex.auth.errors import BadCode
from cityindex.auth.models import AuthOption, RecoveryCode, User
from cityindex.auth.users import delete_recovery_codes
from cityindex.settings import Settings
from cityindex.store.db import Store
from cityindex.store.models import utcnow

ISSUER = "cityindex"
RECOVERY_CODES = 10
MFA_ROLES = ("admin", "analyst")


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def start_mfa(store: Store, user_id: int) -> tuple[str, str]:
    """``(secret, otpauth_uri)`` for the authenticator app; the factor is not active until confirmed."""
    secret = pyotp.random_base32()
    with store.transaction() as session:
        user = session.get(User, user_id)
        if user.totp_enabled:
            raise BadCode("A second factor is set up already; remove it first.")
        user.totp_secret = secret
        email = user.email
    return secret, pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def pending_secret(store: Store, user_id: int) -> str | None:
    with store.sessions() as session:
        user = session.get(User, user_id)
        return user.totp_secret if user is not None and not user.totp_enabled else None


def confirm_mfa(store: Store, user_id: int, code: str, *, ip: str | None = None) -> list[str]:
    """Activate the pending secret with a correct code; returns the one-time recovery codes."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    with store.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user.totp_enabled or not user.totp_secret:
            raise BadCode("Start the set-up again: there is no pending second factor.")
        _check_totp(user, code)
        user.totp_enabled = True
        delete_recovery_codes(session, user_id)
        session.add_all(RecoveryCode(user_id=user_id, code_hash=_code_hash(c)) for c in codes)
        audit.record(session, "mfa.enabled", actor=user.email, subject=user.email, ip=ip)
    return codes


def _check_totp(user: User, code: str) -> None:
    """A 6-digit code of the current step (±1 for clock drift), newer than the last one used."""
    code = (code or "").strip().replace(" ", "")
    totp = pyotp.TOTP(user.totp_secret)
    now = totp.timecode(dt.datetime.now(dt.timezone.utc))
    step = next((at for at in (now, now - 1, now + 1)
                 if code.isdigit() and len(code) == 6 and secrets.compare_digest(totp.generate_otp(at), code)), None)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        raise BadCode()
    user.totp_last_step = step


def verify_mfa(store: Store, user_id: int, code: str, *, ip: str | None = None) -> None:
    """Accept a current authenticator code or an unused recovery code (which is then used up)."""
    with store.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        if not user.totp_enabled:
            raise BadCode()
        text = (code or "").strip()
        if len(text.replace(" ", "")) == 6:
            _check_totp(user, text)
            return
        claimed = session.execute(
            sa.update(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None),
                                          RecoveryCode.code_hash == _code_hash(text)).values(used_at=utcnow()))
        if claimed.rowcount != 1:
            raise BadCode()
        audit.record(session, "mfa.recovery_used", actor=user.email, subject=user.email, ip=ip)


def disable_mfa(store: Store, user_id: int, *, by: str, ip: str | None = None) -> None:
    with store.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        user.totp_enabled = False
        user.totp_secret = None
        user.totp_last_step = None
        delete_recovery_codes(session, user_id)
        audit.record(session, "mfa.disabled", actor=by, subject=user.email, ip=ip)


def mfa_required(store: Store, settings: Settings) -> bool:
    """Must admins and analysts have a second factor? The setting forces it; else the admins' choice."""
    if settings.mfa_required:
        return True
    with store.sessions() as session:
        option = session.get(AuthOption, "mfa_required")
        return option is not None and option.value == "true"


def set_mfa_required(store: Store, required: bool, *, by: str, ip: str | None = None) -> None:
    with store.transaction() as session:
        option = session.get(AuthOption, "mfa_required", with_for_update=True)
        value = "true" if required else "false"
        if option is None:
            session.add(AuthOption(key="mfa_required", value=value, changed_at=utcnow(), changed_by=by))
        else:
            option.value, option.changed_at, option.changed_by = value, utcnow(), by
        audit.record(session, "mfa.required", actor=by, ip=ip, required=required)


def needs_enrolment(role: str, has_mfa: bool, store: Store, settings: Settings) -> bool:
    return role in MFA_ROLES and not has_mfa and mfa_required(store, settings)
