"""The index team's review pages under ``/team/pruefung/{edition}`` (issue 8).

The status board (every city's progress, the share that reviewed, open corrections by area), the
inbox of the cities' entries with filters (city, area, status, kind) showing the old and the
proposed value and the evidence side by side, decisions (accept, reject, ask back) with the
version the analyst saw, bulk acceptance of confirmations, every city's evidence files and
receipts, and the review log as CSV or Excel. Reading needs ``team.read``, deciding
``data.write``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from cityindex.auth.policy import Account, Permission
from cityindex.review import (ChangedSinceReview, InvalidEntry, NotDecidable, VersionConflict, accept_confirmations,
                              decide, export_review, queue, read_upload, receipt_html, receipt_pdf, status_board)
from cityindex.review.texts import problem_text
from cityindex.review.models import ITEM_STATES
from cityindex.review.views import queue_choices
from cityindex.web.auth import PRIVATE_RESPONSES, FormDep, accounts_of, allow, form_page, redirect
from cityindex.web.deps import api, get_lang
from cityindex.web.envelope import FILE_ERRORS
from cityindex.web.review_forms import number
from cityindex.web.routes.city_review import RECEIPT_CSS, attachment

TeamDep = Annotated[Account, Depends(allow(Permission.TEAM_READ))]
DeciderDep = Annotated[Account, Depends(allow(Permission.DATA_WRITE))]
router = APIRouter(tags=["review"], responses=PRIVATE_RESPONSES)
FILTERS = ("stadt", "bereich", "stand", "art", "seite")
EXPORTS = {"protokoll.csv": ("csv", "log"), "eintraege.csv": ("csv", "entries"), "pruefung.xlsx": ("xlsx", None)}


def board_context(request: Request, edition: str) -> dict:
    lang = get_lang(request)
    board = status_board(accounts_of(request).store, edition=edition, lang=lang)
    import datetime as dt

    from cityindex.review.texts import long_date

    share = f"{board['share_reviewed'] * 100:.0f} %"
    deadline = long_date(dt.date.fromisoformat(board["deadline"]), lang)
    return {**board, "share_text": share, "deadline_text": deadline, "url": f"/team/pruefung/{edition}", "notice": request.query_params.get("ok")}


def queue_context(request: Request, edition: str) -> dict:
    """The inbox: the filters from the query (German names), one page of entries, the choices."""
    q, lang, store = request.query_params, get_lang(request), accounts_of(request).store
    state = q.get("stand") if q.get("stand") in ITEM_STATES + ("changed",) else None
    kind = q.get("art") if q.get("art") in ("correct", "confirm") else "correct"
    choices = queue_choices(store, edition=edition, lang=lang)
    areas, cities = choices["areas"], choices["cities"]
    area = q.get("bereich") if q.get("bereich") in areas else None
    city = q.get("stadt") if q.get("stadt") in cities else None
    found = queue(store, edition=edition, city=city, area=area, state=state, kind=kind, page=number(q.get("seite")),
                  lang=lang)
    url = f"/team/pruefung/{edition}/eingang"
    filters = {"stadt": city or "", "bereich": area or "", "stand": state or "", "art": kind}
    return {**found, "url": url, "board_url": f"/team/pruefung/{edition}", "edition_title": choices["edition_title"],
            "choices": {"cities": cities, "areas": areas, "states": list(ITEM_STATES[1:]) + ["changed"]},
            "query": filters, "back": f"{url}?{urlencode({**filters, 'seite': found['page']})}",
            "pages_urls": _page_urls(url, filters, found), "notice": request.query_params.get("ok"),
            "editable": choices["edition_status"] == "review"}


def _page_urls(url: str, filters: dict, found: dict) -> dict:
    def at(page: int) -> str:
        return f"{url}?{urlencode({**filters, 'seite': page})}"

    return {"prev": at(found["page"] - 1) if found["page"] > 1 else None,
            "next": at(found["page"] + 1) if found["page"] < found["pages"] else None}


# Pages ---------------------------------------------------------------------------------------------

@router.get("/team/pruefung/{edition}.json", summary="The status board of an edition's review round")
def board_json(request: Request, edition: str, account: TeamDep):
    return api(request, board_context(request, edition), cache=False)


@router.get("/team/pruefung/{edition}", include_in_schema=False)
def board_page(request: Request, edition: str, account: TeamDep):
    return form_page(request, "team/review_board.html", board_context(request, edition))


@router.get("/team/pruefung/{edition}/eingang.json", summary="The team's inbox of the cities' entries")
def queue_json(request: Request, edition: str, account: TeamDep):
    return api(request, queue_context(request, edition), cache=False)


@router.get("/team/pruefung/{edition}/eingang", include_in_schema=False)
def queue_page(request: Request, edition: str, account: TeamDep):
    return form_page(request, "team/review_queue.html", {**queue_context(request, edition), "problems": {}})


# Decisions -----------------------------------------------------------------------------------------

@router.post("/team/pruefung/{edition}/entscheidung/{item}", include_in_schema=False)
def decide_entry(request: Request, edition: str, item: int, form: FormDep, account: DeciderDep):
    lang, back = get_lang(request), _local(form.get("back"), f"/team/pruefung/{edition}/eingang")
    try:
        decide(accounts_of(request).store, edition=edition, item_id=item, decision=form.get("decision", ""),
               version=number(form.get("ver")), by=account.email, reason=form.get("reason"))
    except (InvalidEntry, VersionConflict, NotDecidable, ChangedSinceReview) as exc:
        problem = {"code": exc.code, "text": problem_text(exc.code, exc.details, lang)}
        if exc.details.get("problems"):
            problem["text"] = exc.details["problems"][0].text(lang)
        ctx = queue_context(request, edition)
        status = 409 if isinstance(exc, (VersionConflict, ChangedSinceReview)) else 422
        return form_page(request, "team/review_queue.html", {**ctx, "problems": {item: problem}}, status=status)
    return redirect(_with_notice(back, "decided") + f"#e-{item}")


@router.post("/team/pruefung/{edition}/bestaetigungen", include_in_schema=False)
def accept_all_confirmations(request: Request, edition: str, form: FormDep, account: DeciderDep):
    city = form.get("stadt") or None
    accept_confirmations(accounts_of(request).store, edition=edition, by=account.email, city=city)
    return redirect(_with_notice(f"/team/pruefung/{edition}", "bulk"))


def _local(target: str | None, default: str) -> str:
    from cityindex.web.auth import safe_next

    return safe_next(target, default)


def _with_notice(url: str, notice: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}ok={notice}"


# Files ---------------------------------------------------------------------------------------------

@router.get("/team/pruefung/{edition}/nachweis/{upload}", include_in_schema=False)
def evidence_file(request: Request, edition: str, upload: int, account: TeamDep):
    accounts = accounts_of(request)
    info, content = read_upload(accounts.store, edition=edition, upload_id=upload, settings=accounts.settings)
    return attachment(content, info.media_type, info.file_name)


@router.get("/team/pruefung/{edition}/beleg/{city}.pdf", include_in_schema=False)
def receipt_file(request: Request, edition: str, city: str, account: TeamDep):
    from cityindex.web import data

    accounts, found = accounts_of(request), data.city(city)
    pdf = receipt_pdf(accounts.store, edition=edition, city=found.ags, lang=get_lang(request))
    return attachment(pdf, "application/pdf", f"pruefbeleg-{found.slug}-{edition}.pdf")


@router.get("/team/pruefung/{edition}/beleg/{city}", include_in_schema=False)
def receipt(request: Request, edition: str, city: str, account: TeamDep):
    from cityindex.web import data

    html = receipt_html(accounts_of(request).store, edition=edition, city=data.city(city).ags,
                        lang=get_lang(request), css_href=RECEIPT_CSS)
    return HTMLResponse(html, headers={"cache-control": "private, no-store"})


@router.get("/team/pruefung/{edition}/export/{name}", include_in_schema=False, responses=FILE_ERRORS)
def review_export(request: Request, edition: str, name: str, account: TeamDep):
    """The review log and entries: protokoll.csv, eintraege.csv or pruefung.xlsx (both sheets)."""
    from cityindex.errors import UnknownScope

    if name not in EXPORTS:
        raise UnknownScope(f"No export {name!r}; choose one of {', '.join(EXPORTS)}.")
    fmt, table = EXPORTS[name]
    with tempfile.TemporaryDirectory(prefix="cityindex-review-") as tmp:
        files = export_review(accounts_of(request).store, edition=edition, format=fmt, out=tmp)
        path = files[0] if table is None else next(p for p in files if p.stem.endswith(table))
        content = Path(path).read_bytes()
    media = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return attachment(content, media, f"pruefung-{edition}-{name}")
