"""Levers: for each scored parameter, what reaching a better value would give the city.

Three kinds of target per parameter, each re-scored with ``score()`` (rescaling included):

* ``next`` — the next level: the next answer (binary, graded), or the next better value another
  city of the edition has (numeric);
* ``peers:<group>`` — the median of comparable cities (same state, size class, region), rounded
  up to the next allowed answer for binary and graded parameters;
* ``best`` — the best value any other city of the edition has.

Targets are found on the engine's *treated* values (after per-capita, log and cap transforms,
where cities compare) and turned back into the city's own units; a count is rounded up to a
whole number. A target that is not better than the city's value is left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cityindex.analysis.peers import PeerGroup, peer_groups
from cityindex.analysis.scenario import Baseline, display_value
from cityindex.cities import load_register
from cityindex.methodology import Log, Parameter, PerCapita


@dataclass(frozen=True)
class Target:
    kind: str  # next, peers:state, peers:size_class, peers:region:ruhr, best
    label_de: str
    label_en: str
    value: float  # screened units
    value_text: dict[str, str]
    points: float  # change of the overall score
    places: int  # ranks gained (positive = better)
    rank_after: int
    area_points: float  # change of the parameter's area score

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en


@dataclass(frozen=True)
class Lever:
    parameter: str
    name_de: str
    name_en: str
    area: str
    indicator: str
    current: float | None
    current_text: dict[str, str]
    targets: list[Target]

    @property
    def potential(self) -> float:
        """The largest gain in points over the targets (0 when there is none)."""
        return max((t.points for t in self.targets), default=0.0)

    def target(self, kind: str) -> Target | None:
        return next((t for t in self.targets if t.kind == kind), None)

    def name(self, lang: str) -> str:
        return self.name_de if lang == "de" else self.name_en


@dataclass(frozen=True)
class Levers:
    edition: str
    ags: str
    city: str
    rank: int
    score: float
    n_ranked: int
    groups: list[dict] = field(default_factory=list)  # key, label_de, label_en, n
    levers: list[Lever] = field(default_factory=list)  # per area (methodology order), biggest first

    def top(self, n: int = 5) -> list[Lever]:
        """The ``n`` levers with the biggest potential gain, over all areas."""
        ranked = sorted((lv for lv in self.levers if lv.potential > 0), key=lambda lv: -lv.potential)
        return ranked[:n]

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("edition", "ags", "city", "rank", "score", "n_ranked", "groups")}
        out["levers"] = [{**{k: v for k, v in lv.__dict__.items() if k != "targets"}, "potential": lv.potential,
                          "targets": [dict(t.__dict__) for t in lv.targets]} for lv in self.levers]
        return out


# Targets in treated units -----------------------------------------------------------------------


def _goodness(values, higher_better: bool):
    return values if higher_better else -values


def _levels(p: Parameter) -> list[float] | None:
    """The allowed screened values of a binary or graded parameter, worst first (None: numeric)."""
    if p.kind == "binary":
        levels = [0.0, float(p.points)]
    elif p.kind == "points":
        levels = sorted(set(map(float, (p.answers or {}).values())))
    else:
        return None
    return levels if p.higher_better else levels[::-1]


def _snap(p: Parameter, value: float) -> float:
    """A discrete parameter's first allowed value at least as good as ``value``."""
    levels = _levels(p)
    if levels is None:
        return value
    hb = p.higher_better
    better = [v for v in levels if _goodness(v, hb) >= _goodness(value, hb) - 1e-12]
    return better[0] if better else levels[-1]


def _next(p: Parameter, current: float, others: np.ndarray) -> float | None:
    hb = p.higher_better
    levels = _levels(p)
    if levels is not None:
        now = levels[0] if math.isnan(current) else current
        ahead = [v for v in levels if _goodness(v, hb) > _goodness(now, hb)]
        return ahead[0] if ahead else None
    if math.isnan(current):
        return float(others.min() if hb else others.max()) if others.size else None
    ahead = others[_goodness(others, hb) > _goodness(current, hb)]
    if not ahead.size:
        return None
    return float(ahead.min() if hb else ahead.max())


def _best(p: Parameter, others: np.ndarray) -> float | None:
    if not others.size:
        return None
    return float(others.max() if p.higher_better else others.min())


def _better(p: Parameter, target: float | None, current: float) -> bool:
    if target is None or math.isnan(target):
        return False
    return math.isnan(current) or _goodness(target, p.higher_better) > _goodness(current, p.higher_better) + 1e-12


# Back to the city's own units -------------------------------------------------------------------


def _untreat(p: Parameter, treated: float, base: Baseline) -> float | None:
    """The screened value whose treated value is ``treated`` for this city (transforms inverted)."""
    value = treated
    for transform in reversed(p.transforms):
        if isinstance(transform, PerCapita):
            if transform.denominator in ("population", "area_km2"):
                denominator = float(getattr(base.city, transform.denominator))
            else:
                denominator = base.value(transform.denominator)
            if not denominator > 0:
                return None
            value = value * denominator / transform.factor
        elif isinstance(transform, Log):
            value = math.exp(value) - transform.offset
    if p.measure == "count":
        value = round(value, 9)
        value = float(math.ceil(value) if p.higher_better else math.floor(value))
    return value


# Building the levers ----------------------------------------------------------------------------


def _targets(p: Parameter, base: Baseline, groups: list[PeerGroup]) -> list[tuple[str, str, str, float]]:
    """(kind, label de, label en, treated target value) for one parameter."""
    treated = base.result.stages["treated"][p.code]
    current = float(treated[base.ags])
    others = treated.drop(base.ags).dropna().to_numpy(dtype=float)
    found = [("next", "nächste Stufe", "next level", _next(p, current, others))]
    for g in groups:
        values = treated.reindex([c.ags for c in g.members]).dropna().to_numpy(dtype=float)
        median = _snap(p, float(np.median(values))) if values.size else None
        found.append((f"peers:{g.key}", f"Median {g.label_de} (n={values.size})",
                      f"median {g.label_en} (n={values.size})", median))
    best = _best(p, others)
    found.append(("best", "bester Wert", "best value", best))
    return [(k, de, en, v) for k, de, en, v in found if _better(p, v, current)]


def _gain(base: Baseline, p: Parameter, area: str, value: float, cache: dict) -> tuple[float, int, int, float]:
    if value not in cache:
        after = base.rescore({p.code: value})
        rank = int(after.ranks.at[base.ags, "overall"])
        cache[value] = (float(after.overall[base.ags]) - base.overall, base.rank - rank, rank,
                        float(after.areas.at[base.ags, area] - base.result.areas.at[base.ags, area]))
    return cache[value]


def _lever(base: Baseline, area: str, indicator: str, p: Parameter, groups: list[PeerGroup]) -> Lever:
    targets, cache = [], {}
    for kind, de, en, treated in _targets(p, base, groups):
        value = treated if _levels(p) is not None else _untreat(p, treated, base)
        if value is None or not _better(p, value, base.value(p.code)):
            continue
        points, places, rank, area_points = _gain(base, p, area, value, cache)
        targets.append(Target(kind, de, en, value, {lang: display_value(p, value, lang) for lang in ("de", "en")},
                              points, places, rank, area_points))
    current = base.value(p.code)
    return Lever(p.code, p.name_de, p.name_en, area, indicator, None if math.isnan(current) else current,
                 {lang: display_value(p, current, lang) for lang in ("de", "en")}, targets)


def levers(base: Baseline) -> Levers:
    """Every scored parameter's lever for the city, per area (methodology order), biggest first."""
    groups = peer_groups(base.city, load_register())
    per_area: dict[str, list[Lever]] = {}
    for area, indicator, p in base.methodology.parameter_places():
        if p.context_only or indicator is None or indicator.context_only:
            continue
        per_area.setdefault(area.code, []).append(_lever(base, area.code, indicator.code, p, groups))
    ordered = [lv for area in per_area.values() for lv in sorted(area, key=lambda lv: -lv.potential)]
    return Levers(edition=base.edition.key, ags=base.ags, city=base.city.name, rank=base.rank, score=base.overall,
                  n_ranked=base.n_ranked,
                  groups=[{"key": g.key, "label_de": g.label_de, "label_en": g.label_en, "n": len(g.members)}
                          for g in groups],
                  levers=ordered)


def frame(result: Levers, lang: str = "de") -> pd.DataFrame:
    """One row per lever and target (for CSV/table output)."""
    rows = []
    for lv in result.levers:
        for t in lv.targets or [None]:
            rows.append({"area": lv.area, "parameter": lv.parameter, "name": lv.name(lang),
                         "current": lv.current_text[lang], "target": t.label(lang) if t else None,
                         "value": t.value_text[lang] if t else None, "points": t.points if t else None,
                         "places": t.places if t else None, "rank_after": t.rank_after if t else None})
    return pd.DataFrame(rows)
