"""The start page ``/`` (+ ``/index.json``): top of the latest ranking, area winners, map, search."""

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request

from cityindex.web import data
from cityindex.web.envelope import RESPONSES
from cityindex.web.deps import LangDep, api, page
from cityindex.web.routes.maps import map_context, map_svg_context
from cityindex.web.auth import PUBLIC

router = APIRouter(tags=["home"], responses=RESPONSES, dependencies=[PUBLIC])

TOP_N = 10


def home_context(*, lang: str, edition_key: str | None = None) -> dict[str, Any]:
    """The start page's content for one edition (default: the newest)."""
    view = data.edition(edition_key) if edition_key else data.latest_edition()
    top, tied_first, firsts = _tops(view)
    latest_published = data.latest_published()
    return {
        "edition": data.edition_meta(view, lang),
        "chosen": bool(edition_key),  # why this edition: chosen by the visitor, or the newest one
        "latest_published": data.edition_meta(latest_published, lang) if latest_published.kind == "published" else None,
        "tied_first": tied_first,
        "editions": [data.edition_meta(v, lang) for v in data.editions()],
        "top": [dict(entry) for entry in top],
        "winners": [{"code": scope, "name": view.scope_name(scope, lang), "winner": dict(first) if first else None,
                     "tied": tied, "url": f"/{view.key}/ranking/{scope}"} for scope, first, tied in firsts],
        "notes": data.edition_notes(view, lang),
        "map": map_context(lang=lang, edition_key=view.key),
    }


def _entry(rec: dict[str, Any], slugs) -> dict[str, Any]:
    slug = slugs.get(rec["ags"])
    return {"city": rec["city"], "url": f"/staedte/{slug}" if slug else None, "rank": data.clean(rec["rank"]),
            "score": data.clean(rec["score"]), "rank_change": data.clean(rec["rank_change"])}


@lru_cache(maxsize=64)
def _tops(view) -> tuple[tuple[dict, ...], int, tuple[tuple[str, dict | None, int], ...]]:
    """The top rows, how many share rank 1, and per area (code, first row, how many more share
    rank 1) — once per edition view."""
    slugs = data.tags()["slug"]
    ranked = view.ranking("overall")
    ranked = ranked[ranked["rank"].notna()]
    top = tuple(_entry(r, slugs) for r in ranked.head(TOP_N).to_dict(orient="records"))
    firsts = []
    for scope in (s for s in view.scopes if s != "overall"):
        rows = view.ranking(scope)
        first = rows[rows["rank"] == 1]
        firsts.append((scope, _entry(first.iloc[0].to_dict(), slugs) if len(first) else None, max(0, len(first) - 1)))
    return top, int((ranked["rank"] == 1).sum()), tuple(firsts)


@router.get("/index.json", summary="Start page: top of the ranking and area winners")
def home_json(request: Request, lang: LangDep, edition: str | None = None):
    return api(request, home_context(lang=lang, edition_key=edition))


@router.get("/", include_in_schema=False)
def home_page(request: Request, lang: LangDep, edition: str | None = None):
    ctx = home_context(lang=lang, edition_key=edition)
    ctx["map"] = map_svg_context(ctx["map"])
    return page(request, "home.html", ctx, lang=lang)
