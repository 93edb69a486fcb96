"""What-if: a city's scores and ranks with some of its values changed, re-scored with ``score()``.

Every other city keeps its data. When the change makes the city the new best or worst of a
parameter (or lets it give up that place), the scale of that indicator moves for everyone: the
rescaling is part of the re-score, and ``WhatIf.rescaled`` says where it happened and how many
other cities' scores it changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cityindex.analysis.scenario import Baseline, display_value
from cityindex.engine import Result

_CHANGED = 1e-9  # a score difference below this is float noise, not a change


@dataclass(frozen=True)
class ValueChange:
    parameter: str
    name_de: str
    name_en: str
    before: float | None
    after: float | None
    before_text: dict[str, str]  # {de: …, en: …}
    after_text: dict[str, str]


@dataclass(frozen=True)
class ScopeChange:
    """One scope (overall or an area) before and after."""

    scope: str
    name_de: str
    name_en: str
    score_before: float
    score_after: float
    rank_before: int | None
    rank_after: int | None

    @property
    def points(self) -> float:
        return self.score_after - self.score_before

    @property
    def places(self) -> int | None:
        if self.rank_before is None or self.rank_after is None:
            return None
        return self.rank_before - self.rank_after


@dataclass(frozen=True)
class CityRef:
    ags: str
    name: str
    rank_before: int | None
    rank_after: int | None


@dataclass(frozen=True)
class Rescaling:
    """An indicator whose scale moved: its best or worst value changed, or other cities' scores did."""

    indicator: str
    name_de: str
    name_en: str
    best_before: float | None
    best_after: float | None
    worst_before: float | None
    worst_after: float | None
    city_is_best: bool
    city_is_worst: bool
    others_changed: int

    @property
    def new_best(self) -> bool:
        return self.city_is_best and self.best_after != self.best_before

    @property
    def new_worst(self) -> bool:
        return self.city_is_worst and self.worst_after != self.worst_before


@dataclass(frozen=True, eq=False)
class WhatIf:
    """The answer to "what if the city had these values?"."""

    edition: str
    ags: str
    city: str
    n_ranked: int
    changes: list[ValueChange]
    scopes: list[ScopeChange]
    passed: list[CityRef]  # ahead before, not ahead any more
    passed_by: list[CityRef]  # not ahead before, ahead now
    rescaled: list[Rescaling]
    result: Result = field(repr=False)

    @property
    def overall(self) -> ScopeChange:
        return self.scopes[0]

    def to_dict(self) -> dict:
        def plain(obj) -> dict:
            out = dict(obj.__dict__)
            for name in ("points", "places", "new_best", "new_worst"):
                if hasattr(type(obj), name):
                    out[name] = getattr(obj, name)
            return out

        return {
            "edition": self.edition, "ags": self.ags, "city": self.city, "n_ranked": self.n_ranked,
            "changes": [plain(c) for c in self.changes], "scopes": [plain(s) for s in self.scopes],
            "passed": [plain(c) for c in self.passed], "passed_by": [plain(c) for c in self.passed_by],
            "rescaled": [plain(r) for r in self.rescaled],
        }


# Building the answer ----------------------------------------------------------------------------


def _rank(ranks: pd.DataFrame, ags: str, scope: str) -> int | None:
    value = ranks.at[ags, scope] if ags in ranks.index else pd.NA
    return None if pd.isna(value) else int(value)


def _scopes(base: Baseline, after: Result) -> list[ScopeChange]:
    names = {a.code: (a.name_de, a.name_en) for a in base.methodology.areas}
    before_scores, after_scores = base.result.scores, after.scores
    out = []
    for scope in base.result.scopes:
        de, en = ("Gesamt", "Overall") if scope == "overall" else names[scope]
        out.append(ScopeChange(scope, de, en, float(before_scores.at[base.ags, scope]),
                               float(after_scores.at[base.ags, scope]), _rank(base.result.ranks, base.ags, scope),
                               _rank(after.ranks, base.ags, scope)))
    return out


def _overtakes(base: Baseline, after: Result) -> tuple[list[CityRef], list[CityRef]]:
    """Cities the city passes (ahead before, not now) and cities that pass it."""
    before, now = base.result.ranks["overall"], after.ranks["overall"]
    mine_before, mine_now = before[base.ags], now[base.ags]
    ahead_before = (before < mine_before).fillna(False).to_numpy(dtype=bool)
    ahead_now = (now < mine_now).fillna(False).to_numpy(dtype=bool)
    names = {c.ags: c.name for c in _register()}

    def refs(mask: np.ndarray) -> list[CityRef]:
        cities = before.index[mask]
        refs = [CityRef(a, names.get(a, a), _rank(base.result.ranks, a, "overall"), _rank(after.ranks, a, "overall"))
                for a in cities]
        return sorted(refs, key=lambda r: (r.rank_before or 0, r.name))

    return refs(ahead_before & ~ahead_now), refs(~ahead_before & ahead_now)


def _register():
    from cityindex.cities import load_register

    return load_register()


def _basis(result: Result, indicator: str) -> pd.DataFrame:
    """The values an indicator normalises: its point sum, or each parameter's imputed value."""
    ind = result.methodology.indicators[indicator]
    if ind.combine == "sum":
        return result.stages["combined"][[indicator]]
    return result.stages["imputed"][[p.code for p in ind.scored_parameters]]


def _extremes(values: pd.DataFrame, higher_better: bool) -> tuple[float | None, float | None]:
    flat = values.to_numpy(dtype=float).ravel()
    flat = flat[~np.isnan(flat)]
    if not flat.size:
        return None, None
    best, worst = (flat.max(), flat.min()) if higher_better else (flat.min(), flat.max())
    return float(best), float(worst)


def _changed(before: np.ndarray, after: np.ndarray) -> int:
    """How many entries differ (more than float noise, or known on one side only)."""
    known = np.isnan(before) != np.isnan(after)
    return int(np.sum(known | (np.abs(np.nan_to_num(after - before)) > _CHANGED)))


def _rescaled(base: Baseline, after: Result, codes: list[str]) -> list[Rescaling]:
    m = base.methodology
    touched = dict.fromkeys(m.indicator_of_parameter[c] for c in codes if c in m.indicator_of_parameter)
    others = base.result.indicators.index != base.ags
    out = []
    for code in touched:
        if code not in base.result.indicators.columns:
            continue  # a context-only indicator is not scored
        ind = m.indicators[code]
        hb = ind.scored_parameters[0].higher_better
        b0, w0 = _extremes(_basis(base.result, code), hb)
        b1, w1 = _extremes(_basis(after, code), hb)
        moved = _changed(base.result.indicators[code].to_numpy()[others], after.indicators[code].to_numpy()[others])
        if moved == 0 and (b0, w0) == (b1, w1):
            continue
        mine = _basis(after, code).loc[base.ags].to_numpy(dtype=float)
        out.append(Rescaling(code, ind.name_de, ind.name_en, b0, b1, w0, w1,
                             bool(b1 is not None and np.any(mine == b1)), bool(w1 is not None and np.any(mine == w1)),
                             moved))
    return out


def _same(a: float, b: float) -> bool:
    return a == b or (np.isnan(a) and np.isnan(b))


def _texts(p, value: float) -> dict[str, str]:
    return {lang: display_value(p, value, lang) for lang in ("de", "en")}


def what_if(base: Baseline, changes: Mapping[str, object], *, option: str = "") -> WhatIf:
    """Re-score the edition with the city's values replaced by ``changes`` (parameter code → value
    as a user types it: ``yes``, ``3``, ``1,5`` …) and compare with the baseline. Errors name
    ``option`` (e.g. ``--set ``) and the parameter."""
    parsed = {code: v for code, v in base.parse_changes(changes, option=option).items()
              if not _same(v, base.value(code))}
    return compare(base, parsed, base.rescore(parsed))


def compare(base: Baseline, parsed: Mapping[str, float], after: Result) -> WhatIf:
    """The comparison of a re-scored Result with the baseline (``parsed``: screened values)."""
    m = base.methodology
    value_changes = []
    for code, value in parsed.items():
        p, before = m.parameters[code], base.value(code)
        value_changes.append(ValueChange(
            code, p.name_de, p.name_en, None if np.isnan(before) else before, None if np.isnan(value) else value,
            _texts(p, before), _texts(p, value)))
    passed, passed_by = _overtakes(base, after)
    return WhatIf(edition=base.edition.key, ags=base.ags, city=base.city.name, n_ranked=base.n_ranked,
                  changes=value_changes, scopes=_scopes(base, after), passed=passed, passed_by=passed_by,
                  rescaled=_rescaled(base, after, list(parsed)), result=after)
