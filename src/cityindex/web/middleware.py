"""Pure ASGI middleware: security headers on every response, and a page cache.

Both are plain ASGI (no ``BaseHTTPMiddleware``) so a cached page is answered without
touching the router; that keeps the ranking page fast under load (benchmarks/bench_web.py).
"""

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from cityindex.web.i18n import COOKIE, pick_lang

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CACHE_MARK = b"x-cityindex-cacheable"

# No inline script anywhere: scripts only from this origin; Vega runs with its AST
# interpreter (no eval). Inline styles are not needed either.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = SECURITY_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in names]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answers HEAD like GET, without the body (every GET resource supports HEAD, RFC 9110 §9.3.2).

    FastAPI registers GET routes only; the request reaches them (and the page cache) as GET.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def request_lang(scope: Scope) -> str:
    """Language of a request from ``?lang=`` or the cookie, as the pages resolve it."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
    cookie = None
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header means "no cookie"
                continue
            if COOKIE in jar:
                cookie = jar[COOKIE].value
    return pick_lang(query, cookie)


class PageCache:
    """Caches whole GET responses that a route marked cacheable, per path, query and language.

    Entries live ``ttl`` seconds; at most ``size`` entries are kept (least recently used
    dropped). Only 200 responses carrying the internal mark are stored; the mark is
    removed before the response leaves the app.
    """

    def __init__(self, app: ASGIApp, *, ttl: float = 60.0, size: int = 2048):
        self.app = app
        self.ttl = ttl
        self.size = size
        self.entries: OrderedDict[tuple, tuple[float, list, bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A ?lang= request sets the language cookie, so it is always answered fresh.
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or self.ttl <= 0
            or b"lang=" in scope.get("query_string", b"")
        ):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), request_lang(scope))
        hit = self.entries.get(key)
        if hit and hit[0] > time.monotonic():
            self.entries.move_to_end(key)
            await _replay(hit[1], hit[2], send, head=scope["method"] == "HEAD")
            return
        await self.app(scope, receive, self._recorder(key, send))

    def _recorder(self, key: tuple, send: Send) -> Send:
        state: dict[str, Any] = {"store": False, "headers": [], "body": []}

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                state["store"] = message["status"] == 200 and any(k == CACHE_MARK for k, _ in headers)
                headers = [(k, v) for k, v in headers if k != CACHE_MARK]
                message["headers"] = headers
                state["headers"] = headers
            elif message["type"] == "http.response.body" and state["store"]:
                state["body"].append(message.get("body", b""))
                if not message.get("more_body"):
                    self._put(key, state["headers"], b"".join(state["body"]))
            await send(message)

        return record

    def _put(self, key: tuple, headers: list, body: bytes) -> None:
        # Set-Cookie belongs to one visitor: never replay it to others.
        headers = [(k, v) for k, v in headers if k.lower() != b"set-cookie"]
        self.entries[key] = (time.monotonic() + self.ttl, headers, body)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every cached page (e.g. after an edition changed)."""
        self.entries.clear()


async def _replay(headers: list, body: bytes, send: Send, *, head: bool) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})
