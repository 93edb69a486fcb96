"""A city's receipt of its review: HTML, and PDF printed by headless Chromium (``report.pdf``).

The receipt lists every entry of the city (confirmed or corrected, the evidence with the
file's checksum, the team's decision and reason) and when and by whom the review was
submitted. On the website it links its stylesheet (``/static/receipt.css``, strict CSP); for
printing the stylesheet is put inside the document, which the same Debian Chromium the browser
tests use prints with background networking off.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from cityindex.paths import PACKAGE_DIR
from cityindex.review.texts import label
from cityindex.review.views import city_sheet
from cityindex.store.db import Store

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The receipt's stylesheet: served by the website as /static/receipt.css, inlined for printing.
CSS = PACKAGE_DIR / "web" / "static" / "receipt.css"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def _sections(sheet: dict) -> list[dict]:
    """Areas with the city's entries: ``[{name, rows: [(indicator name, parameter row)]}]``."""
    out = []
    for area in sheet["areas"]:
        rows = [(i["name"], p) for i in area["indicators"] for p in i["parameters"] if p["item"]]
        if rows:
            out.append({"name": area["name"], "rows": rows})
    return out


def receipt_html(store: Store, *, edition: str, city: str, lang: str = "de", css_href: str | None = None,
                 now: dt.datetime | None = None) -> str:
    """The receipt as a complete HTML document: its stylesheet linked at ``css_href``, or inside it (None)."""
    sheet = city_sheet(store, edition=edition, city=city, lang=lang)
    printed = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    css = None if css_href else Markup(CSS.read_text(encoding="utf-8"))
    return _environment().get_template("receipt.html").render(
        sheet=sheet, sections=_sections(sheet), lang=lang, css_href=css_href, css=css, printed_at=printed,
        L=lambda key, **values: label(key, lang, **values))


def receipt_pdf(store: Store, *, edition: str, city: str, lang: str = "de", wait: float | None = None) -> bytes:
    """The receipt printed to PDF by headless Chromium (``wait``: see ``report.pdf.print_pdf``)."""
    from cityindex.report.pdf import print_pdf

    return print_pdf(receipt_html(store, edition=edition, city=city, lang=lang), wait=wait)
