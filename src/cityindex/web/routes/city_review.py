"""A city's review of an edition under ``/pruefung/{city}/{edition}`` (issue 8).

The overview (progress per area, confirm the rest, submit, receipt), one form per area (confirm or
correct each value, with evidence), answers to the team's questions, the city's own evidence
files and its receipt. City-scoped: a city user reaches only its own cities — any other city, by
slug, name or AGS, is refused, and entries or files of another city do not exist for it.
Reading needs ``city.read``, changing ``city.write``; every form is CSRF-checked and answered
with a redirect (303) or the page again with the problems marked.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from cityindex.auth.policy import Account, Permission, allowed
from cityindex.errors import UnknownScope
from cityindex.review import (AlreadySubmitted, CampaignClosed, Entry, InvalidEntry, NotDecidable, UploadRefused,
                              VersionConflict, answer_question, city_sheet, confirm_remaining, read_upload,
                              receipt_html, receipt_pdf, save_entries, store_upload, submit_review)
from cityindex.review.texts import long_date, problem_text
from cityindex.web.auth import PRIVATE_RESPONSES, accounts_of, allow, form_page, redirect
from cityindex.web.deps import api, get_lang
from cityindex.web.review_forms import Posted, area_entries, form_values, number, posted_form

ReaderDep = Annotated[Account, Depends(allow(Permission.CITY_READ, city="city"))]
WriterDep = Annotated[Account, Depends(allow(Permission.CITY_WRITE, city="city"))]
router = APIRouter(tags=["review"], responses=PRIVATE_RESPONSES)
REFUSALS = (InvalidEntry, VersionConflict, AlreadySubmitted, CampaignClosed, NotDecidable)
RECEIPT_CSS = "/static/receipt.css"
log = logging.getLogger("cityindex.web")


def _slug(ags: str) -> str:
    from cityindex.web import data

    return data.city(ags).slug


def sheet_context(request: Request, city: str, edition: str, account: Account) -> dict:
    """The city's sheet with what the pages need: progress per area, links, may the visitor write."""
    lang = get_lang(request)
    sheet = city_sheet(accounts_of(request).store, edition=edition, city=city, lang=lang)
    url = f"/pruefung/{_slug(sheet['city'])}/{sheet['edition']}"
    for area in sheet["areas"]:
        rows = _parameters(area)
        area.update(total=len(rows), reviewed=sum(p["item"] is not None for p in rows),
                    asked=sum(p["item"] is not None and p["item"]["state"] == "asked" for p in rows),
                    url=f"{url}/bereich/{area['code']}")
    writer = allowed(account, Permission.CITY_WRITE, city=sheet["city"])
    round_open = sheet["campaign_state"] == "open" and sheet["edition_status"] == "review"
    return {**sheet, "url": url, "writable": sheet["editable"] and writer, "answerable": round_open and writer,
            "asked": sum(a["asked"] for a in sheet["areas"]),
            "deadline_text": long_date(dt.date.fromisoformat(sheet["deadline"]), lang),
            "notice": request.query_params.get("ok")}


def _area(ctx: dict, code: str) -> dict:
    for area in ctx["areas"]:
        if area["code"] == code:
            return area
    raise UnknownScope(f"Edition {ctx['edition']!r} has no area {code!r}.")


def _parameters(area: dict) -> list[dict]:
    return [p for i in area["indicators"] for p in i["parameters"]]


def _problems(exc, lang: str) -> dict[str, dict]:
    """A refusal as ``{parameter: {code, text}}`` (``""``: the whole form)."""
    found = exc.details.get("problems") or []
    if found:
        return {p.parameter: {"code": p.code, "text": p.text(lang)} for p in found}
    return {"": {"code": exc.code, "text": problem_text(exc.code, exc.details, lang)}}


# Pages ---------------------------------------------------------------------------------------------

@router.get("/pruefung/{city}/{edition}.json", summary="A city's review of an edition: every value and entry")
def review_sheet_json(request: Request, city: str, edition: str, account: ReaderDep):
    return api(request, sheet_context(request, city, edition, account), cache=False)


@router.get("/pruefung/{city}/{edition}", include_in_schema=False)
def review_sheet(request: Request, city: str, edition: str, account: ReaderDep):
    return form_page(request, "pruefung/edition.html", sheet_context(request, city, edition, account))


@router.get("/pruefung/{city}/{edition}/bereich/{area}.json", summary="One area of a city's review")
def review_area_json(request: Request, city: str, edition: str, area: str, account: ReaderDep):
    ctx = sheet_context(request, city, edition, account)
    return api(request, {**ctx, "areas": [_area(ctx, area)]}, cache=False)


@router.get("/pruefung/{city}/{edition}/bereich/{area}", include_in_schema=False)
def review_area(request: Request, city: str, edition: str, area: str, account: ReaderDep):
    ctx = sheet_context(request, city, edition, account)
    return form_page(request, "pruefung/area.html", {**ctx, "area": _area(ctx, area), "problems": {},
                                                     "values": {}, "kept": {}})


# Changes -------------------------------------------------------------------------------------------

@router.post("/pruefung/{city}/{edition}/bereich/{area}", include_in_schema=False)
async def save_area(request: Request, city: str, edition: str, area: str, account: WriterDep):
    posted = await posted_form(request)
    ctx = sheet_context(request, city, edition, account)
    parameters = _parameters(_area(ctx, area))
    lang, store = get_lang(request), accounts_of(request).store
    entries = area_entries(posted, parameters)
    kept, problems = _store_files(request, posted, entries, ctx, account)
    if not problems:
        entries = [replace(e, upload_id=kept[e.parameter]["id"]) if e.parameter in kept else e for e in entries]
        try:
            save_entries(store, edition=edition, city=ctx["city"], entries=entries, by=account.email, lang=lang)
            return redirect(f"{ctx['url']}/bereich/{area}?ok=saved")
        except REFUSALS as exc:
            problems = _problems(exc, lang)
    conflict = any(p["code"] == "version-conflict" for p in problems.values())
    ctx = sheet_context(request, city, edition, account)
    return form_page(request, "pruefung/area.html", {**ctx, "area": _area(ctx, area), "problems": problems,
                                                     "values": form_values(posted, parameters), "kept": kept},
                     status=409 if conflict else 422)


def _store_files(request: Request, posted: Posted, entries: list[Entry], ctx: dict,
                 account: Account) -> tuple[dict, dict]:
    """Keep the evidence files of the corrections; returns (kept uploads, problems), by parameter."""
    kept, problems = {}, {}
    accounts = accounts_of(request)
    for entry in entries:
        file = posted.files.get(f"f_{entry.parameter}")
        if entry.kind != "correct" or file is None:
            continue
        try:
            info = store_upload(accounts.store, edition=ctx["edition"], city=ctx["city"], data=file[1],
                                file_name=file[0], by=account.email, settings=accounts.settings)
        except REFUSALS + (UploadRefused,) as exc:
            code = exc.details.get("problem", exc.code)
            problems[entry.parameter] = {"code": code, "text": problem_text(code, exc.details, get_lang(request))}
            continue
        kept[entry.parameter] = info.as_dict()
    return kept, problems


def _action(request: Request, ctx: dict, work, ok: str):
    """Run one change of the overview; a refusal shows the overview again with the reason."""
    try:
        work()
    except REFUSALS as exc:
        problems = _problems(exc, get_lang(request))
        return form_page(request, "pruefung/edition.html", {**ctx, "problems": problems}, status=409)
    return redirect(f"{ctx['url']}?ok={ok}")


@router.post("/pruefung/{city}/{edition}/bestaetigen", include_in_schema=False)
async def confirm_rest(request: Request, city: str, edition: str, account: WriterDep):
    await posted_form(request)
    ctx = sheet_context(request, city, edition, account)
    store = accounts_of(request).store
    return _action(request, ctx, lambda: confirm_remaining(store, edition=edition, city=ctx["city"],
                                                           by=account.email), "confirmed")


@router.post("/pruefung/{city}/{edition}/abschliessen", include_in_schema=False)
async def submit(request: Request, city: str, edition: str, account: WriterDep):
    await posted_form(request)
    ctx = sheet_context(request, city, edition, account)
    store = accounts_of(request).store
    return _action(request, ctx, lambda: submit_review(store, edition=edition, city=ctx["city"], by=account.email),
                   "submitted")


@router.post("/pruefung/{city}/{edition}/antwort/{item}", include_in_schema=False)
async def answer(request: Request, city: str, edition: str, item: int, account: WriterDep):
    posted = await posted_form(request)
    ctx = sheet_context(request, city, edition, account)
    fields, lang, accounts = posted.fields, get_lang(request), accounts_of(request)
    entry = None
    if fields.get("v"):
        entry = Entry("", "correct", value=fields.get("v"), evidence_url=fields.get("u"), comment=fields.get("c"))
    try:
        if entry is not None and "f" in posted.files:
            name, data = posted.files["f"]
            upload = store_upload(accounts.store, edition=edition, city=ctx["city"], data=data, file_name=name,
                                  by=account.email, settings=accounts.settings)
            entry = replace(entry, upload_id=upload.id)
        answer_question(accounts.store, edition=edition, city=ctx["city"], item_id=item,
                        version=number(fields.get("ver")), body=fields.get("body"), by=account.email, entry=entry,
                        lang=lang)
    except REFUSALS + (UploadRefused,) as exc:
        return _answer_refused(request, ctx, item, exc, lang)
    return redirect(f"{ctx['url']}?ok=answered")


def _answer_refused(request: Request, ctx: dict, item: int, exc, lang: str):
    """The area of the entry again, the problem at the entry (or at the top when it is not this city's)."""
    code = exc.details.get("problem")
    problem = {"code": code, "text": problem_text(code, exc.details, lang)} if code else \
        next(iter(_problems(exc, lang).values()))
    status = 409 if isinstance(exc, VersionConflict) else 422
    for area in ctx["areas"]:
        for p in _parameters(area):
            if p["item"] and p["item"]["id"] == item:
                return form_page(request, "pruefung/area.html", {**ctx, "area": area, "values": {}, "kept": {},
                                                                 "problems": {p["code"]: problem}}, status=status)
    return form_page(request, "pruefung/edition.html", {**ctx, "problems": {"": problem}}, status=status)


# Files ---------------------------------------------------------------------------------------------

def attachment(data: bytes, media_type: str, file_name: str) -> Response:
    """A file the browser saves and never renders or sniffs."""
    return Response(data, media_type=media_type, headers={
        "content-disposition": f'attachment; filename="{file_name}"', "x-content-type-options": "nosniff",
        "cache-control": "private, no-store"})


@router.get("/pruefung/{city}/{edition}/nachweis/{upload}", include_in_schema=False)
def evidence_file(request: Request, city: str, edition: str, upload: int, account: ReaderDep):
    from cityindex.web import data

    accounts = accounts_of(request)
    info, content = read_upload(accounts.store, edition=edition, upload_id=upload, city=data.city(city).ags,
                                settings=accounts.settings)
    return attachment(content, info.media_type, info.file_name)


@router.get("/pruefung/{city}/{edition}/beleg", include_in_schema=False)
def receipt(request: Request, city: str, edition: str, account: ReaderDep):
    from cityindex.web import data

    html = receipt_html(accounts_of(request).store, edition=edition, city=data.city(city).ags,
                        lang=get_lang(request), css_href=RECEIPT_CSS)
    return HTMLResponse(html, headers={"cache-control": "private, no-store"})


@router.get("/pruefung/{city}/{edition}/beleg.pdf", include_in_schema=False)
def receipt_file(request: Request, city: str, edition: str, account: ReaderDep):
    from cityindex.web import data

    from cityindex.report.pdf import ChromiumMissing, PrinterBusy, PrintFailed
    from cityindex.web.routes.planning import PDF_WAIT

    accounts, ags = accounts_of(request), data.city(city).ags
    try:
        pdf = receipt_pdf(accounts.store, edition=edition, city=ags, lang=get_lang(request), wait=PDF_WAIT)
    except (PrinterBusy, ChromiumMissing, PrintFailed) as exc:  # the server's matter: no tool output shown
        log.warning("Receipt PDF not made: %s", type(exc).__name__)
        raise HTTPException(503, "The PDF cannot be made right now; try again in a minute or print the receipt page.",
                            headers={"Retry-After": "60"}) from None
    return attachment(pdf, "application/pdf", f"pruefbeleg-{_slug(ags)}-{edition}.pdf")
