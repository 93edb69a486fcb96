"""A city's receipt of its review: HTML, and PDF printed by headless Chromium.

The receipt lists every entry of the city (confirmed or corrected, the evidence with the
file's checksum, the team's decision and reason) and when and by whom the review was
submitted. The PDF is printed by the same Debian Chromium the browser tests use, started as
a subprocess (setting ``chromium``); it loads only the local receipt file, with background
networking off.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import jinja2

from cityindex.paths import PACKAGE_DIR
from cityindex.review.errors import ReceiptError
from cityindex.review.texts import label
from cityindex.review.views import city_sheet
from cityindex.settings import Settings, get_settings
from cityindex.store.db import Store

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The receipt's stylesheet: served by the website as /static/receipt.css, copied beside a printed receipt.
CSS = PACKAGE_DIR / "web" / "static" / "receipt.css"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"]
PDF_TIMEOUT = 90


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


def receipt_html(store: Store, *, edition: str, city: str, lang: str = "de", css_href: str = "receipt.css",
                 now: dt.datetime | None = None) -> str:
    """The receipt as a complete HTML document (its stylesheet at ``css_href``)."""
    sheet = city_sheet(store, edition=edition, city=city, lang=lang)
    printed = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    return _environment().get_template("receipt.html").render(
        sheet=sheet, sections=_sections(sheet), lang=lang, css_href=css_href, printed_at=printed,
        L=lambda key, **values: label(key, lang, **values))


def receipt_pdf(store: Store, *, edition: str, city: str, lang: str = "de",
                settings: Settings | None = None) -> bytes:
    """The receipt printed to PDF by headless Chromium."""
    html = receipt_html(store, edition=edition, city=city, lang=lang)
    return print_pdf(html, settings=settings)


def print_pdf(html: str, *, settings: Settings | None = None) -> bytes:
    """Print one HTML document (its stylesheet ``receipt.css`` beside it) with headless Chromium."""
    settings = settings or get_settings()
    browser = shutil.which(settings.chromium)
    if browser is None:
        raise ReceiptError(f"Chromium ({settings.chromium!r}) is not installed; install Debian's chromium or "
                           "set CITYINDEX_CHROMIUM to its path.")
    with tempfile.TemporaryDirectory(prefix="cityindex-receipt-") as tmp:
        folder = Path(tmp)
        (folder / "receipt.html").write_text(html, encoding="utf-8")
        shutil.copyfile(CSS, folder / "receipt.css")
        out = folder / "receipt.pdf"
        command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={out}",
                   (folder / "receipt.html").as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReceiptError(f"Chromium did not print the receipt within {PDF_TIMEOUT} s.") from None
        data = out.read_bytes() if out.is_file() else b""
    if not data.startswith(b"%PDF-"):
        raise ReceiptError("Chromium did not print the receipt (no PDF was written).")
    return data
