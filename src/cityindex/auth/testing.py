"""Helpers for tests of accounts: settings with cheap argon2 parameters, users with a password,
and signing in through the real forms of a test client. Used by the test suite only."""

from __future__ import annotations

import re

from cityindex.auth.users import UserInfo, add_user, issue_link, use_link
from cityindex.settings import Settings, get_settings

SECRET = "test-secret-" + "k" * 32
PASSWORD = "violet tractor sings loudly"


def account_settings(**overrides) -> Settings:
    """Accounts on, a real-looking secret, argon2 at its cheapest (the benchmark measures the real cost)."""
    values = {"accounts": True, "secret_key": SECRET, "argon2_time_cost": 1, "argon2_memory_kib": 8192,
              "argon2_parallelism": 1, **overrides}
    return get_settings(**values)


def make_user(store, email: str, *, role: str, cities: tuple[str, ...] = (), password: str | None = PASSWORD,
              settings: Settings | None = None) -> UserInfo:
    """A user who has set ``password`` through their invitation link (no password when None)."""
    settings = settings or account_settings()
    user = add_user(store, email, role=role, cities=cities, by="test")
    if password is None:
        return user
    link = issue_link(store, email, purpose="invite", by="test", settings=settings)
    return use_link(store, link.token, password, settings=settings)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through /anmelden like a browser (GET the form, POST it); returns the POST response."""
    token = csrf_of(client.get("/anmelden").text)
    return client.post("/anmelden", data={"csrf_token": token, "email": email, "password": password},
                       follow_redirects=False)
