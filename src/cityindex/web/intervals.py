"""Rank intervals and the statistical audit on the website: computed once per edition result, kept
in this process.

A computed edition's ``run_uncertainty`` runs on first use (``warm()`` starts it in the
background when the app starts) with the methodology's seed and runs, at most ``WEB_RUNS``; the
result is kept per edition key, methodology hash and data fingerprint, so a rescored edition is
computed again and every page view after the first costs a dictionary lookup. Published Bitkom
editions have no data points: their pages say that no interval can be computed.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from typing import Any

from cityindex.rounding import round_value
from cityindex.web import data

WEB_RUNS = 10_000
_results: dict[tuple[str, str], tuple[str, Any]] = {}  # (kind, edition) → (signature, result)
_signatures: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # edition view → signature
_lock = threading.Lock()


class Unavailable:
    """Why an edition has no rank interval (published edition, or the analysis cannot run)."""

    def __init__(self, reason: str, message: str = ""):
        self.reason, self.message = reason, message


def for_edition(view):
    """The edition's UncertaintyResult, or an ``Unavailable`` saying why there is none."""
    return _cached("uncertainty", view, _compute)


def audit_for(view):
    """The edition's AuditReport (scored once from its data points), or ``Unavailable``."""
    from cityindex.analysis.stats_audit import stats_audit
    from cityindex.engine import score

    return _cached("audit", view, lambda v: stats_audit(score(v.methodology, _points(v))))


def _cached(kind: str, view, compute):
    """``compute(view)`` once per edition result: kept until the edition's data or methodology change."""
    if view.kind != "computed" or view.methodology is None or view.datapoints is None:
        return Unavailable("published")
    with _lock:
        signature = _signatures.get(view)
        if signature is None:
            signature = _signatures[view] = _signature(view)
        known = _results.get((kind, view.key))
        if known is None or known[0] != signature:
            known = _results[(kind, view.key)] = (signature, compute(view))
        return known[1]


def _points(view):
    return view.datapoints[["city", "parameter", "value"]]


def _signature(view) -> str:
    """The methodology hash and a fingerprint of the data points."""
    frame = _points(view).astype(str).sort_values(["city", "parameter"])
    return view.methodology.hash + hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def _compute(view):
    from cityindex.analysis.uncertainty import UncertaintyError, run_uncertainty
    from cityindex.methodology.uncertainty import section_of

    runs = min(section_of(view.methodology).runs, WEB_RUNS)
    try:
        return run_uncertainty(view.methodology, _points(view), runs=runs)
    except UncertaintyError as exc:
        return Unavailable("failed", str(exc))


def warm() -> None:
    """Compute the intervals of every computed edition (run in a background thread at start-up)."""
    for view in data.editions():
        if view.kind == "computed":
            for_edition(view)


# What the pages show ---------------------------------------------------------------------------


def _meta(result, lang: str) -> dict[str, Any]:
    return {"available": True, "runs": result.runs, "seed": result.seed, "mean_shift": round_value(result.mean_shift, 6),
            "assumptions": assumption_texts(result.assumptions, lang), "varied": short_texts(result.assumptions, lang)}


def _unavailable(found: Unavailable) -> dict[str, Any]:
    return {"available": False, "reason": found.reason, "message": found.message}


def ranking_part(view, scope: str, rows: list[dict], lang: str) -> dict[str, Any]:
    """Adds ``interval`` (low, median, high, group) to each ranking row; returns the page's
    ``uncertainty`` block: runs, what varied, the "gleichauf" groups and the whisker chart."""
    from cityindex.web.charts import whisker_spec
    from cityindex.web.i18n import translator

    found = for_edition(view)
    if isinstance(found, Unavailable):
        for row in rows:
            row["interval"] = None
        return _unavailable(found)
    table = _scope_intervals(found, scope)
    for row in rows:
        hit = table.get(row["ags"])
        row["interval"] = None if hit is None else dict(hit)
    t = translator(lang)
    points = [{"city": r["city"], "rank": r["rank"], **r["interval"]} for r in rows
              if r.get("interval") and r["interval"]["low"] is not None]
    return {**_meta(found, lang), "groups": _group_list(rows),
            "chart": whisker_spec(points, rank_label=t("rank"), city_label=t("city"),
                                  interval_label=t("interval_90"), median_label=t("median"))}


_by_scope: dict[tuple[int, str], tuple[Any, dict[str, dict]]] = {}  # (id of a result, scope) → (result, intervals)


def _scope_intervals(found, scope: str) -> dict[str, dict[str, Any]]:
    """Each city's interval (low, median, high, group) in *scope*, by AGS; once per result and scope."""
    key = (id(found), scope)
    with _lock:
        known = _by_scope.get(key)
    if known is not None and known[0] is found:
        return known[1]
    summary = found.summary[found.summary["scope"] == scope]
    groups = dict(found.groups.loc[found.groups["scope"] == scope, ["city", "group"]].itertuples(index=False))
    table = {r.city: {"low": data.clean(r.low), "median": data.clean(r.median), "high": data.clean(r.high),
                      "group": data.clean(groups.get(r.city))} for r in summary.itertuples()}
    with _lock:
        if len(_by_scope) >= 256:  # results are replaced when an edition changes; forget the old ones
            _by_scope.clear()
        _by_scope[key] = (found, table)
    return table


def _group_list(rows: list[dict]) -> list[dict[str, Any]]:
    groups: dict[int, list[dict]] = {}
    for row in rows:
        group = (row.get("interval") or {}).get("group")
        if group is not None:
            groups.setdefault(group, []).append(row)
    return [{"group": g, "ranks": [min(r["rank"] for r in members), max(r["rank"] for r in members)],
             "cities": [{"name": r["city"], "url": r["url"]} for r in sorted(members, key=lambda r: r["rank"])]}
            for g, members in sorted(groups.items())]


def city_part(city, view, lang: str) -> dict[str, Any] | None:
    """The city's interval in the selected edition (overall), with its "gleichauf" cities."""
    if view is None:
        return None
    found = for_edition(view)
    if isinstance(found, Unavailable):
        return _unavailable(found)
    row = found.interval(city.ags)
    if row is None or row["low"] is None:
        return None
    register = data.register()
    tied = [register.get(ags) for ags in found.group_of(city.ags) if ags != city.ags]
    return {**_meta(found, lang), "rank": row["rank"], "median": row["median"], "low": row["low"],
            "high": row["high"], "p_top10": row["p_top10"], "mean_shift": row["mean_shift"],
            "tied": [{"name": c.name, "url": data.city_url(c)} for c in tied if c is not None]}


def methodology_part(key: str, lang: str) -> dict[str, Any] | None:
    """What varied for the computed edition ``key`` and which choice moved ranks most (PAWN)."""
    view = next((v for v in data.editions() if v.key == key and v.kind == "computed"), None)
    if view is None:
        return None
    found = for_edition(view)
    if isinstance(found, Unavailable):
        return _unavailable(found)
    from cityindex.web.i18n import translator

    dummy = translator(lang)("dummy_input")
    m, attribute = view.methodology, "name_de" if lang == "de" else "name_en"
    names = {item.code: getattr(item, attribute) for item in (*m.areas, *m.indicators.values())}
    pawn = found.pawn.sort_values("pawn", ascending=False)
    return {**_meta(found, lang), "edition": key,
            "sensitivity": [{"assumption": address_text(r.assumption, lang) if r.assumption else dummy,
                             "input": "" if r.input == r.assumption or not r.assumption else names.get(r.input, r.input),
                             "pawn": round_value(float(r.pawn), 6)} for r in pawn.itertuples()]}


# Plain-language assumptions ---------------------------------------------------------------------

ADDRESSES = {
    "de": {"weights.areas": "Gewichte der Bereiche", "weights.indicators": "Gewichte der Indikatoren",
           "rules.normalisation": "Normierung der Indikatoren", "rules.aggregation.areas": "Zusammenfassung im Bereich",
           "rules.aggregation.overall": "Zusammenfassung zum Gesamtwert", "rules.missing": "Regel für fehlende Werte",
           "bonus": "Innovationsbonus"},
    "en": {"weights.areas": "Area weights", "weights.indicators": "Indicator weights",
           "rules.normalisation": "Normalisation of indicators", "rules.aggregation.areas": "Aggregation within areas",
           "rules.aggregation.overall": "Aggregation into the overall score", "rules.missing": "Missing-data rule",
           "bonus": "Innovation bonus"},
}
METHODS = {
    "de": {"arithmetic": "arithmetisches Mittel", "geometric": "geometrisches Mittel", "harmonic": "harmonisches Mittel",
           "best_worst": "Bester = 100, Schlechtester = 0", "percentile_rank": "Rangplatz (Perzentil)",
           "share_of_best": "Anteil am Besten", "share_of_maximum": "Anteil an der Höchstpunktzahl", "zscore": "Standardwert", "goalposts": "feste Grenzen", "raw": "Rohwert",
           "zero": "fehlend = 0", "skip_and_reweight": "fehlend wird ausgelassen", "impute_median": "Median einsetzen",
           True: "an", False: "aus"},
    "en": {"arithmetic": "arithmetic mean", "geometric": "geometric mean", "harmonic": "harmonic mean",
           "best_worst": "best = 100, worst = 0", "percentile_rank": "rank (percentile)", "share_of_best": "share of the best",
           "share_of_maximum": "share of the points possible",
           "zscore": "standard score", "goalposts": "fixed bounds", "raw": "raw value", "zero": "missing = 0",
           "skip_and_reweight": "missing is left out", "impute_median": "median filled in", True: "on", False: "off"},
}


SHORT = {
    "de": {"weights": "Gewichte", "rules.normalisation": "Normierung", "rules.aggregation": "Zusammenfassung",
           "rules.missing": "Regel für fehlende Werte", "bonus": "Bonus"},
    "en": {"weights": "weights", "rules.normalisation": "normalisation", "rules.aggregation": "aggregation",
           "rules.missing": "missing-data rule", "bonus": "bonus"},
}


def short_texts(assumptions, lang: str) -> str:
    """What varies in a few words: "Gewichte, Zusammenfassung, Normierung"."""
    kinds = [next(v for k, v in SHORT[lang].items() if a.address.startswith(k)) for a in assumptions]
    return ", ".join(dict.fromkeys(kinds))


def address_text(address: str, lang: str) -> str:
    return ADDRESSES[lang].get(address, address)


def assumption_texts(assumptions, lang: str) -> list[dict[str, str]]:
    """Each assumption as {address, what, how} in plain words."""
    out = []
    for a in assumptions:
        if a.share is not None:
            how = f"± {a.share * 100:g} %".replace(".", "," if lang == "de" else ".")
        else:
            how = " / ".join(_choice_text(x, lang) for x in a.alternatives or ())
        out.append({"address": a.address, "what": address_text(a.address, lang), "how": how})
    return out


def _choice_text(choice, lang: str) -> str:
    if isinstance(choice, bool):
        return METHODS[lang][choice]
    text = METHODS[lang].get(choice.method, choice.method)
    offset = choice.options.get("offset")
    return f"{text} (offset {offset:g})" if offset else text
