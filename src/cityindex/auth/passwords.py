"""Passwords: argon2id hashes (parameters from the settings) and a strength check with zxcvbn.

``verify_password`` tells whether a stored hash should be re-made with the current parameters,
so a change of ``argon2_*`` settings applies to each user at their next sign-in.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cityindex.auth.errors import WeakPassword
from cityindex.settings import Settings

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash scenario"


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher(settings: Settings) -> PasswordHasher:
    """The argon2id hasher with the configured parameters."""
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def hash_password(password: str, settings: Settings) -> str:
    return hasher(settings).hash(password)


def verify_password(stored: str | None, password: str, settings: Settings) -> tuple[bool, bool]:
    """``(matches, needs_rehash)``. A missing hash is verified against a dummy, so timing tells nothing."""
    ph = hasher(settings)
    try:
        ok = ph.verify(stored or _dummy_hash(settings), password)
    except (VerificationError, InvalidHashError):
        return False, False
    return (ok and stored is not None), (stored is not None and ph.check_needs_rehash(stored))


def _dummy_hash(settings: Settings) -> str:
    return _dummy(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


@lru_cache(maxsize=8)
def _dummy(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("not a password of anyone")


def check_strength(password: str, *, user_inputs: tuple[str, ...] = ()) -> None:
    """Refuse a password shorter than 12 characters or one zxcvbn rates below 3 of 4."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"The password has {len(password)} characters; use at least {MIN_LENGTH}.",
                           reason="short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"The password has {len(password)} characters; use at most {MAX_LENGTH}.",
                           reason="long")
    from zxcvbn import zxcvbn

    words = [part for text in user_inputs for part in text.replace("@", " ").replace(".", " ").split()]
    result = zxcvbn(password, user_inputs=[*user_inputs, *words, "cityindex", "smart", "city", "index"])
    if result["score"] < MIN_SCORE:
        raise WeakPassword("The password is easy to guess (common words, names, dates or patterns); "
                           "use a longer phrase of unrelated words.", reason="guessable")
