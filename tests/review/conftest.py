"""Fixtures of the review tests: the edition in review and real evidence files made by vl-convert
(the SMTP server ``smtp_server`` is a suite-wide fixture)."""

import pytest
from review_helpers import DEADLINE, TEAM, build_edition


@pytest.fixture()
def edition(store):
    """Edition ``e`` with data points of Aachen, Bonn and Köln, still a draft."""
    build_edition(store)
    return store


@pytest.fixture()
def review(edition):
    """Edition ``e`` in review with an open round (no mails)."""
    from cityindex.review import open_campaign

    open_campaign(edition, edition="e", deadline=DEADLINE, by=TEAM)
    return edition


_SPEC = {"data": {"values": [{"a": 1}, {"a": 2}]}, "mark": "point",
         "encoding": {"x": {"field": "a", "type": "quantitative"}}}


@pytest.fixture(scope="session")
def evidence():
    """Real PDF, PNG and JPEG files (charts rendered by vl-convert)."""
    import vl_convert as vl

    return {"pdf": vl.vegalite_to_pdf(_SPEC), "png": vl.vegalite_to_png(_SPEC), "jpeg": vl.vegalite_to_jpeg(_SPEC)}
