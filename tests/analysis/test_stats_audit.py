"""The statistical audit on fictional editions whose flags can be checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from cityindex.analysis.stats_audit import AuditReport, stats_audit
from cityindex.engine import score
from uncertainty_cases import long, methodology_of, simple_areas

CITIES = [f"99{k:06d}" for k in range(1, 11)]


@pytest.fixture(scope="module")
def report() -> AuditReport:
    """Area a0: p0 and p1 move together (redundant), p2 against them; area a1: p3 has one outlier,
    p4 is known for 3 of 10 cities only, p5 is uniform."""
    m = methodology_of(simple_areas(2, 3), normalisation="raw")
    base = np.arange(10, dtype=float) * 10
    values = {
        "a0p0": base, "a0p1": base + 1, "a0p2": 90 - base,
        "a1p0": np.array([1, 1, 1, 1, 1, 1, 1, 1, 2, 100.0]),
        "a1p1": np.array([5, 50, 95] + [np.nan] * 7), "a1p2": (base * 7) % 100,
    }
    data = long({code: {c: v for c, v in zip(CITIES, column) if not np.isnan(v)} for code, column in values.items()})
    return stats_audit(score(m, data))


def _flagged(report: AuditReport, check: str) -> set:
    rows = report.flags[report.flags["check"] == check]
    return {(r.item, r.other) if r.other and check.startswith(("correlation", "area")) else r.item
            for r in rows.itertuples()}


def test_coverage_below_65_percent_is_flagged(report: AuditReport) -> None:
    assert _flagged(report, "coverage-parameter") == {"a1p1"}
    rows = report.rows[report.rows["check"] == "coverage-parameter"].set_index("item")
    assert rows.loc["a1p1", "value"] == pytest.approx(0.3) and rows.loc["a0p0", "value"] == 1.0
    # each city misses at most one of six parameters: 5/6 = 83 % ≥ 65 %
    assert _flagged(report, "coverage-city") == set()


def test_an_outlier_is_flagged_by_skew_and_kurtosis(report: AuditReport) -> None:
    assert _flagged(report, "skew-kurtosis") == {"a1i0"}


def test_correlations_within_an_area(report: AuditReport) -> None:
    in_a0 = {pair for pair in _flagged(report, "correlation-within") if pair[0].startswith("a0")}
    assert in_a0 == {("a0i0", "a0i1"), ("a0i0", "a0i2"), ("a0i1", "a0i2")}
    rows = report.rows[report.rows["check"] == "correlation-within"].set_index(["item", "other"])
    assert (rows["flagged"] == ((rows["value"] < 0) | (rows["value"] > 0.9))).all()
    assert rows.loc[("a0i0", "a0i1"), "value"] == pytest.approx(1.0)
    assert rows.loc[("a0i0", "a0i2"), "value"] == pytest.approx(-1.0)


def test_consistency_and_weights_are_reported_per_area(report: AuditReport) -> None:
    counts = report.counts()
    assert counts["cronbach-alpha"][1] == 2 and counts["first-component"][1] == 2
    # two of three a0 indicators are identical up to a shift, the third their mirror: one dimension
    first = report.rows[(report.rows["check"] == "first-component") & (report.rows["area"] == "a0")]
    assert first["value"].iloc[0] == pytest.approx(1.0)
    effective = report.rows[report.rows["check"] == "effective-weight"]
    assert set(effective["area"]) == {"a0", "a1", ""}


def test_report_round_trips_through_json(report: AuditReport) -> None:
    import json

    again = AuditReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.rows.equals(report.rows) and again.input_hash == report.input_hash
