"""Monte Carlo rank intervals: exact replay with score(), hand-checkable cases, bad settings.

All editions here are fictional (tests/analysis/uncertainty_cases.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cityindex.analysis.uncertainty import TooManyRuns, UncertaintyError, run_uncertainty
from cityindex.analysis.uncertainty.result import tied_groups
from cityindex.analysis.uncertainty.runs import evaluate, prepare
from cityindex.engine import score
from uncertainty_cases import long, methodology_of, rich_edition, simple_areas

A, B, C, D = "99000001", "99000002", "99000003", "99000004"


@pytest.mark.parametrize("ties", ["competition", "dense"])
def test_any_run_is_reproduced_exactly_by_score(ties: str) -> None:
    m, data, register = rich_edition(ties=ties)
    result = run_uncertainty(m, data, cities=register)
    prepared, _ = prepare(m, data, result.assumptions, cities=register)
    ranks = evaluate(prepared, result.draws)
    chosen = set()
    for run in np.random.default_rng(4).choice(result.runs, 12, replace=False):
        variant = result.variant(int(run))
        again = score(variant, data, cities=register)
        assert (again.ranks.to_numpy(dtype=np.int64, na_value=0).T == ranks[run]).all(), run
        chosen.add(tuple(result.draws.choices[run]))
    # the replayed runs really differ in their methods, weights and bonus
    assert len(chosen) > 6
    assert len({result.variant(k).hash for k in range(5)}) == 5


def test_stored_scores_match_score_to_1e_9() -> None:
    from cityindex.engine.batch import score_rows

    m, data, register = rich_edition(n_cities=20)
    result = run_uncertainty(m, data, cities=register, runs=60)
    prepared, _ = prepare(m, data, result.assumptions, cities=register)
    for run in (0, 17, 59):
        combo = tuple(result.draws.choices[run])
        rows = score_rows(prepared.fixed_for(combo), prepared.plan(combo),
                          result.draws.indicator_weights[[run]], result.draws.area_weights[[run]])[0]
        expected = score(result.variant(run), data, cities=register).scores.to_numpy()
        np.testing.assert_allclose(rows, expected, rtol=0, atol=1e-9)


def test_the_nominal_run_is_the_edition_itself() -> None:
    m, data, register = rich_edition()
    result = run_uncertainty(m, data, cities=register, runs=50)
    nominal = score(m, data, cities=register)
    overall = result.summary[result.summary["scope"] == "overall"].set_index("city")["rank"]
    assert overall.sort_index().tolist() == nominal.ranks["overall"].sort_index().tolist()
    assert result.input_hash == nominal.input_hash


def test_same_seed_same_result_other_seed_other_draws() -> None:
    m, data, register = rich_edition(n_cities=12)
    first = run_uncertainty(m, data, cities=register, runs=600, seed=3)
    again = run_uncertainty(m, data, cities=register, runs=600, seed=3)
    other = run_uncertainty(m, data, cities=register, runs=600, seed=4)
    assert np.array_equal(first.unit, again.unit) and first.summary.equals(again.summary)
    assert not np.array_equal(first.unit, other.unit)


def test_a_city_better_everywhere_stays_ahead_in_every_run() -> None:
    rng = np.random.default_rng(8)
    m = methodology_of(simple_areas(2, 3))
    codes = list(m.parameters)
    cities = [f"99{k:06d}" for k in range(1, 11)]
    values = {c: dict(zip(cities, rng.uniform(0, 50, len(cities)).round(2))) for c in codes}
    for c in codes:  # A beats B in every parameter; everything else may cross
        values[c][A] = values[c][B] + 1 + rng.uniform(0, 5)
    data = long(values)
    result = run_uncertainty(m, data, runs=3000, seed=1)
    prepared, _ = prepare(m, data, result.assumptions)
    ranks = evaluate(prepared, result.draws)
    a, b = prepared.cities.get_loc(A), prepared.cities.get_loc(B)
    assert (ranks[:, :, a] < ranks[:, :, b]).all()
    assert result.summary["high"].gt(result.summary["low"]).any()  # other cities did cross


def test_a_one_parameter_index_has_zero_width_intervals() -> None:
    m = methodology_of(simple_areas(1, 1))
    data = long({"a0p0": {A: 3.0, B: 7.5, C: 7.5, D: 1.0}})
    result = run_uncertainty(m, data, runs=500)
    assert [a.address for a in result.assumptions] == ["rules.normalisation"]
    summary = result.summary
    assert (summary["low"] == summary["rank"]).all() and (summary["high"] == summary["rank"]).all()
    assert summary.set_index(["scope", "city"]).loc[("overall", B), "rank"] == 1
    assert set(result.group_of(B)) == {B, C}  # a tie stays a tie: gleichauf


def test_two_cities_that_swap_with_equal_chance() -> None:
    """Weights 1 ± 50 %: A (100, 0) beats B (0, 100) exactly when w1 > w2, i.e. in half the runs;
    C (0, 0) is always last."""
    uncertainty = {"runs": 4000, "seed": 2, "assumptions": [{"address": "weights.indicators", "share": 0.5}]}
    m = methodology_of(simple_areas(1, 2), uncertainty=uncertainty, normalisation="raw")
    data = long({"a0p0": {A: 100, B: 0, C: 0}, "a0p1": {A: 0, B: 100, C: 0}})
    result = run_uncertainty(m, data)
    rows = result.summary[result.summary["scope"] == "overall"].set_index("city")
    assert abs(rows.loc[A, "p_top_quarter"] - 0.5) < 0.03  # the top quarter of 3 cities is rank 1
    assert (rows.loc[A, "low"], rows.loc[A, "high"]) == (1, 2) == (rows.loc[B, "low"], rows.loc[B, "high"])
    assert (rows.loc[C, "low"], rows.loc[C, "high"], rows.loc[C, "mean_shift"]) == (3, 3, 0.0)
    assert abs(rows.loc[A, "mean_shift"] - 0.5) < 0.03
    assert set(result.group_of(A)) == {A, B} and result.group_of(C) == []


def test_gleichauf_groups_follow_the_first_city_of_each_group() -> None:
    summary = pd.DataFrame({
        "city": list("pqrstu"), "scope": "overall", "rank": [1, 2, 3, 4, 5, 6],
        "low": [1, 1, 2, 4, 5, 6], "high": [2, 3, 5, 6, 6, 6],
    })
    groups = tied_groups(summary)
    # p [1, 2] opens a group that q (low 1) and r (low 2) join; s (low 4) opens the next, t and u join it
    assert groups.groupby("group")["city"].apply(list).tolist() == [["p", "q", "r"], ["s", "t", "u"]]


def test_a_geometric_alternative_meeting_a_zero_is_refused_before_running() -> None:
    uncertainty = {"assumptions": [{"address": "rules.aggregation.areas", "alternatives": ["arithmetic", "geometric"]}]}
    m = methodology_of(simple_areas(1, 2), uncertainty=uncertainty)
    data = long({"a0p0": {A: 1, B: 2, C: 3}, "a0p1": {A: 5, B: 4, C: 9}})
    with pytest.raises(UncertaintyError, match=r"rules.aggregation.areas`: alternative `geometric` meets a score "
                                               r"of 0 \(city 99000001, indicator `a0i0`\).*offset: 1"):
        run_uncertainty(m, data, runs=10)


def test_a_missing_rule_alternative_without_missing_data_is_refused() -> None:
    uncertainty = {"assumptions": [{"address": "rules.missing", "alternatives": ["zero", "impute_median"]}]}
    m = methodology_of(simple_areas(1, 2), uncertainty=uncertainty)
    data = long({"a0p0": {A: 1, B: 2}, "a0p1": {A: 5, B: 4}})
    with pytest.raises(UncertaintyError, match="changes nothing: the data of this edition has no missing value"):
        run_uncertainty(m, data, runs=10)


@pytest.mark.parametrize("options, expected", [
    ({"runs": 0}, r"runs must be at least 1, not 0 \(--runs\)"),
    ({"seed": -1}, r"seed must be 0 or more"),
    ({"runs": 200_000}, r"200,000 runs are more than 100,000.*--force"),
    ({"runs": 100, "sobol": 1000}, r"power of two such as 1024, not 1000 \(--sobol\)"),
    ({"runs": 10, "scheduler": "spark"}, r"unknown scheduler 'spark'; use local or dask"),
    ({"runs": 10, "address": "tcp://127.0.0.1:1"}, r"--address needs --scheduler dask"),
])
def test_bad_settings_name_the_option(options: dict, expected: str) -> None:
    m = methodology_of(simple_areas(2, 2))
    data = long({f"a{j}p{k}": {A: 1 + j + k, B: 3 - k} for j in range(2) for k in range(2)})
    with pytest.raises(UncertaintyError, match=expected):
        run_uncertainty(m, data, **options)
    assert issubclass(TooManyRuns, UncertaintyError)


def test_sensitivity_names_every_varied_input() -> None:
    m, data, register = rich_edition(n_cities=25)
    result = run_uncertainty(m, data, cities=register, runs=2000, sobol=64)
    pawn = result.pawn
    assert set(pawn["assumption"]) == {a.address for a in result.assumptions} | {""}
    assert pawn["pawn"].between(0, 1).all()
    assert list(result.sobol["assumption"]) == [a.address for a in result.assumptions]
    # the nine weights of area `wide` are inputs of their own
    assert {f"w{k}" for k in range(9)} <= set(pawn["input"])
    assert result.to_dict()["sobol"][0]["assumption"] == "weights.areas"
