"""Published Bitkom values the engine must reproduce (see tests/data/engine/README.md)."""

from __future__ import annotations

import pytest
from engine_helpers import area, case, indicator, methodology, parameter, single

from cityindex.engine import score

WIESBADEN, SALZGITTER, WOLFSBURG = "06414000", "03102000", "03103000"


def test_2023_e_vehicle_share_best_worst() -> None:
    """2023: Wiesbaden 7.8 % → 100, Salzgitter 0.1 % → 0 (min-max over the cities)."""
    result = score(single("e_fahrzeuge", normalisation="best_worst", unit="%"), case("e_vehicles_2023.csv"))
    scores = result.indicators["i"]
    assert scores[WIESBADEN] == 100.0
    assert scores[SALZGITTER] == 0.0
    assert scores["99000001"] == pytest.approx(50.0)  # 3.95 % is the min-max midpoint (Siegen's 50)
    assert result.ranks.loc[WIESBADEN, "overall"] == 1


def test_2021_wolfsburg_as_best_gets_100() -> None:
    result = score(single("e_fahrzeuge", normalisation="share_of_best", unit="%"), case("e_vehicles_2021.csv"))
    assert result.indicators.loc[WOLFSBURG, "i"] == 100.0
    assert result.indicators.loc["99000001", "i"] == pytest.approx(50.0)


def _point_sums() -> object:
    cases = {"kompetenz": 11, "termine": 3, "schule": 5, "beleuchtung": 4}
    inds = [
        indicator(name, [parameter(f"{name}_{k}", "binary") for k in range(1, n + 1)], normalisation="share_of_best")
        for name, n in cases.items()
    ]
    return methodology([area("a", inds)])


@pytest.mark.parametrize(
    ("name", "shown"),
    [("kompetenz", 27.3), ("termine", 33.3), ("schule", 40.0), ("beleuchtung", 75.0)],
)
def test_point_fractions_of_the_best_city(name: str, shown: float) -> None:
    """Paderborn 2023 (27.3 = 3/11, 33.3 = 1/3, 40.0 = 2/5) and Krefeld 2022 (75 = 3/4), on fictional units."""
    result = score(_point_sums(), case("point_fractions.csv"))
    assert result.rounded(result.indicators)[name]["99000002"] == shown
    assert result.indicators[name]["99000001"] == 100.0
    assert result.indicators[name]["99000003"] == 0.0


def test_siegen_50_is_also_the_median_rank_under_percentile_rank() -> None:
    """Rank 41 of 81 → exactly 50 under percentile_rank (the rank-based reading of the 2023 FAQ)."""
    data = {"p": {f"99{k:06d}": float(k) for k in range(1, 82)}}
    from engine_helpers import long

    result = score(single(normalisation="percentile_rank"), long(data))
    assert result.indicators.loc["99000041", "i"] == 50.0
    assert result.indicators.loc["99000081", "i"] == 100.0
    assert result.indicators.loc["99000001", "i"] == 0.0


def test_point_fraction_of_the_points_possible_with_share_of_maximum() -> None:
    """The Bitkom point fraction read as points achieved ÷ points possible (27.3 = 3 of 11), on
    fictional units: it holds even when no city reaches all 11 points, where share_of_best would
    divide by the best city's 6."""
    from engine_helpers import long

    params = [parameter(f"k{n}", "binary") for n in range(1, 12)]
    yes = {"99000001": 6, "99000002": 3, "99000003": 0}
    data = long({f"k{n}": {city: float(n <= count) for city, count in yes.items()} for n in range(1, 12)})
    for method, expected in (("share_of_maximum", [54.5, 27.3, 0.0]), ("share_of_best", [100.0, 50.0, 0.0])):
        result = score(methodology([area("a", [indicator("kompetenz", params, normalisation=method)])]), data)
        assert result.rounded(result.indicators)["kompetenz"].tolist() == expected


def test_share_of_maximum_needs_points() -> None:
    from cityindex.methodology import MethodologyInvalid

    with pytest.raises(MethodologyInvalid, match="needs points"):
        single(normalisation="share_of_maximum")
