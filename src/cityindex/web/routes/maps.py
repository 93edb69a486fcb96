"""The map of Germany: ``/karte`` (+ ``.json``). Server-rendered SVG; links make every marker clickable."""

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from markupsafe import Markup, escape

from cityindex.errors import CityIndexError
from cityindex.web import data, geo
from cityindex.web.envelope import RESPONSES
from cityindex.web.deps import LangDep, api, page
from cityindex.web.i18n import translator
from cityindex.web.auth import PUBLIC

router = APIRouter(tags=["map"], responses=RESPONSES, dependencies=[PUBLIC])

COLOURINGS = ("score", "rank_change", "comparable_change")


def map_context(*, lang: str, edition_key: str | None = None, colour: str | None = None) -> dict[str, Any]:
    """States as SVG paths and one marker per register city, coloured by score or rank change."""
    view = data.edition(edition_key) if edition_key else data.latest_edition()
    if colour not in (None, "", *COLOURINGS):
        exc = CityIndexError(f"Unknown colouring {colour!r}; use one of {', '.join(COLOURINGS)}.")
        exc.page_text = ("bad_colouring", colour)  # type: ignore[attr-defined]
        raise exc
    colour = colour or "score"
    return {
        "edition": data.edition_meta(view, lang),
        "editions": [data.edition_meta(v, lang) for v in data.editions()],
        "colour": colour,
        "has_comparable": "comparable_change" in view.rows,
        "markers": list(_markers(view, colour)),
        "svg": {"width": geo.WIDTH, "height": geo.HEIGHT},
        "attribution": geo.ATTRIBUTION,
        "legend": geo.legend(colour, translator(lang)("unknown")),
    }


@lru_cache(maxsize=64)
def _markers(view, colour: str) -> tuple[dict[str, Any], ...]:
    """One marker per register city (small cities drawn on top), once per edition view and colouring."""
    markers = []
    for city in sorted(data.register(), key=lambda c: -c.population):
        row = view.get(city.ags) or {}
        score, change = data.clean(row.get("score")), data.clean(row.get("rank_change"))
        comparable = data.clean(row.get("comparable_change"))
        x, y = geo.project(city.lon, city.lat)
        markers.append({
            "name": city.name, "slug": city.slug, "url": data.city_url(city), "ags": city.ags,
            "lat": city.lat, "lon": city.lon, "x": x, "y": y,
            "rank": data.clean(row.get("rank")), "score": score, "rank_change": change,
            "comparable_change": comparable,
            "fill": geo.score_colour(score) if colour == "score" else geo.change_colour(
                comparable if colour == "comparable_change" else change),
        })
    return tuple(markers)


def map_svg_context(ctx: dict[str, Any]) -> dict[str, Any]:
    """Add the state borders (HTML only: the JSON twin carries markers, not geometry)."""
    return {**ctx, "states": _states_svg()}


@lru_cache(maxsize=1)
def _states_svg() -> Markup:
    """The state borders as one SVG group, escaped and joined once per process."""
    paths = "".join(f'<path d="{escape(d)}"><title>{escape(name)}</title></path>' for name, d in geo.state_paths())
    return Markup(f'<g class="states">{paths}</g>')


@router.get("/karte.json", summary="Map markers of an edition")
def map_json(request: Request, lang: LangDep, edition: str | None = None,
             colour: Annotated[str | None, Query(json_schema_extra={"enum": list(COLOURINGS)})] = None):
    return api(request, map_context(lang=lang, edition_key=edition, colour=colour))


@router.get("/karte", include_in_schema=False)
def map_page(request: Request, lang: LangDep, edition: str | None = None, colour: str | None = None):
    ctx = map_context(lang=lang, edition_key=edition, colour=colour)
    return page(request, "map.html", map_svg_context(ctx), lang=lang)
