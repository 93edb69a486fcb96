"""The website and JSON API: ``create_app()`` builds the ASGI application.

Layers, outside in: security headers → HEAD as GET → gzip → page cache → FastAPI (routes per resource in
``web/routes``). Every error becomes the JSON envelope (``*.json``, ``/api/…``) or a
helpful HTML page with suggestions; user errors are 4xx, and nothing ever shows a trace.
"""

import logging
import threading
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from cityindex import __version__
from cityindex.errors import CityIndexError, UnknownCity, UnknownEdition, UnknownScope
from cityindex.web import data
from cityindex.web.deps import STATIC_DIR, api_error, get_lang, page, wants_json
from cityindex.web.compression import Gzip
from cityindex.web.middleware import HeadAsGet, PageCache, SecurityHeaders
from cityindex.web.routes import apidocs, assets, cities, compare, downloads, home, maps, methodology, rankings, sources

log = logging.getLogger("cityindex.web")

NOT_FOUND_ERRORS = (UnknownCity, UnknownEdition, UnknownScope)
WARM_DELAY = 3.0  # seconds after start-up before the Vega bundle (≈1.5 s of CPU) is assembled


def create_app(*, cache_ttl: float = 60.0, warm: bool = True):
    """The ASGI app: FastAPI wrapped in the page cache and the security headers."""
    api = FastAPI(
        title="cityindex",
        version=__version__,
        description="Smart City Index: rankings, city profiles and open data. Every response "
        "uses one envelope: `ok`, `status`, `data` (or `error`, `errors`, `suggestions`).",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    for module in (assets, apidocs, home, cities, compare, maps, methodology, downloads, sources, rankings):
        api.include_router(module.router)
    # Mounted after the routes so the generated vendor bundle wins; StaticFiles never lists folders.
    api.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_handlers(api)
    if warm:  # build the chart bundle soon, but not while the first requests are being answered
        timer = threading.Timer(WARM_DELAY, assets.vega_bundle)
        timer.daemon = True
        timer.start()
    cache = PageCache(api, ttl=cache_ttl)
    app = SecurityHeaders(HeadAsGet(Gzip(cache)))
    app.fastapi = api  # type: ignore[attr-defined]
    app.cache = cache  # type: ignore[attr-defined]
    return app


def _install_error_handlers(api: FastAPI) -> None:
    api.add_exception_handler(CityIndexError, _library_error)
    api.add_exception_handler(StarletteHTTPException, _http_error)
    api.add_exception_handler(RequestValidationError, _validation_error)
    api.add_exception_handler(Exception, _server_error)


async def _library_error(request: Request, exc: CityIndexError):
    status = 404 if isinstance(exc, NOT_FOUND_ERRORS) else 400
    return _error(request, status, str(exc), suggestions=getattr(exc, "suggestions", None),
                  page_text=getattr(exc, "page_text", None))


async def _http_error(request: Request, exc: StarletteHTTPException):
    # A route's own message (HTTPException(404, "…")) is kept; Starlette's bare phrase is not.
    own = isinstance(exc.detail, str) and exc.detail != HTTPStatus(exc.status_code).phrase
    suggestions = _path_suggestions(request.url.path) if exc.status_code == 404 else None
    return _error(request, exc.status_code, exc.detail if own else _default_message(exc.status_code, request),
                  suggestions=suggestions, own_message=own)


async def _validation_error(request: Request, exc: RequestValidationError):
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
    return _error(request, 400, "The request has invalid parameters.", errors=problems)


async def _server_error(request: Request, exc: Exception):
    log.exception("Unhandled error on %s", request.url.path)
    return _error(request, 500, "An internal error occurred.")


def _error(request: Request, status: int, message: str, *, errors=None, suggestions=None, page_text=None,
           own_message: bool = False):
    """JSON envelope for API clients, else the HTML error page (its text in the page language)."""
    if wants_json(request):
        return api_error(status, message, errors=errors, suggestions=suggestions)
    ctx = {"status": status, "error": message, "errors": errors or [], "suggestions": suggestions or [],
           "page_text": list(page_text) if page_text else None, "own_message": own_message}
    try:
        return page(request, "error.html", ctx, lang=get_lang(request), status=status, cache=False)
    except Exception:  # the error page itself must never fail into a trace
        log.exception("Error page failed")
        return api_error(status, message)


def _default_message(status: int, request: Request) -> str:
    if status == 404:
        return f"No page at {request.url.path}."
    if status == 405:
        return "This method is not allowed here."
    return "The request could not be served."


def _path_suggestions(path: str) -> list[dict[str, str]]:
    """For an unknown URL, guess the city or edition the visitor meant from its last part."""
    last = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
    out = data.suggest_cities(last, n=3) if last else []
    latest = data.latest_edition()
    out.append({"label": f"Ranking {latest.key}", "url": f"/{latest.key}/ranking"})
    return out


def app_from_env():
    """Factory for ``uvicorn --factory`` (used by ``cityindex serve`` and the benchmark)."""
    import os

    ttl = float(os.environ.get("CITYINDEX_WEB_CACHE_TTL", "60"))
    data.SHOW_OPEN_PILOT = os.environ.get("CITYINDEX_WEB_OPEN_PILOT", "1") != "0"
    return create_app(cache_ttl=ttl)
