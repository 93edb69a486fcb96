"""Print HTML to PDF with Debian's Chromium in headless mode (no network, a throwaway profile).

Playwright is a test dependency only; at run time the report is printed by the ``chromium``
binary through ``subprocess``. Without Chromium, one line says how to install it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from cityindex.errors import CityIndexError

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
         "--disable-extensions", "--mute-audio"]
TIMEOUT = 120
#: Chromium runs at the same time at most this often (each takes a few hundred MB); the website
#: refuses more with 503 instead of queueing them (``PrinterBusy``).
PRINTERS = threading.BoundedSemaphore(2)


class ChromiumMissing(CityIndexError):
    """PDF output needs Chromium; install it with `apt-get install chromium` (Debian/Ubuntu) or use --format html."""


class PrintFailed(CityIndexError):
    """Chromium could not print the report to PDF."""


class PrinterBusy(CityIndexError):
    """Too many PDFs are being printed right now; try again in a minute or download the HTML report."""


def chromium() -> str:
    """The path of the Chromium binary, or ``ChromiumMissing``."""
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing()


def print_pdf(html: str, *, timeout: float = TIMEOUT, wait: float | None = None) -> bytes:
    """The PDF bytes of a self-contained HTML document, printed by headless Chromium.

    At most ``PRINTERS`` prints run at once; a caller waits for a free one (``wait`` seconds at
    most, then ``PrinterBusy``; None: as long as it takes).
    """
    binary = chromium()
    if not PRINTERS.acquire(timeout=wait if wait is not None else -1):
        raise PrinterBusy()
    try:
        return _print(binary, html, timeout)
    finally:
        PRINTERS.release()


def _print(binary: str, html: str, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="cityindex-pdf-") as tmp:
        folder = Path(tmp)
        source, target = folder / "report.html", folder / "report.pdf"
        source.write_text(html, encoding="utf-8")
        command = [binary, *FLAGS, f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={target}",
                   source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, cwd=folder, check=False)
        except subprocess.TimeoutExpired:
            raise PrintFailed(f"Chromium did not finish printing the report within {timeout:g} s.") from None
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            raise PrintFailed(f"Chromium could not print the report to PDF (exit status {done.returncode}).")
        return target.read_bytes()
