"""``Gzip``: compresses responses for clients that accept gzip (pure ASGI, one small layer).

It sits outside the page cache, so a cached page is compressed once and its compressed body is
reused for every later request (memoised by the body itself, at most ``memo_size`` bodies and
``memo_bytes`` bytes, least recently used dropped); the site stays above 1,000 cached requests per
second with compression on (benchmarks/bench_web.py).
Only complete bodies of text-like types above ``minimum_size`` bytes are compressed; streamed
responses and already encoded ones pass through unchanged.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from typing import Any

from cityindex.web.middleware import ASGIApp, Message, Receive, Scope, Send

COMPRESSIBLE = (b"text/", b"application/json", b"application/javascript", b"image/svg+xml")


def accepts_gzip(scope: Scope) -> bool:
    """True if the request's ``Accept-Encoding`` names gzip (or ``*``) without ``q=0``."""
    for name, value in scope.get("headers", []):
        if name == b"accept-encoding":
            for part in value.lower().split(b","):
                coding, _, params = part.partition(b";")
                refused = params.replace(b" ", b"") in (b"q=0", b"q=0.0", b"q=0.00", b"q=0.000")
                if coding.strip() in (b"gzip", b"*") and not refused:
                    return True
    return False


class Gzip:
    """Compresses whole text responses with gzip when the client accepts it."""

    def __init__(self, app: ASGIApp, *, minimum_size: int = 500, level: int = 6, memo_size: int = 256,
                 memo_bytes: int = 24 * 2 ** 20):
        self.app, self.minimum_size, self.level = app, minimum_size, level
        self.memo_size, self.memo_bytes, self.memo_total = memo_size, memo_bytes, 0
        self.memo: OrderedDict[int, tuple[bytes, bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not accepts_gzip(scope):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = {"start": None, "passing": False}

        async def compress(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["start"] = message
                state["passing"] = not _compressible(message.get("headers", []))
                if state["passing"]:
                    await send(message)
                return
            if message["type"] != "http.response.body" or state["passing"]:
                await send(message)
                return
            body = message.get("body", b"")
            if message.get("more_body") or len(body) < self.minimum_size:  # streamed or small: as it is
                state["passing"] = True
                await send(state["start"])
                await send(message)
                return
            packed = self._gzip(body)
            start = state["start"]
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers += [(b"content-encoding", b"gzip"), (b"content-length", str(len(packed)).encode())]
            await send({**start, "headers": _vary(headers)})
            await send({"type": "http.response.body", "body": packed})

        await self.app(scope, receive, compress)

    def _gzip(self, body: bytes) -> bytes:
        key = hash(body)  # a bytes object caches its hash: a cached page is hashed once
        hit = self.memo.get(key)
        if hit is not None and hit[0] == body:
            self.memo.move_to_end(key)
            return hit[1]
        packed = gzip.compress(body, compresslevel=self.level, mtime=0)
        if hit is None and len(body) + len(packed) <= self.memo_bytes // 4:  # a huge one-off body is not kept
            self.memo[key] = (body, packed)
            self.memo_total += len(body) + len(packed)
            while len(self.memo) > self.memo_size or self.memo_total > self.memo_bytes:
                old_body, old_packed = self.memo.popitem(last=False)[1]
                self.memo_total -= len(old_body) + len(old_packed)
        return packed


def _compressible(headers: list) -> bool:
    kind, encoded = b"", False
    for name, value in headers:
        name = name.lower()
        if name == b"content-type":
            kind = value.lower()
        elif name == b"content-encoding":
            encoded = True
    return not encoded and kind.startswith(COMPRESSIBLE)


def _vary(headers: list) -> list:
    """Add Accept-Encoding to Vary (caches must keep the two versions apart)."""
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            if b"accept-encoding" not in value.lower():
                headers[i] = (name, value + b", Accept-Encoding")
            return headers
    return headers + [(b"vary", b"Accept-Encoding")]
