"""The open pilot edition as a computed EditionView, built offline from the bundled data points."""

import pytest


@pytest.fixture(scope="session")
def open_pilot():
    from cityindex.connectors.open_pilot import open_pilot_result, read_bundle
    from cityindex.editions import EditionView

    return EditionView.from_result(open_pilot_result(), key="open-2026", title="Open pilot 2026", series="open",
                                   year=2026, datapoints=read_bundle())
