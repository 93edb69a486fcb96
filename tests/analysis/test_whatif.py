"""What-if: the answer equals a full re-score of the changed data, and says when everyone is rescaled."""

import numpy as np
import pandas as pd
import pytest

from cityindex.analysis.scenario import BadValue, NotComputed, UnknownParameter, baseline
from cityindex.analysis.whatif import what_if
from cityindex.connectors.open_pilot import read_bundle
from cityindex.editions import get_edition
from cityindex.engine import score

SCORED = ["mpsc_funded", "freifunk_directory_entry", "charging_points_per_1000_2019", "gbfs_feeds_city",
          "opendata_listed_odg", "govdata_publishers_mdk", "oklab_any", "oklab_active", "onleihe_public_library"]


def _random_value(rng, m, code, bundle):
    p = m.parameters[code]
    if p.kind == "binary":
        return str(rng.choice(["yes", "no", "ja", "nein"]))
    known = pd.to_numeric(bundle.loc[bundle.parameter == code, "value"]).to_numpy()
    # an existing value, a new best above everyone or a new worst (0): all three rescaling cases
    return str(rng.choice([rng.choice(known), known.max() * 1.5 + 1, 0.0]))


def _changed_bundle(bundle, ags, changes):
    """The test's own edit of the data: drop the city's rows of the changed parameters, add new ones."""
    keep = ~((bundle.city == ags) & bundle.parameter.isin(list(changes)))
    rows = pd.DataFrame([{"city": ags, "parameter": k, "value": v} for k, v in changes.items()])
    return pd.concat([bundle.loc[keep, ["city", "parameter", "value"]], rows], ignore_index=True)


@pytest.mark.parametrize("seed", range(12))
def test_random_changes_equal_a_full_rescore(open_pilot, seed):
    rng = np.random.default_rng(seed)
    bundle = read_bundle()
    m = open_pilot.methodology
    ags = str(rng.choice(sorted(bundle.city.unique())))
    codes = list(rng.choice(SCORED, size=int(rng.integers(1, 4)), replace=False))
    changes = {c: _random_value(rng, m, c, bundle) for c in codes}

    answer = what_if(baseline(open_pilot, ags), changes)

    before = score(m, bundle)
    after = score(m, _changed_bundle(bundle, ags, changes))
    overall = answer.overall
    assert overall.score_after == pytest.approx(after.overall[ags], abs=1e-12)
    assert overall.rank_after == after.ranks.at[ags, "overall"]
    assert overall.rank_before == before.ranks.at[ags, "overall"]
    for scope in answer.scopes[1:]:
        assert scope.score_after == pytest.approx(after.areas.at[ags, scope.scope], abs=1e-12)
        assert scope.rank_after == after.ranks.at[ags, scope.scope]
    mine_b, mine_a = before.ranks.at[ags, "overall"], after.ranks.at[ags, "overall"]
    passed = {a for a in before.cities if before.ranks.at[a, "overall"] < mine_b and after.ranks.at[a, "overall"] >= mine_a}
    assert {c.ags for c in answer.passed} == passed
    # rescaling: an indicator is reported exactly when other cities' scores on it moved or its range did
    others = before.cities != ags
    for code in codes:
        indicator = m.indicator_of_parameter[code]
        moved = not np.allclose(before.indicators[indicator][others], after.indicators[indicator][others], atol=1e-9)
        reported = [r for r in answer.rescaled if r.indicator == indicator]
        if moved:
            assert reported and reported[0].others_changed > 0


def test_new_best_is_reported_with_everyone_rescaled(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    best = base.result.stages["screened"]["gbfs_feeds_city"].max()
    answer = what_if(base, {"gbfs_feeds_city": best + 1})
    [rescaled] = answer.rescaled
    assert rescaled.indicator == "sharing_daten" and rescaled.new_best
    assert rescaled.best_before == best and rescaled.best_after == best + 1
    # every other city with at least one feed now scores lower on the indicator
    with_feeds = (base.result.stages["screened"]["gbfs_feeds_city"] > 0).sum() - 1
    assert rescaled.others_changed == with_feeds


def test_no_rescaling_inside_the_range(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    assert base.value("oklab_any") == 0
    answer = what_if(base, {"oklab_any": "ja"})
    assert answer.rescaled == [] and answer.overall.points > 0
    assert [c.parameter for c in answer.changes] == ["oklab_any"]
    assert answer.changes[0].after_text == {"de": "ja", "en": "yes"}


def test_a_value_equal_to_the_current_one_is_no_change(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    answer = what_if(base, {"onleihe_public_library": "ja"})  # already yes
    assert answer.changes == [] and answer.overall.points == 0 and answer.passed == []


@pytest.mark.parametrize("changes, error, words", [
    ({"gbfs_feed": "3"}, UnknownParameter, ["gbfs_feed", "gbfs_feeds_city"]),
    ({"gbfs_feeds_city": "drei"}, BadValue, ["gbfs_feeds_city", "'drei' is not a number"]),
    ({"gbfs_feeds_city": "-1"}, BadValue, ["gbfs_feeds_city", "below the smallest valid value 0"]),
    ({"oklab_any": "vielleicht"}, BadValue, ["oklab_any", "yes/no"]),
])
def test_bad_input_names_the_field(open_pilot, changes, error, words):
    base = baseline(open_pilot, "Oberhausen")
    with pytest.raises(error) as caught:
        what_if(base, changes)
    assert all(w in str(caught.value) for w in words)


def test_decimal_comma_is_read():
    from cityindex.analysis.scenario import parse_value
    from cityindex.methodology import Parameter

    p = Parameter(code="x", name_de="x", name_en="x", kind="numeric")
    assert parse_value(p, "1,5") == 1.5 and parse_value(p, " 2.25 ") == 2.25


def test_published_edition_is_refused():
    with pytest.raises(NotComputed, match="published edition"):
        baseline(get_edition(2022), "Oberhausen")
