"""Display rounding: half up by default, as published indices round; half to even on request."""

import numpy as np
import pandas as pd
import pytest

from cityindex.rounding import round_array, round_frame, round_value


@pytest.mark.parametrize(("value", "half_up", "half_even"), [
    (11.25, 11.3, 11.2), (11.35, 11.4, 11.4), (53.85, 53.9, 53.8), (-2.25, -2.3, -2.2), (0.05, 0.1, 0.0),
    (27.272727, 27.3, 27.3), (100.0, 100.0, 100.0),
])
def test_halves_round_up_or_to_even(value, half_up, half_even) -> None:
    assert round_value(value, 1) == half_up
    assert round_value(value, 1, "half_even") == pytest.approx(half_even)


def test_a_mean_that_is_a_half_in_decimal_rounds_up_despite_binary_noise() -> None:
    score = float(np.mean([11.2, 11.3]))  # 11.25 in decimal, 11.249999999999998 in binary
    assert round_value(score, 1) == 11.3
    assert round_value(2.675, 2) == 2.68  # 2.67499999999999982236431605997495353221893310546875


def test_missing_scores_stay_missing_and_frames_keep_their_shape() -> None:
    frame = pd.DataFrame({"overall": [11.25, np.nan]}, index=["a", "b"])
    rounded = round_frame(frame, 1)
    assert rounded.index.tolist() == ["a", "b"] and rounded.loc["a", "overall"] == 11.3
    assert np.isnan(rounded.loc["b", "overall"]) and round_value(None, 1) is None
    assert round_array(np.array([0.125]), 2).tolist() == [0.13]


def test_a_result_rounds_with_the_methodology_rule(tmp_path) -> None:
    from cityindex.engine import score
    from cityindex.methodology import load_methodology

    text = """key: r
title: Rounding (fictional)
version: '1'
rules: {rounding: 1, rounding_mode: %s}
areas:
- code: a
  name_de: A
  name_en: A
  indicators:
  - code: i
    name_de: I
    name_en: I
    normalisation: raw
    parameters: [{code: p, name_de: P, name_en: P, kind: numeric}]
"""
    data = pd.DataFrame({"city": ["99000001"], "parameter": ["p"], "value": [11.25]})
    up = score(load_methodology(text % "half_up"), data)
    even = score(load_methodology(text % "half_even"), data)
    assert up.rounded(up.overall).iloc[0] == 11.3 and even.rounded(even.overall).iloc[0] == 11.2
    assert up.ranks.equals(even.ranks)


@pytest.mark.parametrize("mode", ["half_up", "half_even"])
def test_one_value_rounds_like_a_frame(mode) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.floats(min_value=-1000, max_value=1000, allow_nan=False), st.integers(0, 3))
    def check(value, decimals):
        assert round_value(value, decimals, mode) == round_array(np.array([value]), decimals, mode)[0]

    check()
