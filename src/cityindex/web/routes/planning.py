"""What-if and the city report: ``/staedte/{name}/was-waere-wenn`` (+ ``.json``) and
``/staedte/{name}/bericht`` (HTML download), ``bericht.pdf`` and ``bericht.json``.

Registered before the city routes, whose ``/staedte/{name}/{chart}.{fmt}`` would match these paths.
"""

import logging

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from cityindex.web import data, planning
from cityindex.web.deps import LangDep, api, api_error, page
from cityindex.web.auth import PUBLIC
from cityindex.web.envelope import FILE_ERRORS, RESPONSES

router = APIRouter(tags=["planning"], responses=RESPONSES, dependencies=[PUBLIC])
log = logging.getLogger("cityindex.web")

PDF_WAIT = 20.0  # seconds a request waits for a free PDF printer before it gets 503

#: The report is a standalone document: no script at all, its own inline styles allowed.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _whatif(name: str, lang: str, edition: str | None, request: Request):
    city = data.city(name)
    view = planning.whatif_view(edition, city)
    return planning.whatif_context(city, view, lang, dict(request.query_params))


@router.get("/staedte/{name}/was-waere-wenn.json",
            summary="What-if: the city's scores and ranks with other values (query: PARAMETER=VALUE …)")
def whatif_json(request: Request, name: str, lang: LangDep, edition: str | None = None):
    ctx, errors, message = _whatif(name, lang, edition, request)
    if errors:
        return api_error(400, message, errors=errors)
    return api(request, ctx, cache=False)


@router.get("/staedte/{name}/was-waere-wenn", include_in_schema=False)
def whatif_page(request: Request, name: str, lang: LangDep, edition: str | None = None):
    ctx, errors, _ = _whatif(name, lang, edition, request)
    return page(request, "whatif.html", {**ctx, "errors": errors}, lang=lang, status=400 if errors else 200,
                cache=False)


# The what-if reads PARAMETER=VALUE pairs the route cannot declare: the page cache passes them on.
whatif_json.open_query = whatif_page.open_query = True  # type: ignore[attr-defined]


def _report_context(name: str, lang: str, edition: str | None, target_rank: int | None) -> dict:
    from cityindex.report.cityreport import report_context

    city = data.city(name)
    view = planning.whatif_view(edition, city)
    return report_context(city.ags, edition=view, lang=lang, target_rank=target_rank)


def _download(body: bytes, media: str, ctx: dict, suffix: str) -> Response:
    filename = f"bericht-{data.city(ctx['ags']).slug}-{ctx['edition']}-{ctx['lang']}.{suffix}"
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="{filename}"', "content-security-policy": REPORT_CSP})


@router.get("/staedte/{name}/bericht.json", summary="The city report's content (computed editions)")
def report_json(request: Request, name: str, lang: LangDep, edition: str | None = None, ziel: int | None = None):
    return api(request, _report_context(name, lang, edition, ziel))


@router.get("/staedte/{name}/bericht", summary="The city report as one HTML file (download)",
            responses={200: {"content": {"text/html": {}}, "description": "HTML file"}, **FILE_ERRORS})
def report_html(name: str, lang: LangDep, edition: str | None = None, ziel: int | None = None):
    from cityindex.report.cityreport import render_report

    ctx = _report_context(name, lang, edition, ziel)
    return _download(render_report(ctx).encode("utf-8"), "text/html; charset=utf-8", ctx, "html")


@router.get("/staedte/{name}/bericht.pdf", summary="The city report as PDF (printed by chromium)",
            responses={200: {"content": {"application/pdf": {}}, "description": "PDF file"}, **FILE_ERRORS})
def report_pdf(name: str, lang: LangDep, edition: str | None = None, ziel: int | None = None):
    from cityindex.report.cityreport import render_report
    from cityindex.report.pdf import ChromiumMissing, PrinterBusy, PrintFailed, print_pdf
    from cityindex.web.routes.downloads import built

    ctx = _report_context(name, lang, edition, ziel)
    view = planning.whatif_view(edition, data.city(name))
    try:  # built once per edition version, city, language and target; at most two prints at a time
        body, _ = built(view, f"bericht-{ctx['ags']}-{lang}-{ziel}.pdf",
                        lambda: print_pdf(render_report(ctx), wait=PDF_WAIT))
    except PrinterBusy:
        raise HTTPException(503, "Too many PDF reports are being made right now; try again in a minute.",
                            headers={"Retry-After": "60"}) from None
    except (ChromiumMissing, PrintFailed):  # a server matter: the visitor gets no paths or tool output
        log.exception("PDF report failed")
        raise HTTPException(503, "The PDF cannot be made on this server right now; download the HTML report.") from None
    return _download(body, "application/pdf", ctx, "pdf")
