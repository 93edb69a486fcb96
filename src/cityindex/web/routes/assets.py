"""Assets the app serves itself: the Vega/Vega-Lite/vega-embed bundle (from vl-convert), robots.txt.

No CDN: ``vl_convert.javascript_bundle()`` assembles the three libraries once per process
(about 1.5 s, done in a background thread at start-up); the result is served with a long
cache lifetime and an ETag from the library versions.
"""

import hashlib
import threading
from cityindex.web.auth import PUBLIC

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])

_lock = threading.Lock()
_bundle: dict[str, bytes | str] = {}


def vega_bundle() -> tuple[bytes, str]:
    """The JavaScript bundle of vega-embed, Vega-Lite and Vega (built once), and its ETag."""
    with _lock:
        if "js" not in _bundle:
            import vl_convert

            js = vl_convert.javascript_bundle().encode("utf-8")
            _bundle["js"] = js
            _bundle["etag"] = '"' + hashlib.sha256(js).hexdigest()[:20] + '"'
    return _bundle["js"], _bundle["etag"]  # type: ignore[return-value]


@router.get("/static/vendor/vega-bundle.js")
def vega_bundle_js(request: Request):
    js, etag = vega_bundle()
    headers = {"etag": etag, "cache-control": "public, max-age=86400"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(js, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/robots.txt")
def robots():
    return PlainTextResponse("User-agent: *\nAllow: /\n")
