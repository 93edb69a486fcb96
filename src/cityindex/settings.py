"""Deployment settings: one typed object, documented field by field in docs/settings.md.

Precedence, highest first: options passed explicitly (CLI options such as ``--database-url``
call ``get_settings(database_url=...)``), then environment variables ``CITYINDEX_*``, then a
``.env`` file in the working directory, then the defaults below. The methodology is *not*
a setting: it is versioned content stored with each edition.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cityindex.errors import CityIndexError

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "development-only-secret"}
MIN_SECRET_LENGTH = 16


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/cityindex`` or ``~/.local/share/cityindex``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "cityindex"


class SettingsError(CityIndexError):
    """The settings are not valid."""


class Settings(BaseSettings):
    """Every deployment setting of cityindex."""

    model_config = SettingsConfigDict(env_prefix="CITYINDEX_", env_file=".env", extra="ignore",
                                      frozen=True)

    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the store, e.g. postgresql+psycopg://user:pw@host/db. "
                          "Empty: a SQLite file cityindex.sqlite in data_dir.")
    data_dir: Path = Field(default_factory=default_data_dir,
                           description="Directory for the default SQLite store; created on first use.")
    environment: Literal["development", "production"] = Field(
        "development", description="production refuses placeholder secrets.")
    secret_key: str = Field("development-only-secret",
                            description="Secret for signing web sessions; must be set in production.")
    sql_echo: bool = Field(False, description="Log every SQL statement (debugging).")
    open_pilot: bool = Field(True, description="Build the open series open-2019 … open-2025 and the open "
                                               "edition open-2026 into the store on first use (from the "
                                               "bundled data points).")
    genesis_username: str | None = Field(None, description="User name for the Destatis GENESIS REST API "
                                                           "(cityindex collect destatis-genesis).")
    genesis_password: str | None = Field(None, description="Password (or token) for the Destatis GENESIS "
                                                           "REST API.")
    export_licence: str = Field("CC-BY-4.0",
                                description="Licence of exported results (data points keep their own).")
    export_licence_url: str = Field("https://creativecommons.org/licenses/by/4.0/",
                                    description="Web address of export_licence.")
    # Store: locks and limits -----------------------------------------------------------------
    lock_timeout: float = Field(60.0, gt=0, description="Seconds a writer waits for another import or change "
                                                        "of the same edition (SQLite: of the store) before it "
                                                        "gives up with one line, writing nothing.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to wait for the PostgreSQL server to "
                                                           "answer when connecting.")
    sqlite_max_mb: int = Field(0, ge=0, description="Largest size of the SQLite store in MB (0 = no limit); "
                                                    "a write beyond it fails like a full disk, writing nothing.")
    # Website ---------------------------------------------------------------------------------
    web_cache_ttl: float = Field(60.0, ge=0, description="Seconds a rendered page stays in the page cache "
                                                         "(0 = no cache); also its Cache-Control max-age.")
    web_cache_max_entries: int = Field(2048, ge=1, description="Most pages the page cache keeps.")
    web_cache_max_mb: float = Field(64.0, gt=0, description="Most memory (MB) the cached pages may take; the "
                                                            "least recently used are dropped first.")
    web_hsts_max_age: int = Field(0, ge=0, description="Strict-Transport-Security max-age in seconds for https "
                                                       "deployments (0 = header off).")
    web_trusted_hosts: str = Field("*", description="Comma-separated host names the website answers to "
                                                    "(*.example.org allowed); * = any. Others get 400.")
    # Accounts and security (docs/security.md) ------------------------------------------------
    accounts: bool = Field(False, description="Sign-in, the team's pages (/team/) and the cities' pages "
                                              "(/pruefung/); needs a real secret_key.")
    base_url: str = Field("http://127.0.0.1:8000", description="Public address of the website, used in "
                                                                "printed and mailed invitation links.")
    session_idle_minutes: int = Field(30, ge=1, description="A session ends after this many minutes "
                                                             "without a request.")
    session_lifetime_hours: int = Field(12, ge=1, description="A session ends this many hours after "
                                                               "sign-in, whatever happens.")
    cookie_secure: bool = Field(False, description="Send the session cookie only over https (set true "
                                                   "behind an https reverse proxy).")
    trusted_proxies: list[str] = Field(default_factory=list, description="Addresses or networks of reverse "
                                       "proxies whose X-Forwarded-For names the client.")
    mfa_required: bool = Field(False, description="A second factor is mandatory for admins and analysts, "
                                                  "whatever the admin page says.")
    invite_valid_days: int = Field(7, ge=1, le=30, description="Days an invitation link stays valid.")
    argon2_time_cost: int = Field(3, ge=1, description="argon2id passes per password hash.")
    argon2_memory_kib: int = Field(65536, ge=8192, description="argon2id memory per password hash (KiB).")
    argon2_parallelism: int = Field(4, ge=1, description="argon2id lanes per password hash.")
    signin_limit_account: str = Field("5/15minutes", description="Failed sign-ins per account before 429 "
                                                                 "(limits syntax).")
    signin_limit_client: str = Field("20/15minutes", description="Failed sign-ins per client address "
                                                                 "before 429 (limits syntax).")
    throttle_storage: str = Field("memory://", description="Where sign-in failures are counted (limits "
                                                           "storage URI; memory:// is per process).")
    # Mail of the review round (docs/review.md)
    smtp_host: str = Field("localhost", description="SMTP server that sends the review round's mails.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Port of the SMTP server (25, 465 for ssl, 587 for "
                                                          "starttls).")
    smtp_security: Literal["none", "starttls", "ssl"] = Field(
        "none", description="Transport security: none, starttls (upgrade a plain connection) or ssl (TLS from "
                            "the start).")
    smtp_username: str | None = Field(None, description="User name for the SMTP server (empty: no login).")
    smtp_password: str | None = Field(None, description="Password for the SMTP server; never printed.")
    smtp_timeout: float = Field(20.0, gt=0, description="Seconds to wait for the SMTP server.")
    mail_from: str = Field("Smart City Index <noreply@localhost>",
                           description="Sender of the review round's mails (From:).")
    mail_reply_to: str | None = Field(None, description="Reply-To of the review round's mails (the team's "
                                                        "address; empty: none).")

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        secret = self.secret_key.strip()
        if self.environment == "production" and (secret.lower() in PLACEHOLDER_SECRETS
                                                 or len(secret) < MIN_SECRET_LENGTH):
            raise ValueError(f"set CITYINDEX_SECRET_KEY to a real secret of at least {MIN_SECRET_LENGTH} "
                             "characters in production")
        return self

    @property
    def trusted_hosts(self) -> list[str]:
        """``web_trusted_hosts`` as a list (``["*"]`` = any host)."""
        return [h.strip().lower() for h in self.web_trusted_hosts.split(",") if h.strip()] or ["*"]

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the SQLite file in ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'cityindex.sqlite'}"


def get_settings(**overrides) -> Settings:
    """Settings from defaults, .env, environment and explicit overrides (``None`` = not given)."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        raise SettingsError("Invalid settings: " + "; ".join(_problem(e) for e in exc.errors())) from None


def _problem(error: dict) -> str:
    """One validation error as ``field (CITYINDEX_FIELD): message`` on one line."""
    message = error["msg"].removeprefix("Value error, ")
    if not error["loc"]:
        return message
    field = str(error["loc"][0])
    return f"{field} (CITYINDEX_{field.upper()}): {message}"
