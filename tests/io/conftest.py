"""The ``store`` fixture: every test runs against a fresh SQLite file and a fresh PostgreSQL schema.

PostgreSQL comes from CITYINDEX_TEST_POSTGRES_URL (scripts/test.sh sets it). Without it the
PostgreSQL variant is skipped locally and fails in CI (env CI set), so CI never silently skips.
"""

import os

import pytest

from cityindex.store.testing import fresh_store


def postgres_url() -> str:
    url = os.environ.get("CITYINDEX_TEST_POSTGRES_URL")
    if url:
        return url
    message = "CITYINDEX_TEST_POSTGRES_URL is not set; run scripts/test.sh, which starts PostgreSQL"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request):
    url = postgres_url() if request.param == "postgresql" else None
    with fresh_store(url) as store:
        yield store


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_store(request):
    """One store per test module (for property tests that run many examples against it)."""
    url = postgres_url() if request.param == "postgresql" else None
    with fresh_store(url) as store:
        yield store
