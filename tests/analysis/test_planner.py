"""The planner against brute force over every subset of small catalogues on the open pilot edition."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from cityindex.analysis.catalogue import Catalogue, Measure, default_catalogue_path, load_catalogue
from cityindex.analysis.planner import PlannerError, plan
from cityindex.analysis.scenario import baseline
from cityindex.connectors.open_pilot import read_bundle
from cityindex.engine import score

BINARY = ["freifunk_directory_entry", "opendata_listed_odg", "oklab_any", "oklab_active", "onleihe_public_library"]
RAISES = {"gbfs_feeds_city": [1, 2, 5], "charging_points_per_1000_2019": [0.05, 0.3, 0.9],
          "govdata_publishers_mdk": [1, 10, 150]}  # the large steps make the city the new best: everyone rescales


def _catalogue(measures) -> Catalogue:
    return Catalogue(key="t", methodology="open-2026", title_de="t", title_en="t", description_de="",
                     description_en="", example=False, measures=tuple(measures), source="test")


def _random_catalogue(rng, n=7) -> Catalogue:
    measures = []
    for i in range(n):
        sets, raises = {}, {}
        for _ in range(int(rng.integers(1, 3))):
            if rng.random() < 0.5:
                sets[str(rng.choice(BINARY))] = "yes"
            else:
                code = str(rng.choice(list(RAISES)))
                raises[code] = float(rng.choice(RAISES[code]))
        requires = (f"m{int(rng.integers(0, i))}",) if i and rng.random() < 0.25 else ()
        excludes = (f"m{int(rng.integers(0, i))}",) if i and rng.random() < 0.2 else ()
        excludes = tuple(e for e in excludes if e not in requires)
        measures.append(Measure(id=f"m{i}", name_de=f"m{i}", name_en=f"m{i}", euros=float(rng.integers(1, 60)),
                                sets=sets, raises=raises, requires=requires, excludes=excludes))
    return _catalogue(measures)


def _values_after(bundle, ags, measures):
    """The test's own reading of the catalogue rules: best of current and set values, plus raises."""
    mine = bundle[bundle.city == ags].set_index("parameter")["value"]
    out = {}
    for m in measures:
        for code in m.sets:
            out[code] = "yes"
    for code in {c for m in measures for c in m.raises}:
        out[code] = float(mine[code]) + sum(m.raises.get(code, 0.0) for m in measures)
    return out


def _allowed(subset, catalogue):
    ids = {m.id for m in subset}
    return all(set(m.requires) <= ids and not (set(m.excludes) & ids) for m in subset)


def _brute_force(open_pilot, ags, catalogue, budget=None):
    """(cost, rank, score) of every allowed subset, re-scored with score()."""
    bundle = read_bundle()
    base_data = bundle[["city", "parameter", "value"]]
    out = []
    for k in range(len(catalogue.measures) + 1):
        for subset in itertools.combinations(catalogue.measures, k):
            cost = sum(m.euros for m in subset)
            if not _allowed(subset, catalogue) or (budget is not None and cost > budget):
                continue
            changes = _values_after(bundle, ags, subset)
            data = base_data[~((base_data.city == ags) & base_data.parameter.isin(list(changes)))]
            data = pd.concat([data, pd.DataFrame([{"city": ags, "parameter": c, "value": v}
                                                  for c, v in changes.items()])], ignore_index=True)
            result = score(open_pilot.methodology, data)
            out.append((cost, int(result.ranks.at[ags, "overall"]), float(result.overall[ags])))
    return out


CASES = [(seed, city) for seed, city in enumerate(["Oberhausen", "Gelsenkirchen", "Ulm", "Bottrop", "Jena",
                                                   "Aachen", "Hamm", "Salzgitter"])]


@pytest.mark.parametrize("seed, city", CASES)
def test_cheapest_plan_equals_brute_force(open_pilot, seed, city):
    rng = np.random.default_rng(seed)
    catalogue = _random_catalogue(rng)
    base = baseline(open_pilot, city)
    outcomes = _brute_force(open_pilot, base.ags, catalogue)
    best_rank = min(r for _, r, _ in outcomes)
    for target in sorted({max(1, base.rank - 3), best_rank, max(1, best_rank - 1)}):
        result = plan(base, catalogue, target_rank=target)
        reaching = [c for c, r, _ in outcomes if r <= target]
        if base.rank <= target:
            assert result.status == "already_met"
        elif reaching:
            assert result.status == "planned" and result.cost() == min(reaching), (target, result.to_dict()["measures"])
            assert result.after.rank <= target  # verified by score()
            assert _allowed(result.measures, catalogue)
        else:
            assert result.status == "out_of_reach" and result.best.after.rank == best_rank
            assert result.best.cost() == min(c for c, r, _ in outcomes if r == best_rank)
    target_score = round((base.overall + max(s for _, _, s in outcomes)) / 2, 3)
    result = plan(base, catalogue, target_score=target_score)
    assert result.cost() == min(c for c, _, s in outcomes if s >= target_score - 1e-9)


def test_budget_limits_the_plan_and_says_what_it_would_cost(open_pilot):
    catalogue = _random_catalogue(np.random.default_rng(11))
    base = baseline(open_pilot, "Oberhausen")
    outcomes = _brute_force(open_pilot, base.ags, catalogue)
    target = base.rank - 4
    cheapest = min(c for c, r, _ in outcomes if r <= target)
    result = plan(base, catalogue, target_rank=target, budget=cheapest - 1)
    assert result.status == "out_of_reach"
    in_budget = [(c, r) for c, r, _ in outcomes if c <= cheapest - 1]
    assert result.best.after.rank == min(r for _, r in in_budget)
    assert result.without_budget.cost() == cheapest


def _m(mid, euros, **kw):
    return Measure(id=mid, name_de=mid, name_en=mid, euros=euros, **kw)


def test_prerequisites_and_exclusions_are_kept(open_pilot):
    base = baseline(open_pilot, "Oberhausen")  # no OK Lab, one GBFS feed
    catalogue = _catalogue([
        _m("lab", 50, sets={"oklab_any": "yes"}),
        _m("active", 1, sets={"oklab_active": "yes"}, requires=("lab",)),
        _m("feed_a", 5, raises={"gbfs_feeds_city": 1.0}, excludes=("feed_b",)),
        _m("feed_b", 6, raises={"gbfs_feeds_city": 1.0}),
    ])
    outcomes = {frozenset(m.id for m in s): r for s, (c, r, _) in zip(
        [s for k in range(5) for s in itertools.combinations(catalogue.measures, k) if _allowed(s, catalogue)],
        _brute_force(open_pilot, base.ags, catalogue))}
    target = outcomes[frozenset({"lab", "active"})]
    result = plan(base, catalogue, target_rank=target)
    ids = {m.id for m in result.measures}
    assert "active" not in ids or "lab" in ids
    assert not {"feed_a", "feed_b"} <= ids
    assert result.after.rank <= target


def test_target_already_met(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    result = plan(base, load_catalogue(default_catalogue_path("open-2026")), target_rank=base.rank)
    assert result.status == "already_met" and result.measures == [] and result.cost() == 0


@pytest.mark.parametrize("kwargs, words", [
    ({"target_rank": 0}, ["--target-rank", "better than rank 1"]),
    ({"target_rank": 83}, ["--target-rank", "worse than the last rank 82"]),
    ({"target_score": 101}, ["--target-score", "0–100"]),
    ({}, ["exactly one target"]),
    ({"target_rank": 3, "target_score": 50}, ["exactly one target"]),
    ({"target_rank": 3, "budget": -1}, ["--budget", "negative"]),
    ({"target_rank": 3, "currency": "dollars"}, ["--cost", "dollars"]),
])
def test_bad_targets_name_the_option(open_pilot, kwargs, words):
    base = baseline(open_pilot, "Oberhausen")
    with pytest.raises(PlannerError) as caught:
        plan(base, load_catalogue(default_catalogue_path("open-2026")), **kwargs)
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_measure_without_the_chosen_cost_unit(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    catalogue = _catalogue([_m("lab", 50, sets={"oklab_any": "yes"})])
    with pytest.raises(PlannerError, match="lab .* no cost in person_days"):
        plan(base, catalogue, target_rank=1, currency="person_days")


def test_example_catalogue_plan_is_flagged_as_example(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    result = plan(base, load_catalogue(default_catalogue_path("open-2026")), target_rank=base.rank - 5)
    assert result.status == "planned" and "example_catalogue" in result.notes
    assert math.isclose(result.after.score, float(result.whatif.result.overall[base.ags]))
