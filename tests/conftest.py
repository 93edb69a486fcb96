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
