"""``/downloads`` (+ ``.json``): open data per edition.

* ``/downloads/{edition}.{csv,json,xlsx,parquet}`` — the edition's long rows exactly as known
  (``ags, city, scope, rank, score, rank_change, source``); unknown cells stay empty.
* ``/downloads/{edition}/export-{csv,xlsx,parquet,datapackage}.zip`` — for computed editions, the
  store's full open-data export (``cityindex.io.export.export_edition``: overall, areas,
  indicators and every data point with its provenance; the data package validates with
  frictionless), zipped.

Text cells that start with ``= + - @`` are neutralised in CSV and XLSX (no formula injection):
every spreadsheet this site hands out goes through ``spreadsheet_bytes``.

Each file is built once per edition version (a re-scored computed edition is a new version) and
then served from memory with an ``ETag`` (``If-None-Match`` → 304).
"""

import hashlib
import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from cityindex.web import data
from cityindex.web.attribution import sources
from cityindex.web.deps import LangDep, api, page
from cityindex.web.envelope import FILE_ERRORS, ok_body
from cityindex.editions import ROW_COLUMNS
from cityindex.io.export import FORMATS as EXPORT_FORMATS
from cityindex.io.export import neutralise_frame
from cityindex.web.auth import PUBLIC

router = APIRouter(tags=["downloads"], dependencies=[PUBLIC])

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def downloads_context(*, lang: str) -> dict[str, Any]:
    """One entry per edition with a link per format."""
    return {
        "editions": [
            {**data.edition_meta(v, lang), "rows": int(len(v.rows)),
             "files": {fmt: f"/downloads/{v.key}.{fmt}" for fmt in FORMATS},
             "exports": ({fmt: f"/downloads/{v.key}/export-{fmt}.zip" for fmt in EXPORT_FORMATS}
                         if v.kind == "computed" else {})}
            for v in data.editions()
        ],
        "columns": ROW_COLUMNS,
        "sources": sources(lang),
    }


MAX_BUILT = 32  # files kept in memory (each once per edition version)
_built: OrderedDict[tuple[str, str], tuple[object, bytes, str]] = OrderedDict()
_building = threading.Lock()


def built(view, name: str, build: Callable[[], bytes]) -> tuple[bytes, str]:
    """File ``name`` of this version of an edition, and its ETag: built on first request, then kept.

    The build runs outside the lock, so a slow one (a PDF report) does not hold up other downloads.
    """
    key = (view.key, name)
    with _building:
        entry = _built.get(key)
        if entry is not None and entry[0] is view:
            _built.move_to_end(key)
            return entry[1], entry[2]
    body = build()
    entry = (view, body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"')
    with _building:
        _built[key] = entry
        _built.move_to_end(key)
        while len(_built) > MAX_BUILT:
            _built.popitem(last=False)
    return entry[1], entry[2]


def spreadsheet_bytes(frame: pd.DataFrame, fmt: str, *, sheet: str = "data") -> bytes:
    """A table as CSV or XLSX with formula-like text neutralised (``'=…``): the one path for both."""
    frame = neutralise_frame(frame)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name=sheet[:31])
        return buffer.getvalue()
    return frame.to_csv(index=False).encode("utf-8")


def edition_file(key: str, fmt: str) -> bytes:
    """The edition's rows in one format."""
    view = data.edition(key)
    frame = view.rows[ROW_COLUMNS].copy()
    if fmt == "json":
        import json

        meta = data.edition_meta(view, "en")
        return json.dumps(ok_body({"edition": meta, "rows": frame}), ensure_ascii=False).encode()
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    return spreadsheet_bytes(frame, fmt, sheet=f"edition-{view.key}")


def store_export(key: str, fmt: str) -> bytes:
    """The store's export of a computed edition in one format, as a ZIP archive."""
    from cityindex.io.export import export_edition
    from cityindex.store.db import open_store

    with tempfile.TemporaryDirectory(prefix="cityindex-export-") as tmp, open_store() as store:
        files = export_edition(store, key, format=fmt, out=Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


@router.get("/downloads.json", summary="Downloadable files per edition")
def downloads_json(request: Request, lang: LangDep):
    return api(request, downloads_context(lang=lang))


@router.get("/downloads", include_in_schema=False)
def downloads_page(request: Request, lang: LangDep):
    return page(request, "downloads.html", downloads_context(lang=lang), lang=lang)


@router.get("/downloads/{key}/export-{fmt}.zip", summary="The store's open-data export of a computed edition (ZIP)",
            responses=FILE_ERRORS)
def download_export(key: str, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(404)
    view = data.edition(key)  # unknown keys → 404 with suggestions first
    if view.kind != "computed":
        raise HTTPException(404, "Published editions have no store export; use the files above.")
    body, etag = built(view, f"export-{fmt}.zip", lambda: store_export(key, fmt))
    return file_response(body, etag, "application/zip", f"cityindex-{key}-{fmt}.zip")


@router.get("/downloads/{key}.{fmt}", summary="An edition's rows as CSV, JSON, XLSX or Parquet",
            responses=FILE_ERRORS)
def download_file(key: str, fmt: str):
    if fmt not in FORMATS:
        raise HTTPException(404)
    body, etag = built(data.edition(key), fmt, lambda: edition_file(key, fmt))
    return file_response(body, etag, FORMATS[fmt], f"cityindex-{key}.{fmt}")


def file_response(body: bytes, etag: str, media_type: str, filename: str) -> Response:
    """A download with its ETag; the page cache answers a matching If-None-Match with 304."""
    return Response(body, media_type=media_type, headers={
        "content-disposition": f'attachment; filename="{filename}"', "etag": etag,
        "cache-control": "public, max-age=300"})
