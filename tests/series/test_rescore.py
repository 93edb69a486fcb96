"""Re-scoring under another methodology and the comparable rank change, checked against plain engine runs."""

import pandas as pd
import pytest
import yaml

from cityindex.connectors.open_pilot import methodology_path, read_bundle
from cityindex.engine import score
from cityindex.methodology import dump_methodology, load_methodology
from cityindex.series import comparable, rescore, restrict
from cityindex.series.build import read_bundle as read_series


@pytest.fixture(scope="module")
def v2():
    return load_methodology(methodology_path())


@pytest.fixture(scope="module")
def years():
    return read_series()


def _by_hand(methodology, drop: set[str]):
    """The methodology without the given parameters (and indicators and areas left empty), edited as
    plain YAML data: an independent construction of what ``restrict`` does."""
    data = yaml.safe_load(dump_methodology(methodology).split("\n", 2)[2])
    for area in data["areas"]:
        for indicator in area["indicators"]:
            indicator["parameters"] = [p for p in indicator["parameters"] if p["code"] not in drop]
        area["indicators"] = [i for i in area["indicators"] if i["parameters"]]
    data["areas"] = [a for a in data["areas"] if any(any(not p.get("context_only") for p in i["parameters"])
                                                     for i in a["indicators"])]
    return load_methodology(yaml.safe_dump(data, allow_unicode=True))


def test_comparable_change_is_both_years_under_the_current_rules_on_their_common_parameters(v2, years):
    current, previous = read_bundle(), years[2025]
    result = comparable(v2, current, previous)
    known_both = set(current.parameter) & set(previous.parameter)
    scored = [p.code for a in v2.areas for i in a.scored_indicators for p in i.scored_parameters]
    assert set(result.left_out) == {c for c in scored if c not in known_both}
    assert "bba_gigabit_hh_2021" in result.left_out and "gbfs_feeds_city" in result.parameters
    spec = _by_hand(v2, set(result.left_out))
    keep = lambda frame: frame[frame.parameter.isin(spec.parameters)]  # noqa: E731
    now, before = score(spec, keep(current)).ranks, score(spec, keep(previous)).ranks
    overall = result.ranks[result.ranks.scope == "overall"].set_index("ags")
    assert (overall["rank"] == now["overall"].reindex(overall.index)).all()
    assert (overall["change"] == (before["overall"] - now["overall"]).reindex(overall.index)).all()


def test_an_area_without_any_kept_parameter_has_no_score_and_the_overall_score_reweights(v2):
    data = read_bundle()
    energy = {p.code for i in v2.areas[2].indicators for p in i.parameters}  # energie_umwelt
    keep = {c for c in v2.parameters if c not in energy}
    result = rescore(restrict(v2, keep), data).result
    assert result.areas["energie_umwelt"].isna().all() and result.ranks["energie_umwelt"].isna().all()
    others = result.areas.drop(columns="energie_umwelt")
    pd.testing.assert_series_equal(result.overall, others.mean(axis=1), check_names=False)


def test_rescore_leaves_out_parameters_the_methodology_does_not_define(v2, years):
    v1 = load_methodology(methodology_path().parent / "previous" / "open-2026-v1.yaml")
    out = rescore(v1, read_bundle())
    assert set(out.dropped_parameters) == set(v2.parameters) - set(v1.parameters)
    assert len(out.result.overall) == 82


def test_rescore_of_a_published_edition_says_it_has_no_methodology():
    from cityindex.series.rescore import NoMethodology, methodology_of

    with pytest.raises(NoMethodology, match="published Bitkom edition"):
        methodology_of("2022")
    assert methodology_of(str(methodology_path())).key == "open-2026"
