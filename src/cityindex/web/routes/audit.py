"""``/{edition}/statistik`` (+ ``.json``): the statistical audit of a computed edition."""

from typing import Any

from fastapi import APIRouter, Request

from cityindex.web import data, intervals
from cityindex.web.deps import LangDep, api, page
from cityindex.web.envelope import RESPONSES

router = APIRouter(tags=["statistical audit"], responses=RESPONSES)


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
    names = {c.ags: c.name for c in data.register()}
    flags = report.flags.astype(object).where(report.flags.notna(), None).to_dict("records")
    for row in flags:
        row["title"] = TITLES[lang][row["check"]]
        row["item_name"] = names.get(row["item"], row["item"]) if row["check"] == "coverage-city" else row["item"]
    return {**ctx, "available": True, "input_hash": report.input_hash,
            "flagged": sum(f for f, _ in counts.values()), "checked": sum(n for _, n in counts.values()),
            "checks": [{"check": c, "title": TITLES[lang][c], "threshold": THRESHOLDS[lang][c], "flagged": f,
                        "checked": n} for c, (f, n) in counts.items()],
            "flags": flags}


@router.get("/{edition}/statistik.json", summary="Statistical audit of an edition (JSON)")
def audit_json(request: Request, edition: str, lang: LangDep):
    return api(request, audit_context(edition, lang=lang))


@router.get("/{edition}/statistik", include_in_schema=False)
def audit_page(request: Request, edition: str, lang: LangDep):
    return page(request, "stats_audit.html", audit_context(edition, lang=lang), lang=lang)
