"""Ranking pages: ``/{edition}/ranking`` and ``/{edition}/ranking/{area}``, each with a ``.json`` twin.

Filters (``state``, ``region``, ``size_class``) and sorting (``sort``, ``order``) are query
parameters, so every view has a stable URL and works without JavaScript.
"""

from functools import lru_cache
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request

from cityindex.errors import CityIndexError, UnknownScope
from cityindex.web import data, intervals
from cityindex.web.envelope import RESPONSES
from cityindex.web.deps import LangDep, api, page
from cityindex.web.auth import PUBLIC

router = APIRouter(tags=["rankings"], responses=RESPONSES, dependencies=[PUBLIC])

SORT_KEYS = ("rank", "score", "city", "rank_change", "comparable_change", "state")


class BadFilter(CityIndexError):
    """That filter value does not exist."""


def ranking_context(
    edition_key: str, scope: str = "overall", *, lang: str, state: str | None = None,
    region: str | None = None, size_class: str | None = None, sort: str | None = None,
    order: str | None = None,
) -> dict[str, Any]:
    """Everything the ranking page and its JSON twin show."""
    view = data.edition(edition_key)
    if scope not in view.scopes:
        exc = UnknownScope(f"Edition {view.key} has no area {scope!r}; use one of {', '.join(view.scopes)}.")
        exc.suggestions = [{"label": s["name"], "url": s["url"]} for s in data.scope_list(view, lang)]  # type: ignore[attr-defined]
        exc.page_text = ("unknown_scope", scope)  # type: ignore[attr-defined]
        raise exc
    filters = _check_filters(state=state, region=region, size_class=size_class, lang=lang)
    every = _rows(view, scope)
    known_total = sum(r["rank"] is not None for r in every)
    sort_key, descending = _sort_spec(sort, order, view)
    rows = [dict(r) for r in _sort(_filter(every, **filters), sort_key, descending)]  # copies: _rows is cached
    uncertainty = intervals.ranking_part(view, scope, rows, lang)  # adds each row's interval
    return {
        "edition": data.edition_meta(view, lang),
        "editions": [data.edition_meta(v, lang) for v in data.editions()],
        "scope": {"code": scope, "name": view.scope_name(scope, lang)},
        "scopes": data.scope_list(view, lang),
        "area_columns": [s for s in data.scope_list(view, lang) if s["code"] != "overall"] if scope == "overall" else [],
        "filters": filters,
        "filter_options": data.filter_options(lang),
        "sort": {"key": sort_key, "order": "desc" if descending else "asc"},
        "rows": rows,
        "count": len(rows),
        "known_ranks": known_total,
        "complete": view.kind == "computed" or known_total >= view.n_cities,
        "missing_ranks": _ranges(view.missing_ranks(scope)) if view.kind != "computed" else "",
        "notes": data.edition_notes(view, lang),
        "has_comparable": "comparable_change" in view.rows,
        "movers_url": f"/{view.key}/bewegung" if view.kind == "computed" and view.previous else None,
        "has_unassigned": bool(len(getattr(view, "unassigned", ()))),
        "uncertainty": uncertainty,
    }


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] → "1–3, 7, 9–10"."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(f"{start}–{n}" if n > start else str(n))
            start = None
    return ", ".join(parts)


def _check_filters(*, lang: str, **given: str | None) -> dict[str, str | None]:
    options = data.filter_options(lang)
    out: dict[str, str | None] = {}
    for name, value in given.items():
        value = (value or "").strip() or None
        codes = [o["code"] for o in options[name]]
        if value is not None and value not in codes:
            exc = BadFilter(f"Unknown {name.replace('_', ' ')} {value!r}; use one of {', '.join(codes)}.")
            exc.page_text = ("bad_filter", value)  # type: ignore[attr-defined]
            raise exc
        out[name] = value
    return out


@lru_cache(maxsize=128)
def _rows(view, scope: str) -> tuple[dict[str, Any], ...]:
    """Every row of one scope (by rank) with register tags and, for the overall view, each area's
    score and rank. Computed once per edition view and scope (views are replaced when an edition
    changes), so a page that is not in the page cache only filters and sorts plain rows."""
    return tuple(_row(rec, view) for rec in _table(view, scope).to_dict(orient="records"))


def _table(view, scope: str) -> pd.DataFrame:
    """One row per city of the scope; for the overall view also each area's score and rank."""
    table = view.ranking(scope).set_index("ags")
    if scope == "overall":
        areas = [s for s in view.scopes if s != "overall"]
        known = view.rows[view.rows["scope"].isin(areas)].drop_duplicates(["ags", "scope"])
        wide = known.pivot(index="ags", columns="scope", values=["score", "rank"])
        for area in areas:
            for field in ("score", "rank"):
                column = (field, area)
                table[f"{area}_{field}"] = wide[column].reindex(table.index) if column in wide else None
    table = table.join(data.tags(), how="left")
    return table.reset_index()


def _filter(rows, *, state=None, region=None, size_class=None) -> list[dict[str, Any]]:
    return [r for r in rows if (not state or r["state_code"] == state)
            and (not region or region in r["regions"]) and (not size_class or r["size_class"] == size_class)]


def _sort_spec(sort: str | None, order: str | None, view) -> tuple[str, bool]:
    areas = [s for s in view.scopes if s != "overall"]
    key = sort if sort in SORT_KEYS or sort in areas else "rank"
    default_desc = key in ("score", "rank_change", "comparable_change") or key in areas
    descending = default_desc if order not in ("asc", "desc") else order == "desc"
    return key, descending


def _sort(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Sort with unknown values always last, whatever the direction; ties by rank, then city."""
    def value(row):
        if key in ("rank", "score", "city", "rank_change", "state"):
            return row[key]
        if key == "comparable_change":
            return row.get(key)
        return (row.get("areas") or {}).get(key, {}).get("score")

    def tiebreak(row):
        return (row["rank"] is None, row["rank"] or 0, row["city"])

    known = sorted((r for r in rows if value(r) is not None), key=tiebreak)
    known.sort(key=value, reverse=descending)  # stable: ties keep rank order
    return known + sorted((r for r in rows if value(r) is None), key=tiebreak)


def _row(rec: dict[str, Any], view) -> dict[str, Any]:
    row = {
        "ags": rec["ags"], "city": rec["city"], "slug": data.clean(rec.get("slug")),
        "url": f"/staedte/{rec['slug']}" if isinstance(rec.get("slug"), str) else None,
        "state": data.clean(rec.get("state")), "state_code": data.clean(rec.get("state_code")),
        "rank": data.clean(rec["rank"]), "score": data.clean(rec["score"]),
        "rank_change": data.clean(rec["rank_change"]), "source": data.clean(rec.get("source")),
    }
    if "comparable_change" in rec:
        row["comparable_change"] = data.clean(rec["comparable_change"])
    areas = {a: {"score": data.clean(rec.get(f"{a}_score")), "rank": data.clean(rec.get(f"{a}_rank"))}
             for a in view.scopes if f"{a}_score" in rec}
    if areas:
        row["areas"] = areas
    row["regions"] = (data.clean(rec.get("regions")) or "").split(",")  # for the region filter
    row["size_class"] = data.clean(rec.get("size_class"))
    return row


def ranking_filters(state: str | None = None, region: str | None = None, size_class: str | None = None,
                    sort: str | None = None, order: str | None = None) -> dict[str, str | None]:
    """Filter and sort parameters, declared so that the API docs and the page cache know them."""
    return {"state": state, "region": region, "size_class": size_class, "sort": sort, "order": order}


FiltersDep = Annotated[dict, Depends(ranking_filters)]


@router.get("/{edition}/ranking.json", summary="Overall ranking of an edition (JSON)")
def ranking_json(request: Request, edition: str, lang: LangDep, filters: FiltersDep):
    return api(request, ranking_context(edition, lang=lang, **filters))


@router.get("/{edition}/ranking/{scope}.json", summary="Area ranking of an edition (JSON)")
def area_ranking_json(request: Request, edition: str, scope: str, lang: LangDep, filters: FiltersDep):
    return api(request, ranking_context(edition, scope, lang=lang, **filters))


@router.get("/{edition}/ranking", include_in_schema=False)
def ranking_page(request: Request, edition: str, lang: LangDep, filters: FiltersDep):
    ctx = ranking_context(edition, lang=lang, **filters)
    return page(request, ["ranking.html"], ctx, lang=lang)


@router.get("/{edition}/ranking/{scope}", include_in_schema=False)
def area_ranking_page(request: Request, edition: str, scope: str, lang: LangDep, filters: FiltersDep):
    ctx = ranking_context(edition, scope, lang=lang, **filters)
    return page(request, [f"ranking-{scope}.html", "ranking.html"], ctx, lang=lang)
