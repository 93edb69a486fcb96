"""``/downloads`` (+ ``.json``) and ``/downloads/{edition}.{csv,json,xlsx,parquet}``: open data per edition.

Each file holds the edition's long rows exactly as known (``ags, city, scope, rank, score,
rank_change, source``); unknown cells stay empty. Text cells that start with ``= + - @`` are
neutralised in CSV and XLSX (no formula injection).
"""

import io
from typing import Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from cityindex.web import data
from cityindex.web.attribution import SOURCES
from cityindex.web.deps import LangDep, api, page
from cityindex.web.envelope import ok_body
from cityindex.editions import ROW_COLUMNS

router = APIRouter(tags=["downloads"])

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
             "files": {fmt: f"/downloads/{v.key}.{fmt}" for fmt in FORMATS}}
            for v in data.editions()
        ],
        "columns": ROW_COLUMNS,
        "sources": list(SOURCES),
    }


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
    frame = _neutralise(frame)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name=f"edition-{view.key}"[:31])
        return buffer.getvalue()
    return frame.to_csv(index=False).encode("utf-8")


def _neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with a formula character with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v)
    return out


@router.get("/downloads.json", summary="Downloadable files per edition")
def downloads_json(request: Request, lang: LangDep):
    return api(request, downloads_context(lang=lang))


@router.get("/downloads", include_in_schema=False)
def downloads_page(request: Request, lang: LangDep):
    return page(request, "downloads.html", downloads_context(lang=lang), lang=lang)


@router.get("/downloads/{key}.{fmt}", summary="An edition's rows as CSV, JSON, XLSX or Parquet")
def download_file(key: str, fmt: str):
    if fmt not in FORMATS:
        raise HTTPException(404)
    body = edition_file(key, fmt)
    return Response(body, media_type=FORMATS[fmt],
                    headers={"content-disposition": f'attachment; filename="cityindex-{key}.{fmt}"'})
