"""Movers of an edition: ``/{edition}/bewegung`` (+ ``.json``) — the cities that rose and fell most,
with the values that moved them, ordered by the comparable change (``cityindex.series.movers``)."""

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request

from cityindex.report.narrative import value_change_text
from cityindex.web import data
from cityindex.web.auth import PUBLIC
from cityindex.web.envelope import RESPONSES
from cityindex.web.deps import LangDep, api, page

router = APIRouter(tags=["movers"], responses=RESPONSES, dependencies=[PUBLIC])
TOP = 10


def movers_context(edition_key: str, *, lang: str, scope: str = "overall") -> dict[str, Any]:
    """Risers and fallers of a computed edition against its previous edition (empty lists otherwise)."""
    view = data.edition(edition_key)
    ctx: dict[str, Any] = {"edition": data.edition_meta(view, lang), "scope": {"code": scope, "name": view.scope_name(scope, lang)},
                           "scopes": data.scope_list(view, lang), "available": False, "basis": None,
                           "up": [], "down": [], "lacking": [], "left_out": [],
                           "notes": data.edition_notes(view, lang)}
    previous = next((v for v in data.editions() if v.key == view.previous), None)
    if view.kind != "computed" or previous is None or previous.kind != "computed":
        return ctx
    result = _movers(view, previous, scope)
    name = "name_de" if lang == "de" else "name_en"
    ctx.update(available=True, basis=result.basis, previous=data.edition_meta(previous, lang),
               up=[_mover(m, lang) for m in result.up], down=[_mover(m, lang) for m in result.down],
               lacking=[getattr(view.methodology.parameters[c], name) for c in view.lacking],
               left_out=_left_out(view, previous, name))
    return ctx


@lru_cache(maxsize=64)
def _movers(view, previous, scope: str):
    """The movers of one scope, once per pair of edition views (views are replaced when an edition changes)."""
    from cityindex.series.movers import movers

    return movers(view, previous, scope=scope, n=TOP)


def _mover(m, lang: str) -> dict[str, Any]:
    city = data.register().get(m.ags)
    return {"ags": m.ags, "city": m.city, "url": data.city_url(city), "rank": m.rank, "previous_rank": m.previous_rank,
            "rank_change": m.change, "comparable_change": m.comparable_change,
            "changes": [{"parameter": c.parameter, "text": value_change_text(c, lang), "before": c.before, "after": c.after,
                         "register_change": c.catalogue[lang] if c.catalogue else None, "note": c.note}
                        for c in m.changes]}


@lru_cache(maxsize=64)
def _left_out(view, previous, name: str) -> list[str]:
    """Scored parameters of the edition not known in both years (left out of the comparable change)."""
    from cityindex.series.rescore import known_parameters, scored_codes

    common = known_parameters(view.datapoints) & known_parameters(previous.datapoints)
    return [getattr(view.methodology.parameters[c], name) for c in scored_codes(view.methodology) if c not in common]


@router.get("/{edition}/bewegung.json", summary="Risers and fallers of a computed edition (JSON)")
def movers_json(request: Request, edition: str, lang: LangDep, area: str = "overall"):
    return api(request, movers_context(edition, lang=lang, scope=area))


@router.get("/{edition}/bewegung", include_in_schema=False)
def movers_page(request: Request, edition: str, lang: LangDep, area: str = "overall"):
    return page(request, "movers.html", movers_context(edition, lang=lang, scope=area), lang=lang)
