"""The statistical audit of a computed edition: the checks of a JRC-style audit of a composite index.

``stats_audit(result)`` reads the stage tables of a ``Result`` and returns an ``AuditReport``: one
row per check and item with the value, a reference number (the kurtosis, the correlation with the
own area, the nominal weight share) and whether it is flagged. The checks and
their thresholds (docs/uncertainty.md says where each comes from):

=====================  ===================================================================  ===========
check                  what                                                                 flagged
=====================  ===================================================================  ===========
coverage-parameter     share of cities with a value, per scored parameter                   < 65 %
coverage-city          share of scored parameters with a value, per city                    < 65 %
skew-kurtosis          skewness and excess kurtosis of each indicator's input               |skew| > 2 and kurtosis > 3.5
correlation-within     Pearson r of two indicators of the same area                         r < 0 or r > 0.9
correlation-across     an indicator correlating more with another area than with its own   always
area-redundancy        Pearson r of two area scores                                         r > 0.9
cronbach-alpha         internal consistency of an area's indicators                         < 0.7
first-component        variance share of the first principal component of an area          < 50 %
effective-weight       r² with the aggregate as share of the group, ÷ nominal weight share  < 0.5 or > 2
=====================  ===================================================================  ===========

The input of ``skew-kurtosis`` is what the normaliser sees: the point sum of a ``sum`` indicator,
the score of a ``weighted_mean`` indicator. Correlations use the indicator and area scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

COVERAGE_MIN = 0.65
SKEW_MAX, KURTOSIS_MAX = 2.0, 3.5
CORRELATION_MAX = 0.9
ALPHA_MIN = 0.7
FIRST_COMPONENT_MIN = 0.5
WEIGHT_RATIO = (0.5, 2.0)
COLUMNS = ["check", "area", "item", "other", "value", "reference", "flagged"]
CHECKS = ("coverage-parameter", "coverage-city", "skew-kurtosis", "correlation-within", "correlation-across",
          "area-redundancy", "cronbach-alpha", "first-component", "effective-weight")
#: When a row is flagged, per check and language; ``reference`` is the number a row compares with.
THRESHOLDS = {
    "de": {"coverage-parameter": "< 65 %", "coverage-city": "< 65 %",
           "skew-kurtosis": "|Schiefe| > 2 und Wölbung > 3,5 (Wölbung: Bezug)",
           "correlation-within": "r < 0 oder r > 0,9", "correlation-across": "r > r mit eigenem Bereich (Bezug)",
           "area-redundancy": "r > 0,9", "cronbach-alpha": "< 0,7", "first-component": "< 50 %",
           "effective-weight": "effektiv ÷ nominal (Bezug) < 0,5 oder > 2"},
    "en": {"coverage-parameter": "< 65 %", "coverage-city": "< 65 %",
           "skew-kurtosis": "|skewness| > 2 and kurtosis > 3.5 (kurtosis: reference)",
           "correlation-within": "r < 0 or r > 0.9", "correlation-across": "r > r with own area (reference)",
           "area-redundancy": "r > 0.9", "cronbach-alpha": "< 0.7", "first-component": "< 50 %",
           "effective-weight": "effective ÷ nominal (reference) < 0.5 or > 2"},
}
TITLES = {
    "de": {"coverage-parameter": "Abdeckung je Parameter", "coverage-city": "Abdeckung je Stadt",
           "skew-kurtosis": "Ausreißer (Schiefe und Wölbung)", "correlation-within": "Korrelation im Bereich",
           "correlation-across": "Korrelation mit anderem Bereich", "area-redundancy": "Redundante Bereiche",
           "cronbach-alpha": "Cronbachs Alpha", "first-component": "Erste Hauptkomponente",
           "effective-weight": "Effektives Gewicht"},
    "en": {"coverage-parameter": "Coverage per parameter", "coverage-city": "Coverage per city",
           "skew-kurtosis": "Outliers (skewness and kurtosis)", "correlation-within": "Correlation within an area",
           "correlation-across": "Correlation with another area", "area-redundancy": "Redundant areas",
           "cronbach-alpha": "Cronbach's alpha", "first-component": "First principal component",
           "effective-weight": "Effective weight"},
}


@dataclass(frozen=True, eq=False)
class AuditReport:
    """The audit of one Result: ``rows`` (check, area, item, other, value, reference, flagged)."""

    methodology_hash: str
    input_hash: str
    rows: pd.DataFrame

    @property
    def flags(self) -> pd.DataFrame:
        return self.rows[self.rows["flagged"]].reset_index(drop=True)

    def counts(self) -> dict[str, tuple[int, int]]:
        """check → (flagged, checked)."""
        grouped = self.rows.groupby("check", sort=False)["flagged"]
        return {check: (int(grouped.get_group(check).sum()), int(grouped.get_group(check).size))
                for check in CHECKS if check in grouped.groups}

    def to_dict(self) -> dict:
        rows = self.rows.astype(object).where(self.rows.notna(), None)
        return {"methodology_hash": self.methodology_hash, "input_hash": self.input_hash,
                "counts": {k: {"flagged": f, "checked": n} for k, (f, n) in self.counts().items()},
                "rows": rows.to_dict("records")}

    @classmethod
    def from_dict(cls, data: dict) -> "AuditReport":
        rows = pd.DataFrame(data["rows"], columns=COLUMNS)
        return cls(data["methodology_hash"], data["input_hash"], _typed(rows))


def stats_audit(result) -> AuditReport:
    """Every check of the audit on one computed Result."""
    m = result.methodology
    rows = [*_coverage(result), *_skew_kurtosis(result), *_correlations(result), *_consistency(result),
            *_effective_weights(result)]
    return AuditReport(m.hash, result.input_hash, _typed(pd.DataFrame(rows, columns=COLUMNS)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({"value": float, "reference": float, "flagged": bool})


def _row(check: str, area: str, item: str, value: float, flagged: bool, *, other: str = "",
         reference: float = np.nan) -> tuple:
    return (check, area, item, other, float(value), float(reference), bool(flagged))


# Coverage ---------------------------------------------------------------------------------------


def _coverage(result):
    m = result.methodology
    scored = [(a.code, p.code) for a, i, p in m.parameter_places() if i is None or not p.context_only]
    codes = [code for _, code in scored]
    present = result.stages["screened"][codes].notna()
    for (area, code), share in zip(scored, present.mean(axis=0)):
        yield _row("coverage-parameter", area, code, share, share < COVERAGE_MIN)
    for city, share in present.mean(axis=1).items():
        yield _row("coverage-city", "", str(city), share, share < COVERAGE_MIN)


# Outliers ---------------------------------------------------------------------------------------


def _indicator_inputs(result) -> pd.DataFrame:
    """What the normaliser sees per indicator: the point sum (sum) or the score (weighted_mean)."""
    combined = result.stages["combined"]
    return pd.DataFrame({code: combined[code] if code in combined.columns else result.indicators[code]
                         for code in result.indicators.columns})


def _skew_kurtosis(result):
    from scipy.stats import kurtosis, skew

    area_of = result.methodology.area_of_indicator
    for code, values in _indicator_inputs(result).items():
        x = values.dropna().to_numpy(dtype=float)
        if len(x) < 4 or np.ptp(x) == 0:
            continue
        s, k = float(skew(x, bias=False)), float(kurtosis(x, fisher=True, bias=False))
        yield _row("skew-kurtosis", area_of[code], code, s, abs(s) > SKEW_MAX and k > KURTOSIS_MAX, reference=k)


# Correlations -----------------------------------------------------------------------------------


def _members(result) -> dict[str, list[str]]:
    """Scored indicators of each area that vary (a constant has no correlation)."""
    varying = result.indicators.std() > 0
    return {a.code: [i.code for i in a.scored_indicators if varying.get(i.code, False)] for a in result.methodology.areas}


def _correlations(result):
    indicators, areas = result.indicators, result.areas
    members = _members(result)
    r = indicators.corr()
    for area, codes in members.items():
        for first, second in combinations(codes, 2):
            value = r.loc[first, second]
            yield _row("correlation-within", area, first, value, value < 0 or value > CORRELATION_MAX, other=second)
    varying_areas = [a for a in areas.columns if areas[a].std() > 0]
    with_areas = pd.concat([indicators, areas[varying_areas].add_prefix("area:")], axis=1).corr()
    for area, codes in members.items():
        if f"area:{area}" not in with_areas:
            continue
        for code in codes:
            own = with_areas.loc[code, f"area:{area}"]
            others = {a: with_areas.loc[code, f"area:{a}"] for a in varying_areas if a != area}
            best = max(others, key=others.get, default=None)
            if best is not None and others[best] > own:
                yield _row("correlation-across", area, code, others[best], True, other=best, reference=own)
    ra = areas[varying_areas].corr()
    for first, second in combinations(varying_areas, 2):
        value = ra.loc[first, second]
        yield _row("area-redundancy", "", first, value, value > CORRELATION_MAX, other=second)


# Consistency of each area ----------------------------------------------------------------------


def _consistency(result):
    for area, codes in _members(result).items():
        items = result.indicators[codes].dropna()
        if len(codes) < 2 or len(items) < 3:
            continue
        k = len(codes)
        alpha = k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))
        yield _row("cronbach-alpha", area, area, alpha, alpha < ALPHA_MIN)
        eigen = np.linalg.eigvalsh(items.corr().to_numpy())
        share = float(eigen[-1] / eigen.sum())
        yield _row("first-component", area, area, share, share < FIRST_COMPONENT_MIN)


# Effective versus nominal weights --------------------------------------------------------------


def _effective_weights(result):
    m = result.methodology
    for area in m.areas:
        nominal = {i.code: i.weight for i in area.scored_indicators}
        yield from _weights(result.indicators, result.areas[area.code], nominal, area.code)
    yield from _weights(result.areas, result.overall, {a.code: a.weight for a in m.areas}, "")


def _weights(components: pd.DataFrame, aggregate: pd.Series, nominal: dict[str, float], area: str):
    """r² of each component with its aggregate, as a share of the group, against the nominal share."""
    if len(nominal) < 2 or aggregate.std() == 0:
        return
    r2 = {code: (components[code].corr(aggregate) ** 2 if components[code].std() > 0 else 0.0) for code in nominal}
    total_r2, total_w = sum(r2.values()), sum(nominal.values())
    if total_r2 == 0 or total_w == 0:
        return
    low, high = WEIGHT_RATIO
    for code, weight in nominal.items():
        share = weight / total_w
        effective = r2[code] / total_r2
        ratio = effective / share if share > 0 else np.nan
        yield _row("effective-weight", area, code, effective, bool(share > 0 and not low <= ratio <= high),
                   reference=share)
