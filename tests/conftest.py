"""Suite-wide isolation: no test reads or writes the user's own cityindex store.

The default store (``cityindex.settings``) lives in ``CITYINDEX_DATA_DIR``; the whole session
points it at a temporary directory before any test runs. Store tests that need their own
database use the ``store`` fixtures of tests/store and tests/io.
"""

import os
import tempfile

_DATA_DIR = tempfile.mkdtemp(prefix="cityindex-tests-")
os.environ["CITYINDEX_DATA_DIR"] = _DATA_DIR
os.environ.pop("CITYINDEX_DATABASE_URL", None)
