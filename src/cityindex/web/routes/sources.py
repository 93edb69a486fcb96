"""``/quellen`` (+ ``.json``): every data source with its licence and the attribution it requires."""

from typing import Any

from fastapi import APIRouter, Request

from cityindex.web.attribution import sources
from cityindex.web.auth import PUBLIC
from cityindex.web.deps import LangDep, api, page
from cityindex.web.envelope import RESPONSES

router = APIRouter(tags=["sources"], responses=RESPONSES, dependencies=[PUBLIC])


def sources_context(*, lang: str) -> dict[str, Any]:
    """The sources in the page language."""
    return {"sources": sources(lang)}


@router.get("/quellen.json", summary="Data sources, licences and attribution")
def sources_json(request: Request, lang: LangDep):
    return api(request, sources_context(lang=lang))


@router.get("/quellen", include_in_schema=False)
def sources_page(request: Request, lang: LangDep):
    return page(request, "sources.html", sources_context(lang=lang), lang=lang)
