"""``/vergleich?stadt=a&stadt=b`` (+ ``.json``): two to five cities side by side."""

from typing import Any

from fastapi import APIRouter, Query, Request

from cityindex.errors import CityIndexError
from cityindex.web import charts, data, story
from cityindex.web.envelope import RESPONSES
from cityindex.web.deps import LangDep, api, page
from cityindex.web.i18n import translator
from cityindex.web.auth import PUBLIC

router = APIRouter(tags=["compare"], responses=RESPONSES, dependencies=[PUBLIC])

MIN_CITIES, MAX_CITIES = 2, 5


class CompareError(CityIndexError):
    """Choose two to five different cities to compare."""


def compare_context(names: list[str], *, lang: str, edition_key: str | None = None) -> dict[str, Any]:
    """Overall history and the area scores of the chosen edition for each city."""
    names = [n for n in dict.fromkeys(n.strip() for n in names) if n]
    cities = list({c.ags: c for c in (data.city(n) for n in names)}.values())
    view = data.edition(edition_key) if edition_key else data.latest_published()
    ctx: dict[str, Any] = {
        "choices": [{"slug": c.slug, "name": c.name} for c in sorted(data.register(), key=lambda c: c.name)],
        "selected": [c.slug for c in cities], "edition": data.edition_meta(view, lang),
        "editions": [data.edition_meta(v, lang) for v in data.editions()],
        "cities": [], "edition_keys": [], "areas": [], "chart": None, "ready": False,
    }
    if not names:
        return ctx
    if not MIN_CITIES <= len(cities) <= MAX_CITIES:
        exc = CompareError(f"Choose {MIN_CITIES} to {MAX_CITIES} different cities; got {len(cities)}.")
        exc.page_text = ("compare_count", str(len(cities)))  # type: ignore[attr-defined]
        raise exc
    entries = []
    for city in cities:
        hist = story.history(city, lang=lang)
        entries.append({**data.city_meta(city, lang), "history": {h["key"]: h for h in hist},
                        "areas": {a["code"]: a for a in story.areas_vs(city, view, lang)}})
    keys = [v.key for v in data.editions() if any(v.key in e["history"] for e in entries)]
    t = translator(lang)
    # the chart follows one series (the chosen edition's): open pilot ranks are not Bitkom ranks;
    # an edition without a rank is a null point, so the line breaks there instead of bridging it
    series_keys = [v.key for v in data.editions() if v.series == view.series and v.key in keys]
    points = [{"city": e["name"], "edition": k, "rank": (e["history"].get(k) or {}).get("rank")}
              for e in entries for k in series_keys]
    known = any(p["rank"] is not None for p in points)
    ctx.update(cities=entries, edition_keys=keys, ready=True,
               areas=[{"code": s["code"], "name": s["name"]} for s in data.scope_list(view, lang) if s["code"] != "overall"],
               chart=charts.compare_spec(points, title=t("history"), rank_label=t("rank"), edition_label=t("edition"),
                                         editions=series_keys) if known else None)
    return ctx


@router.get("/vergleich.json", summary="Compare two to five cities")
def compare_json(request: Request, lang: LangDep, stadt: list[str] = Query(default=[]), edition: str | None = None):
    return api(request, compare_context(stadt, lang=lang, edition_key=edition))


@router.get("/vergleich", include_in_schema=False)
def compare_page(request: Request, lang: LangDep, stadt: list[str] = Query(default=[]), edition: str | None = None):
    return page(request, "compare.html", compare_context(stadt, lang=lang, edition_key=edition), lang=lang)
