"""Suite-wide fixtures.

Isolation: no test reads or writes the user's own cityindex store. The default store
(``cityindex.settings``) lives in ``CITYINDEX_DATA_DIR``; the whole session points it at a
temporary directory before any test runs.

The ``store`` fixture: a test runs against a fresh SQLite file and a fresh PostgreSQL schema.
PostgreSQL comes from CITYINDEX_TEST_POSTGRES_URL (scripts/test.sh sets it). Without it the
PostgreSQL variant is skipped locally and fails in CI (env CI set), so CI never silently skips.
"""

import os
import tempfile

import pytest

_DATA_DIR = tempfile.mkdtemp(prefix="cityindex-tests-")
os.environ["CITYINDEX_DATA_DIR"] = _DATA_DIR
os.environ.pop("CITYINDEX_DATABASE_URL", None)


def postgres_url() -> str:
    url = os.environ.get("CITYINDEX_TEST_POSTGRES_URL")
    if url:
        return url
    message = "CITYINDEX_TEST_POSTGRES_URL is not set; run scripts/test.sh, which starts PostgreSQL"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test PostgreSQL URL (skipped locally without one, failing in CI)."""
    return postgres_url()


STORE_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORE_KINDS)
def store(request):
    from cityindex.store.testing import fresh_store

    url = postgres_url() if request.param == "postgresql" else None
    with fresh_store(url) as store:
        yield store


@pytest.fixture(scope="module", params=STORE_KINDS)
def module_store(request):
    """One store per test module (for property tests that run many examples against it)."""
    from cityindex.store.testing import fresh_store

    url = postgres_url() if request.param == "postgresql" else None
    with fresh_store(url) as store:
        yield store


class Inbox:
    """The aiosmtpd handler: every message the server accepted, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture()
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port; yields (settings overrides, inbox)."""
    import socket

    from aiosmtpd.controller import Controller

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield {"smtp_host": "127.0.0.1", "smtp_port": port}, inbox
    finally:
        controller.stop()
