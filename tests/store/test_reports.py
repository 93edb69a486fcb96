"""Publishing stores the statistical audit and the rank uncertainty with the Result, atomically."""

import pytest
import sqlalchemy as sa

from cityindex.analysis.reports import (NoDataPoints, publish_with_reports, stats_audit_of_edition,
                                        uncertainty_of_edition)
from cityindex.connectors.open_pilot import EDITION_KEY, build_open_pilot
from cityindex.store import edition_info, freeze_edition, publish_edition
from cityindex.store.models import ResultReport
from cityindex.store.reports import StaleReports, load_report


def test_publish_stores_both_reports_with_the_result(store):
    build_open_pilot(store)
    freeze_edition(store, EDITION_KEY)
    info = publish_with_reports(store, EDITION_KEY)
    assert info.status == "published"
    uncertainty = load_report(store, edition=EDITION_KEY, kind="uncertainty")
    again = uncertainty_of_edition(store, EDITION_KEY)  # the same seed gives the same intervals
    assert uncertainty["runs"] == 10_000 and uncertainty["rows"] == again.to_dict()["rows"]
    audit = stats_audit_of_edition(store, EDITION_KEY)  # read back from the store
    assert audit.to_dict() == load_report(store, edition=EDITION_KEY, kind="stats-audit")
    assert audit.counts()["coverage-city"][1] == 82


def test_reports_of_another_result_publish_nothing(store):
    build_open_pilot(store)
    freeze_edition(store, EDITION_KEY)
    with pytest.raises(StaleReports, match="scored again while its reports were computed"):
        publish_edition(store, EDITION_KEY, reports={"uncertainty": {"runs": 1}}, input_hash="0" * 64)
    assert edition_info(store, EDITION_KEY).status == "frozen"
    with store.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ResultReport)) == 0
    assert load_report(store, edition=EDITION_KEY, kind="uncertainty") is None


def test_a_published_bitkom_edition_has_no_interval(store):
    with pytest.raises(NoDataPoints, match="Edition 2022 is a published Bitkom edition: .* no rank interval"):
        uncertainty_of_edition(store, "2022")
