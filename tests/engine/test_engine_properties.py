"""Property tests (hypothesis) over fictional units with synthetic values."""

from __future__ import annotations

import numpy as np
import pandas as pd
from engine_helpers import area, indicator, methodology, parameter
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cityindex.engine import score

# Normalisers under which one city's better value can never help another city; zscore is
# excluded on purpose (see docs/scoring.md: a shrinking spread can lift other cities).
MONOTONE_NORMALISERS = ["best_worst", "share_of_best", "percentile_rank", "raw", "goalposts"]
AGGREGATORS = ["arithmetic", "geometric", "harmonic"]
MISSING = ["zero", "skip_and_reweight"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _normalisation(name: str) -> object:
    return {"method": "goalposts", "lower": 0, "upper": 1000} if name == "goalposts" else name


def build(normaliser: str, aggregator: str, missing: str):
    norm = _normalisation(normaliser)
    verwaltung = area("verwaltung", [
        indicator("dienste", [parameter("d1", "binary"), parameter("d2", "binary"),
                              parameter("d3", "points", answers={"nein": 0, "teilweise": 1, "ja": 2})], normalisation=norm),
        indicator("quote", [parameter("q", unit="%")], normalisation=norm),
    ], bonus={"parameters": [parameter("innovation", "binary", points=10)], "cap": 0.05})
    mobilitaet = area("mobilitaet", [
        indicator("verkehr", [parameter("v", weight=2), parameter("stau", direction="lower_better")],
                  combine="weighted_mean", normalisation=norm),
    ], weight=2)
    rules = {"aggregation": {"areas": aggregator, "overall": aggregator}, "missing": missing}
    return methodology([verwaltung, mobilitaet], **rules)


PRESENT = st.floats(min_value=0, max_value=1000, allow_nan=False)
VALUE = st.one_of(st.none(), PRESENT)
YESNO = st.one_of(st.none(), st.sampled_from(["ja", "nein", "Yes", "no", 1, 0]))
POINTS = st.one_of(st.none(), st.sampled_from(["nein", "teilweise", "ja"]))


@st.composite
def datasets(draw) -> pd.DataFrame:
    n = draw(st.integers(min_value=2, max_value=8))
    cities = [f"99{k:06d}" for k in range(1, n + 1)]
    draws = {"d1": YESNO, "d2": YESNO, "d3": POINTS, "q": PRESENT, "v": VALUE, "stau": VALUE, "innovation": YESNO}
    rows = [(c, code, draw(strategy)) for code, strategy in draws.items() for c in cities]
    rows = [(c, code, v) for c, code, v in rows if v is not None or draw(st.booleans())]  # gap = no row or empty value
    return pd.DataFrame(rows, columns=["city", "parameter", "value"])


methods = st.tuples(
    st.sampled_from(MONOTONE_NORMALISERS + ["zscore"]), st.sampled_from(AGGREGATORS), st.sampled_from(MISSING + ["impute_median"])
)


@SETTINGS
@given(datasets(), methods)
def test_scores_stay_between_0_and_100(data: pd.DataFrame, method: tuple[str, str, str]) -> None:
    result = score(build(*method), data)
    for table in (result.indicators, result.areas, result.overall.to_frame()):
        values = table.to_numpy()
        assert np.all((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 100))
    if method[2] == "zero":
        assert not result.overall.isna().any()
    bonus = (result.areas["verwaltung"] - result.stages["areas_before_bonus"]["verwaltung"]).dropna()
    assert (bonus >= 0).all() and (bonus <= 0.05 * 100 + 1e-9).all()  # never more than the cap


@SETTINGS
@given(datasets(), methods, st.randoms(use_true_random=False))
def test_permuting_the_input_rows_changes_nothing(data: pd.DataFrame, method: tuple[str, str, str], rnd) -> None:
    m = build(*method)
    order = list(range(len(data)))
    rnd.shuffle(order)
    assert score(m, data.iloc[order]) == score(m, data)


@SETTINGS
@given(datasets(), methods)
def test_a_result_reproduces_from_its_methodology(data: pd.DataFrame, method: tuple[str, str, str]) -> None:
    result = score(build(*method), data)
    again = score(result.methodology, data)
    assert again == result and again.input_hash == result.input_hash


@SETTINGS
@given(
    datasets(),
    st.tuples(st.sampled_from(MONOTONE_NORMALISERS), st.sampled_from(AGGREGATORS), st.sampled_from(MISSING)),
    st.integers(min_value=0, max_value=7),
    st.floats(min_value=0.001, max_value=500),
    st.sampled_from([("q", 1.0), ("v", 1.0), ("stau", -1.0)]),
)
def test_improving_a_value_never_lowers_score_or_rank(data, method, which, delta, improve) -> None:
    """Raising a higher-is-better value (q in a sum indicator, v in a weighted mean) or lowering a
    lower-is-better one (stau) never lowers that city's scores or its rank."""
    code, sign = improve
    m = build(*method)
    cities = sorted(data["city"].unique())
    city = cities[which % len(cities)]
    row = (data["city"] == city) & (data["parameter"] == code)
    current = pd.to_numeric(data.loc[row, "value"], errors="coerce")
    assume(row.any() and current.notna().all())
    better = data.copy()
    better.loc[row, "value"] = current + sign * delta
    before, after = score(m, data), score(m, better)
    area = "verwaltung" if code == "q" else "mobilitaet"
    assert after.overall[city] >= before.overall[city] - 1e-9
    assert after.areas.loc[city, area] >= before.areas.loc[city, area] - 1e-9
    assert after.ranks.loc[city, "overall"] <= before.ranks.loc[city, "overall"]
