"""Pure ASGI middleware: security headers and trusted hosts, HEAD as GET, and the page cache.

All are plain ASGI (no ``BaseHTTPMiddleware``) so a cached page is answered without touching the
router; that keeps the ranking page fast under load (benchmarks/bench_web.py). The page cache's
rules (docs/operations.md#cache):

* the key is the path, the route's *known* query parameters (others are dropped before the route
  sees the request, so junk parameters can neither bust the cache nor echo into a page) and the
  language;
* it holds at most ``max_entries`` pages and ``max_bytes`` bytes (bodies, headers and keys), least
  recently used first out; a page larger than an eighth of ``max_bytes`` is never kept;
* only 200 responses a route marked cacheable are kept, never errors, never ``Set-Cookie``;
* every marked response gets an ``ETag`` and ``Cache-Control``; ``If-None-Match`` gets a 304.
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

from cityindex.web.i18n import COOKIE, pick_lang

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
KnownParams = Callable[[str], frozenset[str] | None]

CACHE_MARK = b"x-cityindex-cacheable"
MAX_KEY_BYTES = 2048  # a longer path + query is answered, but never cached
ENTRY_OVERHEAD = 400  # bytes of bookkeeping per cached page (tuple, key, list) counted against the budget

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


def _header(scope: Scope, name: bytes) -> bytes | None:
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
        host = (_header(scope, b"host") or b"").decode("latin-1").lower()
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


def known_query(query: bytes, known: frozenset[str]) -> bytes:
    """The query string with only the ``known`` parameters, in their order, bytes unchanged."""
    if not query:
        return query
    kept = [part for part in query.split(b"&")
            if part and unquote_plus(part.split(b"=", 1)[0].decode("latin-1")) in known]
    return b"&".join(kept)


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def etag_matches(scope: Scope, etag: bytes) -> bool:
    """True if the request's ``If-None-Match`` names ``etag`` (weak or strong) or is ``*``."""
    header = _header(scope, b"if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix(b"W/") for t in header.split(b",")}
    return b"*" in tags or etag in tags


@dataclass
class Entry:
    expires: float
    headers: list
    body: bytes
    size: int


class PageCache:
    """Caches whole GET responses that a route marked cacheable (see the module docstring for the rules).

    ``known_params(path)`` gives the query parameters the route of ``path`` reads (None: no route
    of ours, the request passes untouched). ``ttl`` 0 keeps nothing but still validates ETags.
    """

    def __init__(self, app: ASGIApp, *, ttl: float = 60.0, max_entries: int = 2048,
                 max_bytes: int = 64 * 1024 * 1024, known_params: KnownParams | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.known_params = known_params or (lambda path: None)
        self.clock = clock
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        known = self.known_params(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        if known is None:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        scope = {**scope, "query_string": known_query(query, known | {"lang"})}
        key = (scope["path"], scope["query_string"], request_lang(scope))
        # A ?lang= request sets the language cookie, so it is never kept; an oversized key neither.
        keep = (self.ttl > 0 and b"lang=" not in scope["query_string"]
                and len(key[0]) + len(key[1]) <= MAX_KEY_BYTES)
        hit = self.entries.get(key) if keep else None
        if hit and hit.expires > self.clock():
            self.entries.move_to_end(key)
            await _replay(scope, hit, send)
            return
        await self.app(scope, receive, self._recorder(scope, key if keep else None, send))

    def _recorder(self, scope: Scope, key: tuple | None, send: Send) -> Send:
        state: dict[str, Any] = {"start": None, "body": []}

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                marked = message["status"] == 200 and any(k == CACHE_MARK for k, _ in headers)
                headers = [(k, v) for k, v in headers if k != CACHE_MARK]
                message["headers"] = headers
                if marked:  # hold the response until its body is complete: its ETag hashes the body
                    state["start"] = message
                    return
                state["not_modified"] = await _send_or_304(scope, message, send)
            elif message["type"] == "http.response.body" and state["start"] is not None:
                state["body"].append(message.get("body", b""))
                if not message.get("more_body"):
                    await self._finish(scope, key, state["start"], b"".join(state["body"]), send)
            elif not state.get("not_modified"):
                await send(message)

        return record

    async def _finish(self, scope: Scope, key: tuple | None, start: Message, body: bytes, send: Send) -> None:
        personal = any(k.lower() == b"set-cookie" for k, _ in start["headers"])  # ?lang= sets the visitor's cookie
        cache_control = "private, no-cache" if personal else (f"public, max-age={int(self.ttl)}" if self.ttl > 0
                                                              else "no-cache")
        headers = [(k, v) for k, v in start["headers"] if k not in (b"etag", b"cache-control")]
        headers += [(b"etag", etag_of(body)), (b"cache-control", cache_control.encode())]
        if key is not None:
            self._put(key, headers, body)
        entry = Entry(0.0, headers, body, 0)
        await _replay(scope, entry, send, cache=b"miss")

    def _put(self, key: tuple, headers: list, body: bytes) -> None:
        # Set-Cookie belongs to one visitor: never replay it to others.
        headers = [(k, v) for k, v in headers if k.lower() != b"set-cookie"]
        size = len(body) + sum(len(k) + len(v) for k, v in headers) + len(key[0]) + len(key[1]) + ENTRY_OVERHEAD
        if size > self.max_bytes // 8:
            return
        self._drop(key)
        self.entries[key] = Entry(self.clock() + self.ttl, headers, body, size)
        self.bytes += size
        while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
            self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.bytes -= entry.size

    def clear(self) -> None:
        """Forget every cached page (e.g. after an edition changed)."""
        self.entries.clear()
        self.bytes = 0


async def _replay(scope: Scope, entry: Entry, send: Send, *, cache: bytes = b"hit") -> None:
    headers = [*entry.headers, (b"x-cache", cache)]
    await _send_or_304(scope, {"type": "http.response.start", "status": 200, "headers": headers}, send,
                       body=entry.body)


async def _send_or_304(scope: Scope, start: Message, send: Send, *, body: bytes | None = None) -> bool:
    """Send the response (``body`` given: whole), or a 304 when the client has this ETag already (True)."""
    etag = next((v for k, v in start["headers"] if k == b"etag"), None)
    if start["status"] == 200 and etag is not None and etag_matches(scope, etag):
        keep = (b"etag", b"cache-control", b"vary", b"content-language", b"x-cache")
        await send({"type": "http.response.start", "status": 304,
                    "headers": [(k, v) for k, v in start["headers"] if k in keep]})
        await send({"type": "http.response.body", "body": b""})
        return True
    await send(start)
    if body is not None:
        await send({"type": "http.response.body", "body": body})
    return False
