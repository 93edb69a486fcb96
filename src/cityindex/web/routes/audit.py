"""``/{edition}/statistik`` (+ ``.json``): the statistical audit of a computed edition."""

from typing import Any

from fastapi import APIRouter, Request

from cityindex.web import data, intervals
from cityindex.web.deps import LangDep, api, page
from cityindex.web.auth import PUBLIC
from cityindex.web.envelope import RESPONSES

router = APIRouter(tags=["statistical audit"], responses=RESPONSES, dependencies=[PUBLIC])


def audit_context(edition_key: str, *, lang: str) -> dict[str, Any]:
    """The audit's checks with thresholds, counts and flagged items; published editions say why
    there is none."""
    from cityindex.analysis.stats_audit import THRESHOLDS, TITLES

    view = data.edition(edition_key)
    ctx: dict[str, Any] = {"edition": data.edition_meta(view, lang), "available": False}
    report = intervals.audit_for(view)
    if isinstance(report, intervals.Unavailable):
        return ctx
    counts = report.counts()
    names = _names(view.methodology, lang)
    flags = report.flags.astype(object).where(report.flags.notna(), None).to_dict("records")
    for row in flags:
        row["title"] = TITLES[lang][row["check"]]
        for field in ("area", "item", "other"):
            row[f"{field}_name"] = names.get(row[field], row[field])
    return {**ctx, "available": True, "input_hash": report.input_hash,
            "flagged": sum(f for f, _ in counts.values()), "checked": sum(n for _, n in counts.values()),
            "checks": [{"check": c, "title": TITLES[lang][c], "threshold": THRESHOLDS[lang][c], "flagged": f,
                        "checked": n} for c, (f, n) in counts.items()],
            "flags": flags}


def _names(methodology, lang: str) -> dict[str, str]:
    """Display names of the codes a report row names: cities, areas, indicators, parameters."""
    names = {c.ags: c.name for c in data.register()}
    attribute = "name_de" if lang == "de" else "name_en"
    for area, indicator, parameter in methodology.parameter_places():
        for item in (area, indicator, parameter):
            if item is not None:
                names[item.code] = getattr(item, attribute)
    return names


@router.get("/{edition}/statistik.json", summary="Statistical audit of an edition (JSON)")
def audit_json(request: Request, edition: str, lang: LangDep):
    return api(request, audit_context(edition, lang=lang))


@router.get("/{edition}/statistik", include_in_schema=False)
def audit_page(request: Request, edition: str, lang: LangDep):
    return page(request, "stats_audit.html", audit_context(edition, lang=lang), lang=lang)
