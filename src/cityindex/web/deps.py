"""What every route needs, declared once: language, templates, and HTML/JSON responses.

A route builds one context dict (plain, JSON-ready data) and hands it to ``page()`` for the
HTML view or to ``api()`` for the JSON twin, so both always show the same numbers.
"""

import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape

from cityindex import __version__
from cityindex.web import geo, i18n
from cityindex.web.envelope import error_body, ok_body
from cityindex.web.middleware import CACHE_MARK, request_lang
from cityindex.paths import PACKAGE_DIR

TEMPLATE_DIR = PACKAGE_DIR / "web" / "templates"
STATIC_DIR = PACKAGE_DIR / "web" / "static"
COOKIE_AGE = 365 * 24 * 3600


def get_lang(request: Request) -> str:
    """The language of this request: ``?lang=``, then the ``lang`` cookie, then German."""
    return request_lang(request.scope)


LangDep = Annotated[str, Depends(get_lang)]


def signed(value: Any) -> str:
    """A rank change as ``+13`` / ``-2`` / ``±0``; unknown stays empty."""
    if value is None or value != value:
        return ""
    value = int(value)
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{abs(value)}")


def markdown_inline(text: str) -> Markup:
    """Inline Markdown of the API descriptions as HTML: `code` and **bold**; everything else is
    escaped text."""
    html = str(escape(text))
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    return Markup(re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", html))


@pass_context
def _number(context, value: object, lang: str, digits: int = 1) -> str:
    """The ``num`` filter: a score in the page language, rounded with the page's rounding mode
    (``rounding_mode`` in the context: the edition's methodology rule; half up by default)."""
    return i18n.format_number(value, lang, digits, mode=context.get("rounding_mode") or "half_up")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # shipped files: no stat() of every template (and included partial) per render
    )
    env.globals.update(
        version=__version__, scope_name=i18n.scope_name, AREAS=i18n.AREAS, SCOPES=i18n.SCOPES,
        geo_attribution=geo.ATTRIBUTION, city_names=_city_names, latest_edition_key=_latest_edition_key,
    )
    env.filters.update(num=_number, int_=i18n.format_int, signed=signed, md=markdown_inline)
    return env


def _latest_edition_key() -> str:
    from cityindex.web import data

    return data.latest_edition().key


def _city_names() -> list[str]:
    from cityindex.web import data

    return sorted(c.name for c in data.register())


TEMPLATES = _environment()


def pick_template(*names: str) -> str:
    """The first template that exists, from specific to general (``city-oberhausen.html``, ``city.html``)."""
    return TEMPLATES.select_template(list(names)).name


def page(
    request: Request,
    template: str | list[str],
    context: Mapping[str, Any],
    *,
    lang: str,
    status: int = 200,
    cache: bool = True,
) -> HTMLResponse:
    """Render the HTML view of a context; remembers an explicit ``?lang=`` in a cookie."""
    names = [template] if isinstance(template, str) else template
    edition = context.get("edition")
    mode = context.get("rounding_mode") or (edition.get("rounding_mode") if isinstance(edition, Mapping) else None)
    html = TEMPLATES.select_template(names).render(
        **{**context, "rounding_mode": mode or "half_up"}, ctx=context, lang=lang, t=i18n.translator(lang),
        request_path=request.url.path,
        other_lang_url=_lang_url(request, "en" if lang == "de" else "de"),
        json_url=_json_url(request), visitor=request.scope.get("state", {}).get("visitor"),
    )
    response = HTMLResponse(html, status_code=status)
    _finish(request, response, lang=lang, cache=cache and status == 200)
    return response


def api(request: Request, data: Any, *, cache: bool = True) -> JSONResponse:
    """The JSON twin: the same context in the success envelope."""
    response = JSONResponse(ok_body(data))
    _finish(request, response, lang=get_lang(request), cache=cache)
    return response


def api_error(status: int, message: str, *, errors: list[str] | None = None,
              suggestions: list[dict[str, str]] | None = None) -> JSONResponse:
    """A JSON error in the one envelope."""
    return JSONResponse(error_body(status, message, errors=errors, suggestions=suggestions), status_code=status)


def wants_json(request: Request) -> bool:
    """True for ``*.json`` URLs, ``/api/…`` and clients that accept only JSON."""
    path = request.url.path
    accept = request.headers.get("accept", "")
    return path.endswith(".json") or path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def _finish(request: Request, response, *, lang: str, cache: bool) -> None:
    if request.query_params.get("lang") in i18n.LANGS:
        response.set_cookie(i18n.COOKIE, lang, max_age=COOKIE_AGE, samesite="lax", httponly=True)
    response.headers["content-language"] = lang
    response.headers["vary"] = "Cookie"
    if cache:
        response.raw_headers.append((CACHE_MARK, b"1"))


def _lang_url(request: Request, lang: str) -> str:
    params = dict(request.query_params)
    params["lang"] = lang
    return f"{request.url.path}?{urlencode(params)}"


def _json_url(request: Request) -> str:
    path = request.url.path.rstrip("/") or "/index"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{path}.json{query}"
