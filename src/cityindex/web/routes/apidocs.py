"""``/api/docs``: the JSON API described from the OpenAPI document, rendered without any CDN."""

from fastapi import APIRouter, Request

from cityindex.web.deps import LangDep, page
from cityindex.web.auth import PUBLIC

router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])


def api_docs_context(openapi: dict) -> dict:
    """One entry per documented path: method, path, summary, parameters."""
    endpoints = []
    for path, methods in openapi.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False)}
                      for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "tags": op.get("tags", []), "parameters": params})
    return {"title": openapi["info"]["title"], "version": openapi["info"]["version"],
            "description": openapi["info"].get("description", ""), "endpoints": endpoints,
            "openapi_url": "/api/openapi.json"}


@router.get("/api/docs")
def api_docs(request: Request, lang: LangDep):
    ctx = api_docs_context(request.app.openapi())
    return page(request, "api.html", ctx, lang=lang)
