"""The website and JSON API: ``create_app()`` builds the ASGI application.

Layers, outside in: security headers (and trusted hosts) → HEAD as GET → account layer (private
pages go straight to FastAPI) → gzip → page cache → FastAPI (routes per resource in ``web/routes``).
Only public pages are compressed: private pages carry CSRF tokens and echo what a visitor typed,
which compression would expose to length-based attacks (BREACH). Every error becomes the JSON
envelope (``*.json``, ``/api/…``) or a helpful HTML page with suggestions; user errors are 4xx.
Faults of the store or the server are 503 / 500 with a generic text and an incident id; their
details go to the server log under that id and never to the visitor.
"""

import logging
import threading
import uuid
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from cityindex import __version__
from cityindex.errors import CityIndexError, UnknownCity, UnknownEdition, UnknownScope, mask_secrets
from cityindex.io.output import OutputError
from cityindex.settings import Settings, SettingsError, get_settings
from cityindex.store.faults import StoreError
from cityindex.review.errors import NoCampaign, UnknownItem
from cityindex.web import data
from cityindex.web.deps import STATIC_DIR, api_error, get_lang, page, wants_json
from cityindex.web.auth import AccountLayer, install_accounts
from cityindex.web import intervals
from cityindex.web.cache import PageCache
from cityindex.web.compression import Gzip
from cityindex.web.middleware import HeadAsGet, SecurityHeaders
from cityindex.web.routes import (apidocs, assets, audit, cities, compare, downloads, home, maps, methodology, movers,
                                  planning, rankings, sources)

log = logging.getLogger("cityindex.web")

NOT_FOUND_ERRORS = (UnknownCity, UnknownEdition, UnknownScope, NoCampaign, UnknownItem)
KNOWN_PATHS = 4096  # paths whose route lookup is remembered (junk paths cycle through, bounded)
#: Library errors that are faults of the server (store, settings, writing a download), never the visitor's.
SERVER_FAULTS = (StoreError, SettingsError, OutputError)
WARM_DELAY = 3.0  # seconds after start-up before rank intervals and the Vega bundle (≈1.5 s of CPU) are built


def create_app(*, cache_ttl: float | None = None, warm: bool = True, settings: Settings | None = None, store=None):
    """The ASGI app: FastAPI wrapped in the page cache, gzip and the security headers.

    ``settings`` (default: ``get_settings()``) give the cache limits, HSTS and the trusted hosts;
    ``cache_ttl`` overrides ``web_cache_ttl`` (the tests' in-process client runs with 0). With the
    ``accounts`` setting on, the sign-in, team and review pages are added and the account layer
    (web/auth.py) sits in front of the page cache; *store* overrides the configured store for
    accounts (tests).
    """
    settings = settings or get_settings()
    api = FastAPI(
        title="cityindex",
        version=__version__,
        description="Smart City Index: rankings, city profiles and open data. Every response "
        "uses one envelope: `ok`, `status`, `data` (or `error`, `errors`, `suggestions`).",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    for module in (assets, apidocs, home, planning, cities, compare, maps, methodology, downloads, sources, movers,
                   rankings, audit):
        api.include_router(module.router)
    accounts = install_accounts(api, settings, store) if settings.accounts else None
    # Mounted after the routes so the generated vendor bundle wins; StaticFiles never lists folders.
    api.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_handlers(api)
    if warm:  # build intervals and the chart bundle soon, but not while the first requests are answered
        timer = threading.Timer(WARM_DELAY, _warm)
        timer.daemon = True
        timer.start()
    cache = PageCache(api, ttl=settings.web_cache_ttl if cache_ttl is None else cache_ttl,
                      max_entries=settings.web_cache_max_entries, max_bytes=int(settings.web_cache_max_mb * 2 ** 20),
                      known_params=known_params(api))
    public = Gzip(cache)
    app = SecurityHeaders(HeadAsGet(AccountLayer(public, api, accounts) if accounts else public),
                          hsts_max_age=settings.web_hsts_max_age, trusted_hosts=settings.trusted_hosts)
    app.fastapi = api  # type: ignore[attr-defined]
    app.cache = cache  # type: ignore[attr-defined]
    return app


def _warm() -> None:
    """Background warm-up: rank intervals of computed editions, then the Vega bundle. A store that
    cannot be read now is no reason to skip the bundle (its pages answer 503 on their own)."""
    try:
        intervals.warm()
    except Exception:  # noqa: BLE001 - logged; every page computes what it needs on its own
        log.warning("warming the rank intervals failed", exc_info=True)
    assets.vega_bundle()


def known_params(api: FastAPI):
    """``path → names of the query parameters its GET route reads`` (None: not a route of ours, or a
    route marked ``open_query`` that reads parameters it cannot declare, such as the what-if page's
    PARAMETER=VALUE pairs: such requests pass the cache untouched and uncached)."""
    routes = [(route, None if getattr(route.endpoint, "open_query", False) else frozenset(_query_names(route.dependant)))
              for route in _api_routes(api.routes) if "GET" in route.methods]
    memo: dict[str, frozenset[str] | None] = {}

    def known(path: str) -> frozenset[str] | None:
        if path not in memo:
            if len(memo) >= KNOWN_PATHS:
                memo.pop(next(iter(memo)))
            memo[path] = next((names for route, names in routes if route.path_regex.match(path)), None)
        return memo[path]

    return known


def _api_routes(routes) -> list[APIRoute]:
    """Every APIRoute in routing order, also inside included routers (routers are included without prefix)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif getattr(route, "original_router", None) is not None:  # FastAPI ≥ 0.165 wraps included routers
            found += _api_routes(route.original_router.routes)
    return found


def _query_names(dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _install_error_handlers(api: FastAPI) -> None:
    api.add_exception_handler(CityIndexError, _library_error)
    api.add_exception_handler(StarletteHTTPException, _http_error)
    api.add_exception_handler(RequestValidationError, _validation_error)
    api.add_exception_handler(Exception, _server_error)


async def _library_error(request: Request, exc: CityIndexError):
    if isinstance(exc, SERVER_FAULTS):  # the server's fault, not the visitor's
        return _incident(request, exc, status=503 if isinstance(exc, StoreError) else 500)
    status = 404 if isinstance(exc, NOT_FOUND_ERRORS) else 400
    return _error(request, status, mask_secrets(str(exc)), suggestions=getattr(exc, "suggestions", None),
                  page_text=getattr(exc, "page_text", None))


async def _http_error(request: Request, exc: StarletteHTTPException):
    # A route's own message (HTTPException(404, "…")) is kept; Starlette's bare phrase is not.
    own = isinstance(exc.detail, str) and exc.detail != HTTPStatus(exc.status_code).phrase
    suggestions = _path_suggestions(request.url.path) if exc.status_code == 404 else None
    message = exc.detail if own else _default_message(exc.status_code, request)
    response = _error(request, exc.status_code, message, suggestions=suggestions, own_message=own)
    for name, value in (exc.headers or {}).items():  # e.g. Allow on 405
        response.headers[name] = value
    if exc.status_code == 405 and "GET" in response.headers.get("allow", ""):
        response.headers["allow"] = "GET, HEAD"  # HeadAsGet answers HEAD wherever GET is allowed
    return response


async def _validation_error(request: Request, exc: RequestValidationError):
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
    return _error(request, 400, "The request has invalid parameters.", errors=problems)


async def _server_error(request: Request, exc: Exception):
    return _incident(request, exc, status=503 if isinstance(exc, SQLAlchemyError) else 500)


SERVER_MESSAGES = {503: "The database is unavailable right now; please try again later.",
                   500: "An internal error occurred; please try again later."}


def _incident(request: Request, exc: Exception, *, status: int):
    """A fault of the store or the server: details in the log under a new incident id, a generic page."""
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s: %s %s failed: %s: %s", incident, request.method, request.url.path,
              type(exc).__name__, exc, exc_info=status == 500)
    message = f"{SERVER_MESSAGES[status]} (incident {incident})"
    return _error(request, status, message, incident=incident)


def _error(request: Request, status: int, message: str, *, errors=None, suggestions=None, page_text=None,
           incident: str | None = None, own_message: bool = False):
    """JSON envelope for API clients, else the HTML error page (its text in the page language)."""
    if wants_json(request):
        return api_error(status, message, errors=errors, suggestions=suggestions)
    ctx = {"status": status, "error": message, "errors": errors or [], "suggestions": suggestions or [],
           "page_text": list(page_text) if page_text else None, "incident": incident, "own_message": own_message}
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
    """Factory for ``uvicorn --factory`` (used by ``cityindex serve`` and the benchmark).

    Settings come from the environment (``CITYINDEX_WEB_CACHE_TTL`` …); production refuses to
    start with a placeholder secret (SettingsError).
    """
    import os

    if not logging.getLogger().handlers:  # the server log: incident ids with their details go here
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    data.SHOW_OPEN_PILOT = os.environ.get("CITYINDEX_WEB_OPEN_PILOT", "1") != "0"
    return create_app()
