"""Fictional editions for the uncertainty tests.

Every unit is FICTIONAL (AGS 99xxxxxx: no German state has the code 99) and every value is
SYNTHETIC, drawn from a seeded generator or written by hand for a case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from cityindex.methodology import load_methodology


def _p(code: str, kind: str = "numeric", **fields) -> dict:
    return {"code": code, "name_de": code, "name_en": code, "kind": kind, **fields}


def _i(code: str, parameters: list, **fields) -> dict:
    return {"code": code, "name_de": code, "name_en": code, "parameters": parameters, **fields}


def _a(code: str, indicators: list, **fields) -> dict:
    return {"code": code, "name_de": code, "name_en": code, "indicators": indicators, **fields}


def methodology_of(areas: list, *, uncertainty: dict | None = None, **rules):
    doc = {"key": "fictional", "title": "Fictional (tests)", "version": "1", "rules": rules, "areas": areas}
    if uncertainty is not None:
        doc["uncertainty"] = uncertainty
    return load_methodology(yaml.safe_dump(doc, sort_keys=False))


EVERY_ASSUMPTION = {"runs": 400, "seed": 11, "assumptions": [
    {"address": "weights.areas", "share": 0.3},
    {"address": "weights.indicators", "share": 0.4},
    {"address": "rules.normalisation", "alternatives": ["best_worst", "percentile_rank", "zscore"]},
    {"address": "rules.aggregation.areas", "alternatives": ["arithmetic", {"method": "geometric", "offset": 1}]},
    {"address": "rules.aggregation.overall", "alternatives": ["arithmetic", {"method": "geometric", "offset": 1}]},
    {"address": "rules.missing", "alternatives": ["zero", "skip_and_reweight", "impute_median"]},
    {"address": "bonus", "alternatives": [True, False]},
]}


def rich_edition(*, n_cities: int = 30, ties: str = "competition", seed: int = 5):
    """Three areas (one of nine indicators), sums, a weighted mean, a per-capita value, a bonus
    with cap basis `achieved`, missing values, and every assumption varied."""
    wide = _a("wide", [_i(f"w{k}", [_p(f"w{k}p")]) for k in range(9)])
    sums = _a("sums", [
        _i("s1", [_p("s1a", "binary"), _p("s1b", "binary", points=2)]),
        _i("s2", [_p("s2a", "points", answers={"nein": 0, "teils": 1, "ja": 2})]),
        _i("s3", [_p("s3a", "binary")]),
    ], bonus={"parameters": [_p("bonus1", "binary", points=3)], "cap": 0.1, "cap_basis": "achieved"})
    mixed = _a("mixed", [
        _i("m1", [_p("m1a"), _p("m1b", direction="lower_better", weight=2)], combine="weighted_mean"),
        _i("m2", [_p("m2a", transforms=[{"type": "per_capita", "denominator": "population", "factor": 1000}])],
           weight=2),
    ], weight=1.5)
    m = methodology_of([wide, sums, mixed], uncertainty=EVERY_ASSUMPTION, ties=ties)
    rng = np.random.default_rng(seed)
    cities = [f"99{k:06d}" for k in range(1, n_cities + 1)]
    rows = []
    for p in m.parameters.values():
        for city in cities:
            if rng.random() < 0.1:
                continue  # a missing value
            if p.kind == "binary":
                value = "ja" if rng.random() < 0.5 else "nein"
            elif p.kind == "points":
                value = ["nein", "teils", "ja"][rng.integers(0, 3)]
            else:
                value = float(np.round(rng.gamma(2.0, 10.0), 3))
            rows.append((city, p.code, value))
    data = pd.DataFrame(rows, columns=["city", "parameter", "value"])
    register = pd.DataFrame({"population": rng.integers(100_000, 900_000, n_cities),
                             "area_km2": rng.uniform(50, 400, n_cities)}, index=pd.Index(cities, name="ags"))
    return m, data, register


def long(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """{parameter: {ags: value}} → long data."""
    return pd.DataFrame([(city, code, value) for code, per_city in values.items() for city, value in per_city.items()],
                        columns=["city", "parameter", "value"])


def simple_areas(n_areas: int, n_indicators: int) -> list:
    return [_a(f"a{j}", [_i(f"a{j}i{k}", [_p(f"a{j}p{k}")]) for k in range(n_indicators)]) for j in range(n_areas)]
