"""Sign-in throttling with ``limits``: failures are counted per account and per client address.

Before checking a password the sign-in asks ``retry_after``; a positive value means 429 with
Retry-After, whatever the password (and the same answer for known and unknown addresses).
A successful sign-in clears the account's count. The counts live in ``throttle_storage``
(``memory://`` by default: per process).
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from cityindex.settings import Settings


class Throttle:
    def __init__(self, settings: Settings):
        self.storage = storage_from_string(settings.throttle_storage)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.per_account = parse(settings.signin_limit_account)
        self.per_client = parse(settings.signin_limit_client)

    def _keys(self, account: str, client: str):
        return ((self.per_account, ("account", account.strip().lower()[:254])),
                (self.per_client, ("client", client)))

    def retry_after(self, account: str, client: str) -> int:
        """Seconds to wait before another try is allowed (0: go ahead)."""
        wait = 0.0
        for limit, key in self._keys(account, client):
            if not self.limiter.test(limit, *key):
                reset = self.limiter.get_window_stats(limit, *key).reset_time
                wait = max(wait, reset - time.time())
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, account: str, client: str) -> None:
        for limit, key in self._keys(account, client):
            self.limiter.hit(limit, *key)

    def succeeded(self, account: str) -> None:
        self.limiter.clear(self.per_account, "account", account.strip().lower()[:254])
