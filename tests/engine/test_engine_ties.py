"""Tie rules and ranks on unrounded scores."""

from __future__ import annotations

import pandas as pd
from engine_helpers import case, single

from cityindex.engine import score
from cityindex.engine.ties import TIE_RULES


def test_competition_ranks_ties_1_2_2_4() -> None:
    result = score(single("wert"), case("ties.csv"))
    assert result.ranks["overall"].tolist() == [1, 2, 2, 4]


def test_dense_ranks_ties_1_2_2_3() -> None:
    m = single("wert", rules={"ties": "dense"})
    assert score(m, case("ties.csv")).ranks["overall"].tolist() == [1, 2, 2, 3]


def test_ranks_use_unrounded_scores() -> None:
    scores = pd.DataFrame({"overall": [50.04, 50.01, 49.96]})
    # all three show as 50.0 with one decimal, yet they are ranked by their exact values
    assert TIE_RULES["competition"](scores)["overall"].tolist() == [1, 2, 3]


def test_floating_point_noise_is_not_a_difference() -> None:
    scores = pd.DataFrame({"overall": [0.1 + 0.2, 0.3, 0.2]})
    assert TIE_RULES["competition"](scores)["overall"].tolist() == [1, 1, 3]


def test_missing_scores_have_no_rank() -> None:
    ranks = TIE_RULES["competition"](pd.DataFrame({"overall": [10.0, None, 30.0]}))
    assert ranks["overall"].tolist()[0] == 2 and ranks["overall"].isna().tolist() == [False, True, False]
