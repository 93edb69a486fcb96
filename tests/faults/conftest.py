"""The fault suite: real CLI processes against real SQLite files and a real PostgreSQL server.

``backend`` gives each test a fresh store in both variants (like ``store``) plus what a CLI process
needs to reach it: ``backend.env`` (``CITYINDEX_DATABASE_URL`` with the password, the search path of
the test's PostgreSQL schema included). ``fault_helpers.cli(...)`` runs ``cityindex`` as a user would.
"""

import pytest

from fault_helpers import Backend


@pytest.fixture
def backend(store):
    """The suite's ``store`` fixture (SQLite and PostgreSQL), reachable from CLI processes."""
    return Backend(store.dialect, store, store.engine.url.render_as_string(hide_password=False))
