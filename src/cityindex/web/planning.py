"""What the city page's planning sections and the what-if page show (computed editions only).

Built from ``cityindex.analysis`` (baseline, what-if, levers, peer learning) and worded by
``cityindex.report.planning`` — the same sentences as the CLI and the city report. Levers and
peer learning are kept per edition view and city (a re-scored edition is a new view).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cityindex.analysis.learning import Lesson, peer_learning, sentence
from cityindex.analysis.levers import Levers, levers
from cityindex.analysis.scenario import BadValue, Baseline, UnknownParameter, baseline, display_value
from cityindex.analysis.whatif import what_if
from cityindex.cities import City
from cityindex.report.narrative import fmt_number
from cityindex.report.planning import headline, passed_sentence, places_text, rescaling_sentence, signed_points
from cityindex.rounding import rule_of
from cityindex.web import data
from cityindex.web.attribution import source_name_text
from cityindex.web.i18n import translator

RESERVED = frozenset({"edition", "lang"})
TOP_LEVERS = 5
PEERS_SHOWN = 4


def computed(view) -> bool:
    return view is not None and view.methodology is not None and view.datapoints is not None


@lru_cache(maxsize=128)
def _analysed(view, ags: str) -> tuple[Baseline, Levers, list[Lesson]]:
    base = baseline(view, ags)
    return base, levers(base), peer_learning(base)


def _urls(city: City, view, lang: str) -> dict[str, str]:
    base = f"/staedte/{city.slug}"
    query = f"?edition={view.key}&lang={lang}"
    return {"whatif": f"{base}/was-waere-wenn", "report_html": f"{base}/bericht{query}",
            "report_pdf": f"{base}/bericht.pdf{query}", "report_json": f"{base}/bericht.json{query}"}


@lru_cache(maxsize=128)
def _current_values(view, ags: str) -> dict[str, object]:
    """The city's values by parameter in the page's baseline, once per edition view and city."""
    base = _analysed(view, ags)[0]
    return base.data[base.data["city"] == ags].set_index("parameter")["value"].to_dict()


def form_fields(view, ags: str, lang: str, given: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One field per scored parameter of the city's baseline in *view*: its kind, choices and the
    value to show (given, else current)."""
    base, given, current = _analysed(view, ags)[0], given or {}, _current_values(view, ags)
    t = translator(lang)
    fields = []
    for area, indicator, p in base.methodology.parameter_places():
        if p.context_only or indicator is None or indicator.context_only:
            continue
        now = str(current.get(p.code, "") or "")
        if p.kind == "binary":
            choices = [("yes", t("yes")), ("no", t("no"))]
            now = "yes" if base.value(p.code) > 0 else ("no" if now else "")
        elif p.kind == "points":
            choices = [(answer, answer) for answer in (p.answers or {})]
        else:
            choices = []
            now = now.removesuffix(".0")
            if lang == "de" and now.count(".") == 1 and now.replace(".", "").isdigit():
                now = now.replace(".", ",")  # German decimal comma; the form reads both
        fields.append({"code": p.code, "name": p.name_de if lang == "de" else p.name_en, "kind": p.kind,
                       "choices": choices, "current": now,
                       "current_text": display_value(p, base.value(p.code), lang), "value": given.get(p.code, now)})
    return fields


def _lever_rows(result: Levers, lang: str, rounding: tuple[int, str]) -> list[dict[str, Any]]:
    rows = []
    for lever in result.top(TOP_LEVERS):
        best = max(lever.targets, key=lambda t: t.points)
        rows.append({"parameter": lever.parameter, "name": lever.name(lang), "area": lever.area,
                     "current": lever.current_text[lang], "target": best.label(lang), "value": best.value_text[lang],
                     "points": signed_points(best.points, lang, rounding), "places": places_text(best.places, lang),
                     "rank_after": best.rank_after,
                     "targets": [{"kind": t.kind, "label": t.label(lang), "value": t.value_text[lang],
                                  "points": t.points, "places": t.places, "rank_after": t.rank_after}
                                 for t in lever.targets]})
    return rows


def _lessons(lessons: list[Lesson], lang: str) -> list[dict[str, Any]]:
    reg = data.register()
    return [{"parameter": ls.parameter, "name": ls.name(lang), "sentence": sentence(ls, lang, shown=PEERS_SHOWN),
             "peers": [{"name": p.name, "url": data.city_url(reg.get(p.ags)), "value": p.value_text[lang],
                        "groups": list(p.groups), "source_name": source_name_text(p.source_name, lang),
                        "source_url": p.source_url, "retrieved": p.retrieved} for p in ls.peers]} for ls in lessons]


def city_tools(city: City, view, lang: str) -> dict[str, Any]:
    """The city page's planning sections: what-if form, top levers, peer learning, report links."""
    if not computed(view):
        return {"tools": None}
    base, lever_result, lessons = _analysed(view, city.ags)
    return {"tools": {
        "edition": view.key, "urls": _urls(city, view, lang), "fields": form_fields(view, city.ags, lang),
        "levers": _lever_rows(lever_result, lang, view.rounding), "learning": _lessons(lessons, lang),
    }}


# The what-if page ---------------------------------------------------------------------------------


def _error_text(exc: Exception, base: Baseline, lang: str) -> str:
    t = translator(lang)
    if isinstance(exc, UnknownParameter):
        close = ", ".join(exc.close)
        return t("whatif_err_unknown", value=exc.parameter) + (f" {t('did_you_mean')} {close}" if close else "")
    p = base.methodology.parameters[exc.parameter]
    name = p.name_de if lang == "de" else p.name_en
    limit = "" if exc.limit is None else fmt_number(exc.limit, lang, digits=3).rstrip("0").rstrip(",.")
    return f"{name}: " + t(f"whatif_err_{exc.reason}", value=exc.value, limit=limit)


def whatif_context(city: City, view, lang: str, query: dict[str, str]) -> tuple[dict[str, Any], list[str], str]:
    """(context, localised errors, first error in English) of the what-if page for ``query``."""
    base, _, _ = _analysed(view, city.ags)
    given = {k: v.strip() for k, v in query.items() if k not in RESERVED and v.strip()}
    ctx: dict[str, Any] = {"city": data.city_meta(city, lang), "edition": data.edition_meta(view, lang),
                           "urls": _urls(city, view, lang), "fields": form_fields(view, city.ags, lang, given),
                           "answer": None, "rank": base.rank, "score": base.overall, "n_ranked": base.n_ranked}
    try:
        answer = what_if(base, given)
    except (BadValue, UnknownParameter) as exc:
        return ctx, [_error_text(exc, base, lang)], str(exc)
    ctx["answer"] = _answer(answer, lang)
    return ctx, [], ""


def _answer(w, lang: str) -> dict[str, Any]:
    rule = rule_of(w.result.methodology)
    return {
        "headline": headline(w, lang) if w.changes else None,
        "changes": [{"parameter": c.parameter, "name": c.name_de if lang == "de" else c.name_en,
                     "before": c.before_text[lang], "after": c.after_text[lang]} for c in w.changes],
        "scopes": [{"scope": s.scope, "name": s.name_de if lang == "de" else s.name_en,
                    "score_before": s.score_before, "score_after": s.score_after, "points": signed_points(s.points, lang, rule),
                    "rank_before": s.rank_before, "rank_after": s.rank_after, "places": places_text(s.places, lang)}
                   for s in w.scopes],
        "passed": passed_sentence(w, lang),
        "passed_cities": [{"ags": c.ags, "name": c.name, "rank_before": c.rank_before, "rank_after": c.rank_after}
                          for c in w.passed],
        "rescaled": [rescaling_sentence(r, lang) for r in w.rescaled],
        "data": w.to_dict(),
    }


def whatif_view(key: str | None, city: City):
    """The edition of a what-if request: ``?edition=``, else the newest computed edition."""
    if key:
        view = data.edition(key)
    else:
        views = [v for v in data.editions() if computed(v)]
        view = views[-1] if views else data.latest_edition()
    if not computed(view):
        from cityindex.analysis.scenario import NotComputed

        exc = NotComputed(f"Edition {view.key} is a published edition with ranks only; what-if needs a computed "
                          "edition such as open-2026.")
        exc.page_text = ("whatif_not_computed", view.key)  # type: ignore[attr-defined]
        raise exc
    return view
