"""The planner against brute force on FICTIONAL cities (AGS 99…, synthetic seeded values) with the
fictional example methodology: graded answers, a lower-is-better parameter, a weighted mean with
goalposts, an innovation bonus capped at 100 points, and an unknown value that a measure sets."""

import itertools

import numpy as np
import pandas as pd
import pytest

from cityindex.analysis.catalogue import Catalogue, Measure
from cityindex.analysis.planner import plan
from cityindex.analysis.scenario import baseline
from cityindex.cities import City
from cityindex.editions import EditionView
from cityindex.engine import score
from cityindex.methodology import load_methodology
from cityindex.paths import METHODOLOGY_DIR

N = 9


def _methodology():
    """example.yaml without its per-capita transform (fictional units have no population)."""
    text = (METHODOLOGY_DIR / "example.yaml").read_text(encoding="utf-8")
    text = text.replace("      - {type: per_capita, denominator: population, factor: 1000}\n", "")
    text = text.replace("      transforms:\n      valid_range: {min: 0}", "      valid_range: {min: 0}")
    return load_methodology(text)


def _data(rng) -> pd.DataFrame:
    rows = []
    for k in range(N):
        ags = f"99{k:06d}"
        values = {
            "termine_buergeramt": rng.choice(["ja", "nein"]), "termine_standesamt": rng.choice(["ja", "nein"]),
            "termine_kfz": rng.choice(["nein", "teilweise", "vollständig"]), "ozg_anteil": float(rng.integers(0, 90)),
            "innovationsprojekte": rng.choice(["keines", "eines", "mehrere"]),
            "ladepunkte_anzahl": float(rng.integers(0, 40)), "smarte_ampeln": float(rng.integers(0, 60)),
            "stauzeit": float(rng.integers(20, 80)), "einpendler": 1000.0,
        }
        if k == 0:
            del values["termine_buergeramt"]  # unknown: only a measure that sets it can change that
        if k == 1:  # a strong city whose Verwaltung base plus bonus passes 100 (the cap of the area score)
            values.update(termine_buergeramt="ja", termine_standesamt="ja", termine_kfz="vollständig",
                          ozg_anteil=100.0, innovationsprojekte="mehrere")
        rows += [{"city": ags, "parameter": p, "value": v} for p, v in values.items()]
    return pd.DataFrame(rows)


def _catalogue(rng) -> Catalogue:
    pool = [
        {"sets": {"termine_buergeramt": "ja"}}, {"sets": {"termine_kfz": "teilweise"}},
        {"sets": {"termine_kfz": "vollständig"}}, {"sets": {"innovationsprojekte": "eines"}},
        {"sets": {"innovationsprojekte": "mehrere"}}, {"raises": {"ozg_anteil": 15.0}},
        {"raises": {"ozg_anteil": 40.0}}, {"raises": {"stauzeit": -10.0}}, {"raises": {"smarte_ampeln": 30.0}},
        {"raises": {"ladepunkte_anzahl": 25.0}},
    ]
    chosen = rng.choice(len(pool), size=6, replace=False)
    return Catalogue(key="t", methodology="example", title_de="t", title_en="t", description_de="", description_en="",
                     example=False, measures=tuple(
                         Measure(id=f"m{i}", name_de=f"m{i}", name_en=f"m{i}", euros=float(rng.integers(1, 40)),
                                 **pool[k]) for i, k in enumerate(chosen)))


def _city(ags: str) -> City:
    return City(ags=ags, name=f"Fiktiv {ags[-2:]}", slug=f"fiktiv-{ags[-2:]}", official_name="", destatis_name="",
                aliases=(), state="", state_code="", population=0, population_date="", area_km2=0.0, lat=0.0,
                lon=0.0, regions=(), size_class="lt100k")


def _after(data, ags, measures, methodology):
    """The catalogue rules, written out here: best of current and set values, then raises."""
    mine = data[data.city == ags].set_index("parameter")["value"]
    changes = {}
    for code in {c for m in measures for c in m.sets}:
        p = methodology.parameters[code]
        order = list(p.answers) if p.answers else ["nein", "ja"]
        candidates = [m.sets[code] for m in measures if code in m.sets] + ([mine[code]] if code in mine else [])
        changes[code] = max(candidates, key=order.index)
    for code in {c for m in measures for c in m.raises}:
        changes[code] = float(mine[code]) + sum(m.raises.get(code, 0.0) for m in measures)
    keep = data[~((data.city == ags) & data.parameter.isin(list(changes)))]
    return pd.concat([keep, pd.DataFrame([{"city": ags, "parameter": c, "value": v} for c, v in changes.items()])])


@pytest.mark.parametrize("seed", range(3))
def test_fictional_cities_match_brute_force(seed):
    rng = np.random.default_rng(100 + seed)
    m, data = _methodology(), _data(rng)
    view = EditionView.from_result(score(m, data), key="fictional", title="Fictional", series="test", year=2026,
                                   datapoints=data)
    catalogue = _catalogue(rng)
    ags = "99000000" if seed == 0 else f"99{int(rng.integers(2, N)):06d}"  # seed 0: the city with an unknown value
    base = baseline(view, _city(ags))
    outcomes = []
    for k in range(len(catalogue.measures) + 1):
        for subset in itertools.combinations(catalogue.measures, k):
            result = score(m, _after(data, ags, subset, m))
            outcomes.append((sum(x.euros for x in subset), int(result.ranks.at[ags, "overall"]),
                             float(result.overall[ags])))
    best = min(r for _, r, _ in outcomes)
    for target in sorted({best, max(1, best - 1), max(1, base.rank - 1)}):
        result = plan(base, catalogue, target_rank=target)
        if base.rank <= target:
            assert result.status == "already_met"
            continue
        reaching = [c for c, r, _ in outcomes if r <= target]
        if not reaching:
            assert result.status == "out_of_reach" and result.best.after.rank == best
            assert result.best.cost() == min(c for c, r, _ in outcomes if r == best)
            continue
        assert result.status == "planned" and result.cost() == min(reaching)
    top = max(s for _, _, s in outcomes)
    if top > base.overall + 1e-9:
        result = plan(base, catalogue, target_score=top)
        assert result.cost() == min(c for c, _, s in outcomes if s >= top - 1e-9)
