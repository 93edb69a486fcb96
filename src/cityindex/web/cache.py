"""The page cache: whole GET responses kept in memory, bounded, keyed on what a page depends on.

Rules (docs/operations.md#cache):

* the key is the path, the route's *known* query parameters (the others are dropped before the
  route sees the request, so junk parameters can neither bust the cache nor echo into a page) and
  the language;
* at most ``max_entries`` pages and ``max_bytes`` bytes (bodies, headers and keys) are kept; a page
  larger than an eighth of ``max_bytes`` never; a longer path + query than ``MAX_KEY_BYTES`` neither;
* new pages start on probation; a page asked for again moves to the protected segment (80 % of the
  budget). A flood of one-off URLs therefore only churns the probation segment, and the pages that
  visitors keep asking for stay cached (a segmented LRU);
* only 200 responses a route marked cacheable are kept — never errors, never ``Set-Cookie``;
* every marked response gets an ``ETag`` and ``Cache-Control``; a matching ``If-None-Match`` gets 304
  (also for downloads, which carry their own ETag).
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from cityindex.web.middleware import (CACHE_MARK, ASGIApp, Message, Receive, Scope, Send, header_value,
                                      request_lang)

KnownParams = Callable[[str], frozenset[str] | None]
MAX_KEY_BYTES = 2048
ENTRY_OVERHEAD = 400  # bytes of bookkeeping per cached page (objects, key) counted against the budget
PROTECTED_SHARE = 0.8


@dataclass
class Entry:
    expires: float
    headers: list
    body: bytes
    size: int


class Pages:
    """Cached pages in two LRU segments within one budget of entries and bytes (see module docstring)."""

    def __init__(self, *, max_entries: int, max_bytes: int):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.probation: OrderedDict[tuple, Entry] = OrderedDict()
        self.protected: OrderedDict[tuple, Entry] = OrderedDict()
        self.bytes = {"probation": 0, "protected": 0}

    def get(self, key: tuple, now: float) -> Entry | None:
        """The fresh page of ``key`` (a second request promotes it), or None."""
        entry = self.protected.get(key) or self.probation.get(key)
        if entry is None or entry.expires <= now:
            if entry is not None:
                self.drop(key)
            return None
        if key in self.protected:
            self.protected.move_to_end(key)
        else:
            self._move(key, "probation", "protected")
            self._rebalance()
        return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_bytes // 8:
            return
        self.drop(key)
        self.probation[key] = entry
        self.bytes["probation"] += entry.size
        self._rebalance()

    def drop(self, key: tuple) -> None:
        for name in ("probation", "protected"):
            entry = getattr(self, name).pop(key, None)
            if entry is not None:
                self.bytes[name] -= entry.size

    def _move(self, key: tuple, source: str, target: str) -> None:
        entry = getattr(self, source).pop(key)
        self.bytes[source] -= entry.size
        getattr(self, target)[key] = entry
        self.bytes[target] += entry.size

    def _rebalance(self) -> None:
        """Protected over its share → its oldest go back on probation; then trim probation's oldest."""
        while self.protected and (len(self.protected) > self.max_entries * PROTECTED_SHARE
                                  or self.bytes["protected"] > self.max_bytes * PROTECTED_SHARE):
            self._move(next(iter(self.protected)), "protected", "probation")
        while self.probation and (len(self) > self.max_entries or self.total_bytes > self.max_bytes):
            self.drop(next(iter(self.probation)))

    @property
    def total_bytes(self) -> int:
        return self.bytes["probation"] + self.bytes["protected"]

    def keys(self) -> list[tuple]:
        return [*self.probation, *self.protected]

    def bodies(self) -> list[bytes]:
        """The bodies of every cached page (for checks that something is or is not cached)."""
        return [entry.body for entry in (*self.probation.values(), *self.protected.values())]

    def __len__(self) -> int:
        return len(self.probation) + len(self.protected)

    def __contains__(self, key: tuple) -> bool:
        return key in self.probation or key in self.protected

    def clear(self) -> None:
        self.probation.clear()
        self.protected.clear()
        self.bytes = {"probation": 0, "protected": 0}


class PageCache:
    """ASGI middleware caching whole GET responses that a route marked cacheable.

    ``known_params(path)`` gives the query parameters the route of ``path`` reads (None: no route
    of ours, the request passes untouched). ``ttl`` 0 keeps nothing but still validates ETags.
    """

    def __init__(self, app: ASGIApp, *, ttl: float = 60.0, max_entries: int = 2048,
                 max_bytes: int = 64 * 1024 * 1024, known_params: KnownParams | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.ttl = ttl
        self.pages = Pages(max_entries=max_entries, max_bytes=max_bytes)
        self.known_params = known_params or (lambda path: None)
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        known = self.known_params(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        if known is None:
            await self.app(scope, receive, send)
            return
        scope = {**scope, "query_string": known_query(scope.get("query_string", b""), known | {"lang"})}
        key = (scope["path"], scope["query_string"], request_lang(scope))
        # A ?lang= request sets the language cookie, so it is never kept; an oversized key neither.
        keep = (self.ttl > 0 and b"lang=" not in scope["query_string"]
                and len(key[0]) + len(key[1]) <= MAX_KEY_BYTES)
        hit = self.pages.get(key, self.clock()) if keep else None
        if hit is not None:
            await _replay(scope, hit, send)
            return
        await self.app(scope, receive, self._recorder(scope, key if keep else None, send))

    def _recorder(self, scope: Scope, key: tuple | None, send: Send) -> Send:
        state: dict[str, Any] = {"start": None, "body": [], "not_modified": False}

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                marked = message["status"] == 200 and any(k == CACHE_MARK for k, _ in headers)
                message["headers"] = [(k, v) for k, v in headers if k != CACHE_MARK]
                if marked:  # hold the response until its body is complete: its ETag hashes the body
                    state["start"] = message
                    return
                state["not_modified"] = await _send_or_304(scope, message, send)
            elif message["type"] == "http.response.body" and state["start"] is not None:
                state["body"].append(message.get("body", b""))
                if not message.get("more_body"):
                    await self._finish(scope, key, state["start"], b"".join(state["body"]), send)
            elif not state["not_modified"]:
                await send(message)

        return record

    async def _finish(self, scope: Scope, key: tuple | None, start: Message, body: bytes, send: Send) -> None:
        personal = any(k.lower() == b"set-cookie" for k, _ in start["headers"])  # ?lang= sets the visitor's cookie
        cache_control = ("private, no-cache" if personal else
                         f"public, max-age={int(self.ttl)}" if self.ttl > 0 else "no-cache")
        headers = [(k, v) for k, v in start["headers"] if k not in (b"etag", b"cache-control")]
        headers += [(b"etag", etag_of(body)), (b"cache-control", cache_control.encode())]
        if key is not None and not personal:
            size = len(body) + sum(len(k) + len(v) for k, v in headers) + len(key[0]) + len(key[1]) + ENTRY_OVERHEAD
            self.pages.put(key, Entry(self.clock() + self.ttl, headers, body, size))
        await _replay(scope, Entry(0.0, headers, body, 0), send, cache=b"miss")

    def clear(self) -> None:
        """Forget every cached page (e.g. after an edition changed)."""
        self.pages.clear()


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
    header = header_value(scope, b"if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix(b"W/") for t in header.split(b",")}
    return b"*" in tags or etag in tags


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
