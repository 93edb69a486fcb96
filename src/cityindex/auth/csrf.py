"""CSRF tokens for every state-changing form.

A token is an HMAC (secret key) of a random per-browser value kept in an HttpOnly cookie and
of the session it belongs to (empty before sign-in). A form posts the token in a hidden field;
the server recomputes it from the cookie and the session. Another site can neither read the
cookie nor compute the token, and a token stops working when the session changes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cityindex.settings import Settings

FIELD = "csrf_token"


def new_browser_value() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(browser_value: str, session_hash: str | None, settings: Settings) -> str:
    message = f"csrf:{browser_value}:{session_hash or ''}".encode("utf-8", "surrogatepass")
    return hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()


def same_token(sent: str | None, expected: str | None) -> bool:
    """Constant-time comparison of the posted token with the expected one."""
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), expected.encode())
