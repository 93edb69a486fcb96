"""Pure ASGI middleware: security headers and trusted hosts, HEAD as GET (the page cache: ``cache.py``).

Plain ASGI (no ``BaseHTTPMiddleware``), so a cached page is answered without touching the router;
that keeps the ranking page fast under load (benchmarks/bench_web.py).
"""

from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cityindex.web.i18n import COOKIE, pick_lang

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: A route marks a response cacheable with this header; the page cache removes it.
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


def header_value(scope: Scope, name: bytes) -> bytes | None:
    """The first value of a request header (names are lower-case bytes in ASGI)."""
    for key, value in scope.get("headers", []):
        if key == name:
            return value
    return None


class SecurityHeaders:
    """Security headers on every response; only trusted hosts; redirects never leave the site.

    ``hsts_max_age`` > 0 adds ``Strict-Transport-Security``. ``trusted_hosts`` (``["*"]`` = any)
    answers other ``Host`` headers with a plain 400. A redirect to the request's own host is made
    relative, so a forged ``Host`` header can never send a visitor elsewhere. Errors get
    ``Cache-Control: no-store``, responses setting a cookie ``private``.
    """

    def __init__(self, app: ASGIApp, *, hsts_max_age: int = 0, trusted_hosts: list[str] | None = None):
        self.app = app
        self.headers = list(SECURITY_HEADERS)
        if hsts_max_age > 0:
            self.headers.append((b"strict-transport-security", f"max-age={hsts_max_age}; includeSubDomains".encode()))
        self.trusted = [h.lower() for h in (trusted_hosts or ["*"])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (header_value(scope, b"host") or b"").decode("latin-1").lower()
        if not self._trusted(host):
            await _plain(send, 400, b"Invalid host header", self.headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._finish(message["status"], list(message.get("headers", [])), host)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _trusted(self, host: str) -> bool:
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return any(t == "*" or t == name or (t.startswith("*.") and name.endswith(t[1:])) for t in self.trusted)

    def _finish(self, status: int, headers: list, host: str) -> list:
        names = {k.lower() for k, _ in headers}
        headers += [(k, v) for k, v in self.headers if k not in names]
        if b"cache-control" not in names and (status >= 400 or b"set-cookie" in names):
            headers.append((b"cache-control", b"no-store" if status >= 400 else b"private"))
        return [(k, _relative(v, host) if k.lower() == b"location" else v) for k, v in headers]


def _relative(location: bytes, host: str) -> bytes:
    """``http://<own host>/path?q`` → ``/path?q``; other locations unchanged."""
    parts = urlsplit(location.decode("latin-1"))
    if parts.netloc and parts.netloc.lower() == host:
        return (parts.path or "/").encode("latin-1") + (b"?" + parts.query.encode("latin-1") if parts.query else b"")
    return location


async def _plain(send: Send, status: int, body: bytes, headers: list) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


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

