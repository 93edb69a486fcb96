"""City pages: ``/staedte``, ``/staedte/{slug}`` (+ ``.json``, ``.csv``, chart SVG/PNG) and ``/suche``."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from cityindex.web import charts, data, intervals, planning, story
from cityindex.web.envelope import FILE_ERRORS, RESPONSES
from cityindex.web.deps import LangDep, api, page
from cityindex.web.i18n import translator
from cityindex.web.auth import PUBLIC

router = APIRouter(tags=["cities"], responses=RESPONSES, dependencies=[PUBLIC])


# Context -------------------------------------------------------------------------------

def city_context(name: str, *, lang: str, edition_key: str | None = None) -> dict[str, Any]:
    """Everything the city page and its JSON twin show."""
    city = data.city(name)
    records = story.city_records(city)
    history = story.history(city, records=records, lang=lang)
    selected = _selected_edition(history, edition_key)
    t = translator(lang)
    areas = story.areas_vs(city, selected, lang) if selected else []
    ctx = {
        "city": data.city_meta(city, lang),
        "history": history,
        "selected_edition": data.edition_meta(selected, lang) if selected else None,
        "current": story.current(history, selected.key) if selected else None,
        "areas": areas,
        "strengths": [], "weaknesses": [], "peers": {}, "narrative": None, "notes": [],
        "values": [], "values_binary": False,  # computed editions: value and source per parameter
        "sources": story.sources(city, records=records),
        "downloads": _downloads(city.slug),
        "editions": [data.edition_meta(v, lang) for v in data.editions()],
        "has_comparable": any(h["comparable_change"] is not None for h in history),
        "movers_url": f"/{selected.key}/bewegung" if selected and selected.kind == "computed" and selected.previous else None,
    }
    if selected:
        ctx.update(story.analysed(city, selected, lang))
    ctx.update(planning.city_tools(city, selected, lang))  # what-if, levers, peer learning, report
    ctx["rank_interval"] = intervals.city_part(city, selected, lang)
    series = selected.series if selected else None
    points = [{"edition": h["key"], "rank": h["rank"], "score": h["score"], "n_cities": h["n_cities"]}
              for h in history if h["series"] == series]  # one series: open pilot ranks are not Bitkom ranks
    ctx["areas_known"] = any(a["score"] is not None or a["rank"] is not None for a in areas)
    ctx["rounding_mode"] = selected.rounding[1] if selected else "half_up"
    for s in ctx["sources"]:
        s["source_text"] = t("computed_by") if s["source"] == "computed by cityindex" else (s["source"] or "")
    ctx["charts"] = {  # no chart without a number to draw: the page says so in one sentence
        "history": charts.history_spec(
            points, title=t("history"), rank_label=t("rank"), edition_label=t("edition"), score_label=t("score"))
        if any(p["rank"] is not None or p["score"] is not None for p in points) else None,
        "areas": charts.areas_spec(
            areas, title=t("areas_vs"),
            labels={"score": city.name, "median": t("median"), "best": t("best")})
        if any(a["score"] is not None for a in areas) else None,
    }
    return ctx


def _selected_edition(history: list[dict], key: str | None):
    """``?edition=``, else the latest published edition with a rank for the city, else the latest."""
    if key:
        return data.edition(key)
    published = [h for h in history if h["kind"] == "published" and h["rank"] is not None]
    chosen = (published or [h for h in history if h["rank"] is not None] or history or [None])[-1]
    return data.edition(chosen["key"]) if chosen else None


def _downloads(slug: str) -> dict[str, str]:
    base = f"/staedte/{slug}"
    return {"csv": f"{base}.csv", "json": f"{base}.json",
            "history_svg": f"{base}/verlauf.svg", "history_png": f"{base}/verlauf.png",
            "areas_svg": f"{base}/bereiche.svg", "areas_png": f"{base}/bereiche.png"}


def cities_context(*, lang: str) -> dict[str, Any]:
    """The list of all cities of the register."""
    cities = sorted(data.register(), key=lambda c: c.name)
    return {"cities": [data.city_meta(c, lang) for c in cities]}


def search_context(q: str, *, lang: str) -> dict[str, Any]:
    """Cities matching a (possibly misspelt) query."""
    hits = data.search(q)
    return {"query": q, "results": [data.city_meta(c, lang) for c in hits]}


# HTML and JSON ---------------------------------------------------------------------------

@router.get("/staedte.json", summary="All cities of the register")
def cities_json(request: Request, lang: LangDep):
    return api(request, cities_context(lang=lang))


@router.get("/staedte", include_in_schema=False)
def cities_page(request: Request, lang: LangDep):
    return page(request, "cities.html", cities_context(lang=lang), lang=lang)


@router.get("/suche.json", summary="Typo-tolerant city search")
def search_json(request: Request, lang: LangDep, q: str = ""):
    return api(request, search_context(q, lang=lang), cache=False)


@router.get("/suche", include_in_schema=False)
def search_page(request: Request, lang: LangDep, q: str = ""):
    ctx = search_context(q, lang=lang)
    exact = data.register().find(q) if q.strip() else None
    if exact is not None or len(ctx["results"]) == 1:
        slug = exact.slug if exact else ctx["results"][0]["slug"]
        return RedirectResponse(f"/staedte/{slug}", status_code=303)
    return page(request, "search.html", ctx, lang=lang, cache=False)


@router.get("/staedte/{name}.json", summary="A city's profile: history, areas, peers, narrative, sources")
def city_json(request: Request, name: str, lang: LangDep, edition: str | None = None):
    return api(request, city_context(name, lang=lang, edition_key=edition))


@router.get("/staedte/{name}.csv", summary="A city's published and computed numbers as CSV",
            responses={200: {"content": {"text/csv": {}}, "description": "CSV file"}, **FILE_ERRORS})
def city_csv(name: str):
    from cityindex.web.routes.downloads import spreadsheet_bytes  # neutralises formula-like text

    city = data.city(name)
    return Response(spreadsheet_bytes(story.long_rows(city), "csv"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{city.slug}.csv"'})


@router.get("/staedte/{name}/{chart}.{fmt}", summary="A city chart (verlauf, bereiche) as SVG or PNG",
            responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}, "description": "Chart"},
                       **FILE_ERRORS})
def city_chart(name: str, chart: str, fmt: str, lang: LangDep, edition: str | None = None):
    kinds = {"verlauf": "history", "bereiche": "areas"}
    if chart not in kinds or fmt not in ("svg", "png"):
        from fastapi import HTTPException

        raise HTTPException(404)
    spec = city_context(name, lang=lang, edition_key=edition)["charts"][kinds[chart]]
    if spec is None:
        from fastapi import HTTPException

        raise HTTPException(404, "This city has no values to draw in that chart for this edition.")
    if fmt == "svg":
        return Response(charts.to_svg(spec), media_type="image/svg+xml")
    return Response(charts.to_png(spec), media_type="image/png")


@router.get("/staedte/{name}", include_in_schema=False)
def city_page(request: Request, name: str, lang: LangDep, edition: str | None = None):
    ctx = city_context(name, lang=lang, edition_key=edition)
    slug = ctx["city"]["slug"]
    if name != slug:  # canonical URL: /staedte/muenchen, not /staedte/München
        query = f"?edition={edition}" if edition else ""
        return RedirectResponse(f"/staedte/{slug}{query}", status_code=301)
    return page(request, [f"city-{slug}.html", "city.html"], ctx, lang=lang)


