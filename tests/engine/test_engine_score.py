"""score() end to end: stages, transforms, missing data, bonus, context, rank changes, Result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_helpers import area, case, indicator, long, methodology, parameter, single

from cityindex.engine import Result, ScoringError, score
from cityindex.methodology import load_methodology
from cityindex.paths import METHODOLOGY_DIR

FICTIONAL = ["99000001", "99000002", "99000003"]
REGISTER = pd.DataFrame(
    {"population": [100_000, 200_000, 400_000], "area_km2": [50.0, 100.0, 100.0]}, index=pd.Index(FICTIONAL, name="ags")
)


def test_lower_is_better_scores_the_smallest_value_100() -> None:
    result = score(single("stauzeit", direction="lower_better"), case("inverted_direction.csv"))
    assert result.indicators["i"].tolist() == [100.0, 50.0, 0.0]
    assert result.ranks["overall"].tolist() == [1, 2, 3]


def _two_parameters(missing: str) -> object:
    ind = indicator("i", [parameter("a"), parameter("b")], combine="weighted_mean")
    return methodology([area("x", [ind])], missing=missing)


def test_missing_rule_zero_scores_the_gap_zero() -> None:
    result = score(_two_parameters("zero"), case("one_missing_value.csv"))
    assert result.indicators["i"].tolist() == [100.0, 0.0, 50.0, 25.0]


def test_missing_rule_skip_and_reweight_uses_what_is_there() -> None:
    result = score(_two_parameters("skip_and_reweight"), case("one_missing_value.csv"))
    assert result.indicators["i"].tolist() == [100.0, 0.0, 100.0, 50.0]


def test_missing_rule_impute_median_fills_only_the_imputed_stage() -> None:
    result = score(_two_parameters("impute_median"), case("one_missing_value.csv"))
    assert result.stages["imputed"]["b"].tolist() == [10.0, 0.0, 5.0, 5.0]
    assert result.stages["screened"]["b"].isna().tolist() == [False, False, True, True]
    assert result.indicators["i"].tolist() == [100.0, 0.0, 75.0, 50.0]


def test_skip_and_reweight_rescales_point_sums_to_the_full_maximum() -> None:
    ind = indicator("i", [parameter("a", "binary"), parameter("b", "binary", points=3)], normalisation="raw")
    m = methodology([area("x", [ind])], missing="skip_and_reweight")
    data = long({"a": {"99000001": "ja", "99000002": "ja"}, "b": {"99000001": "nein"}})
    combined = score(m, data).stages["combined"]["i"]
    assert combined.tolist() == [1.0, 4.0]  # 99000002 answered 1 of 1 possible point → 4 of 4


def test_per_capita_uses_the_register_population() -> None:
    m = single("ladepunkte", transforms=[{"type": "per_capita", "denominator": "population", "factor": 1000}])
    data = long({"ladepunkte": {"99000001": 100, "99000002": 100, "99000003": 800}})
    result = score(m, data, cities=REGISTER)
    assert result.stages["treated"]["ladepunkte"].tolist() == [1.0, 0.5, 2.0]
    assert result.indicators["i"].tolist() == [pytest.approx(100 / 3), 0.0, 100.0]


def test_per_capita_by_another_parameter_and_log_and_cap() -> None:
    p = parameter("busse_emissionsarm", transforms=[
        {"type": "per_capita", "denominator": "busse", "factor": 100},
        {"type": "cap", "max": 50},
        {"type": "log"},
    ])
    m = methodology([area("x", [indicator("i", [p]), indicator("k", [parameter("busse", context_only=True)])])])
    data = long({"busse_emissionsarm": {"99000001": 10, "99000002": 90}, "busse": {"99000001": 100, "99000002": 100}})
    treated = score(m, data).stages["treated"]["busse_emissionsarm"]
    assert treated.tolist() == pytest.approx([np.log(11), np.log(51)])


def test_a_city_missing_from_the_register_is_named() -> None:
    m = single("ladepunkte", transforms=[{"type": "per_capita", "denominator": "population"}])
    with pytest.raises(ScoringError, match="99000009"):
        score(m, long({"ladepunkte": {"99000001": 1, "99000009": 2}}), cities=REGISTER)


def test_bonus_adds_points_but_never_more_than_its_cap() -> None:
    bonus = {"parameters": [parameter("projekte", "points", answers={"keines": 0, "eines": 2, "viele": 9})], "cap": 0.05}
    m = methodology([area("x", [indicator("i", [parameter("p")], normalisation="raw")], bonus=bonus)])
    data = long({"p": {"99000001": 50, "99000002": 50, "99000003": 98}, "projekte": {"99000001": "eines", "99000002": "viele", "99000003": "viele"}})
    result = score(m, data)
    assert result.stages["areas_before_bonus"]["x"].tolist() == [50.0, 50.0, 98.0]
    assert result.areas["x"].tolist() == [52.0, 55.0, 100.0]  # 2 points; 9 capped at 5; never above 100


def test_bonus_cap_relative_to_the_achieved_score() -> None:
    bonus = {"parameters": [parameter("projekte", "numeric")], "cap": 0.1, "cap_basis": "achieved"}
    m = methodology([area("x", [indicator("i", [parameter("p")], normalisation="raw")], bonus=bonus)])
    result = score(m, long({"p": {"99000001": 40, "99000002": 80}, "projekte": {"99000001": 10, "99000002": 1}}))
    assert result.areas["x"].tolist() == [44.0, 81.0]


def test_context_only_parameters_are_kept_but_not_scored() -> None:
    m = load_methodology(METHODOLOGY_DIR / "example.yaml")
    base = {
        "termine_buergeramt": {"99000001": "ja", "99000002": "nein"},
        "ozg_anteil": {"99000001": 50, "99000002": 60},
        "ladepunkte_anzahl": {"99000001": 10, "99000002": 30},
        "smarte_ampeln": {"99000001": 10, "99000002": 20},
        "stauzeit": {"99000001": 30, "99000002": 40},
    }
    few = score(m, long({**base, "einpendler": {"99000001": 1, "99000002": 10**6}}), cities=REGISTER)
    many = score(m, long({**base, "einpendler": {"99000001": 10**6, "99000002": 1}}), cities=REGISTER)
    assert "kontext_pendler" not in few.indicators.columns
    assert few.context["einpendler"].tolist() == [1, 10**6]
    pd.testing.assert_series_equal(few.overall, many.overall)


def test_rank_change_against_a_previous_result() -> None:
    m = single("wert")
    before = score(m, long({"wert": {"99000001": 1, "99000002": 2, "99000003": 3}}))
    after = score(m, long({"wert": {"99000001": 9, "99000002": 2, "99000003": 3, "99000004": 5}}), previous=before)
    assert after.ranks["overall"].tolist() == [1, 4, 3, 2]
    assert after.rank_change["overall"].tolist()[:3] == [2, -2, -2]  # 3rd → 1st; 2nd → 4th; 1st → 3rd
    assert pd.isna(after.rank_change.loc["99000004", "overall"])  # new in the edition
    assert after.input_hash != score(m, long({"wert": {"99000001": 9, "99000002": 2, "99000003": 3, "99000004": 5}})).input_hash


def test_result_reproduces_from_its_own_methodology() -> None:
    data = case("one_missing_value.csv")
    result = score(_two_parameters("zero"), data)
    assert score(result.methodology, data) == result
    assert isinstance(result, Result)
    assert score(_two_parameters("skip_and_reweight"), data) != result


def test_inputs_are_not_changed() -> None:
    data = case("answers.csv")
    copy = data.copy(deep=True)
    from test_engine_screen import answers_methodology

    score(answers_methodology(), data)
    pd.testing.assert_frame_equal(data, copy)


def test_stage_tables_are_kept_in_pipeline_order() -> None:
    result = score(_two_parameters("zero"), case("one_missing_value.csv"))
    assert list(result.stages) == ["screened", "treated", "imputed", "combined", "indicators", "areas_before_bonus", "areas", "overall"]
    with pytest.raises(TypeError):
        result.stages["overall"] = None  # type: ignore[index]


def test_to_long_has_one_row_per_city_and_scope() -> None:
    result = score(_two_parameters("zero"), case("one_missing_value.csv"))
    table = result.to_long(rounded=True)
    assert list(table.columns) == ["city", "scope", "score", "rank", "rank_change"]
    assert len(table) == 4 * 2 and table["scope"].unique().tolist() == ["overall", "x"]
    first = table.iloc[0]
    assert (first["city"], first["scope"], first["score"], first["rank"]) == ("99000001", "overall", 100.0, 1)
    assert pd.isna(first["rank_change"])


def test_a_city_without_any_value_under_skip_has_no_score_and_no_rank() -> None:
    m = _two_parameters("skip_and_reweight")
    result = score(m, long({"a": {"99000001": 1, "99000002": 2, "99000003": None}}))
    assert np.isnan(result.overall["99000003"]) and pd.isna(result.ranks.loc["99000003", "overall"])


def test_empty_data_is_refused() -> None:
    with pytest.raises(ScoringError, match="no data points"):
        score(single(), long({}))


def test_without_a_city_table_the_bundled_register_supplies_denominators() -> None:
    m = single("ladepunkte", transforms=[{"type": "per_capita", "denominator": "population"}])
    # fictional units are not in the register, so the error proves the register was consulted
    with pytest.raises(ScoringError, match="no population in the city table for: 99000001"):
        score(m, long({"ladepunkte": {"99000001": 1}}))


def test_changing_a_rule_changes_the_result_even_after_an_earlier_score() -> None:
    m = single("wert")
    competition = score(m, case("ties.csv"))
    dense = score(m.model_copy(update={"rules": m.rules.model_copy(update={"ties": "dense"})}), case("ties.csv"))
    assert competition.ranks["overall"].tolist() == [1, 2, 2, 4]
    assert dense.ranks["overall"].tolist() == [1, 2, 2, 3]
    assert dense.input_hash != competition.input_hash


def test_result_tables_cannot_be_changed_in_place() -> None:
    result = score(_two_parameters("zero"), case("one_missing_value.csv"))
    for table in (result.indicators, result.areas, result.stages["screened"], result.stages["imputed"]):
        with pytest.raises(ValueError, match="read-only"):
            table.iloc[0, 0] = -1.0
    assert result == score(_two_parameters("zero"), case("one_missing_value.csv"))


def test_log_of_zero_or_less_is_refused_naming_parameter_and_cities() -> None:
    m = single("wert", transforms=[{"type": "log", "offset": 0}])
    data = long({"wert": {f"9900000{k}": 0 for k in range(1, 8)}})
    with pytest.raises(ScoringError, match=r"parameter wert: log transform needs value \+ 0 > 0; "
                                           r"not so for city 99000001, .*, 99000005 and 2 more"):
        score(m, data)
