"""The screen stage: reading answers and numbers, and refusing what cannot be read."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_helpers import area, case, indicator, long, methodology, parameter, single

from cityindex.engine import ScoringError, score

ANSWERS = {"keine": 0, "teilweise": 1, "vollständig": 2}


def answers_methodology():
    return methodology([area("a", [
        indicator("fragen", [parameter("frage", "binary", points=2)]),
        indicator("stufen", [parameter("stufe", "points", answers=ANSWERS)]),
    ])])


def test_every_spelling_of_yes_and_no_and_answers_in_any_case() -> None:
    screened = score(answers_methodology(), case("answers.csv")).stages["screened"]
    assert screened["frage"].tolist() == [2, 2, 2, 2, 0, 0, 0, 0]  # yes = `points` (2)
    assert screened["stufe"].iloc[:4].tolist() == [2, 1, 2, 0]
    assert screened["stufe"].iloc[4:].isna().all()  # no row → missing, not 0


def test_python_booleans_and_numbers_are_answers_too() -> None:
    data = long({"frage": {"99000001": True, "99000002": False}, "stufe": {"99000001": 1, "99000002": 2.0}})
    screened = score(answers_methodology(), data).stages["screened"]
    assert screened["frage"].tolist() == [2, 0] and screened["stufe"].tolist() == [1, 2]


def test_numeric_text_and_numbers_mix() -> None:
    data = long({"p": {"99000001": "7.8", "99000002": 0.1, "99000003": " 2 ", "99000004": ""}})
    screened = score(single(), data).stages["screened"]["p"]
    assert screened.iloc[:3].tolist() == [7.8, 0.1, 2.0] and np.isnan(screened.iloc[3])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"frage": {"99000001": "vielleicht"}}, "city 99000001, parameter frage: value 'vielleicht' is not a yes/no answer"),
        ({"stufe": {"99000002": "halb"}}, "city 99000002, parameter stufe: value 'halb' is not one of the answers"),
        ({"stufe": {"99000002": 5}}, "parameter stufe: value '5' is not one of the answers"),
    ],
)
def test_unreadable_answers_name_city_parameter_and_value(values: dict, expected: str) -> None:
    with pytest.raises(ScoringError, match=expected):
        score(answers_methodology(), long(values))


def test_unreadable_number_names_city_and_parameter() -> None:
    with pytest.raises(ScoringError, match="city 99000002, parameter p: value 'viele' is not a number"):
        score(single(), long({"p": {"99000001": 1, "99000002": "viele"}}))


def test_unknown_parameter_codes_are_named_with_suggestions() -> None:
    data = long({"p": {"99000001": 1}, "ladepunkt": {"99000001": 1}, "xyz": {"99000001": 1}})
    m = single("ladepunkte")
    with pytest.raises(ScoringError, match=r"ladepunkt \(did you mean ladepunkte\?\), xyz"):
        score(m, data.assign(parameter=data["parameter"].replace("p", "ladepunkte")))


def test_city_names_instead_of_ags_are_refused() -> None:
    with pytest.raises(ScoringError, match="8-digit AGS.*Köln"):
        score(single(), long({"p": {"Köln": 1, "99000001": 2}}))


def test_duplicate_data_points_are_refused_naming_them() -> None:
    data = pd.concat([long({"p": {"99000001": 1}}), long({"p": {"99000001": 2}})])
    with pytest.raises(ScoringError, match="more than one value.*99000001/p"):
        score(single(), data)


def test_missing_columns_are_named() -> None:
    with pytest.raises(ScoringError, match="missing: value"):
        score(single(), pd.DataFrame({"city": ["99000001"], "parameter": ["p"]}))


def test_extra_columns_are_ignored() -> None:
    data = long({"p": {"99000001": 1, "99000002": 2}}).assign(source_url="https://example.invalid", note="x")
    assert score(single(), data).overall.tolist() == [0.0, 100.0]


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([True, False, True]),
        pd.Series(["ja", "nein", "ja"], dtype="category"),
        pd.Series([1, 0, 1], dtype="Int64"),
        pd.Series(["1", "0", "1"], dtype="string"),
    ],
    ids=["bool", "category", "nullable-int", "string"],
)
def test_value_columns_of_any_dtype(values: pd.Series) -> None:
    data = pd.DataFrame({"city": ["99000001", "99000002", "99000003"], "parameter": "frage", "value": values})
    data.index = [10, 5, 7]  # a filtered frame keeps its labels; positions count
    screened = score(answers_methodology(), data).stages["screened"]
    assert screened["frage"].tolist() == [2, 0, 2]


def test_y_and_n_are_not_guessed_as_answers() -> None:
    with pytest.raises(ScoringError, match="value 'y' is not a yes/no answer"):
        score(answers_methodology(), long({"frage": {"99000001": "y"}}))
