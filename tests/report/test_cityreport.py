"""The city report: self-contained HTML with the city's numbers; a PDF printed by chromium that holds the rank."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from cityindex.connectors.open_pilot import read_bundle
from cityindex.engine import score
from cityindex.methodology import load_methodology
from cityindex.paths import METHODOLOGY_DIR
from cityindex.report.cityreport import ReportError, city_report, report_context, write_report
from cityindex.report.pdf import ChromiumMissing

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
OBERHAUSEN = "05119000"


@pytest.fixture(scope="module")
def expected():
    """Oberhausen's rank and score in open-2026, computed here from the bundled data points."""
    result = score(load_methodology(METHODOLOGY_DIR / "open-2026.yaml"), read_bundle())
    return int(result.ranks.at[OBERHAUSEN, "overall"]), float(result.overall[OBERHAUSEN]), len(result.cities)


@pytest.fixture(scope="module")
def html_de():
    return city_report("Oberhausen", edition="open-2026", lang="de", target_rank=10)


def test_html_report_holds_rank_areas_levers_plan_and_sources(html_de, expected):
    rank, points, n = expected
    standing = re.search(r'id="standing">([^<]*)<', html_de).group(1)
    assert f"Platz {rank} von {n} mit {points:.1f}".replace(".", ",") in standing
    for heading in ("Platzierung im Zeitverlauf", "Bereiche im Vergleich", "Größte Hebel",
                    "Von vergleichbaren Städten lernen", "Plan: günstigster Weg zu Platz 10", "Werte und Quellen"):
        assert heading in html_de
    assert "Median Ruhrgebiet" in html_de  # areas against the Ruhr neighbours
    assert "geprüft durch Neuberechnung mit score()" in html_de and "Beispielkatalog" in html_de
    assert "https://github.com/okfde/codefor.de" in html_de  # a peer's source
    assert html_de.count("<svg") == 2  # both charts inline


def test_html_report_is_self_contained_and_script_free(html_de):
    assert "<script" not in html_de.lower()
    assert not re.search(r'<(link|img|iframe)\b', html_de, re.I)
    assert not re.search(r'\bsrc="https?:', html_de)


def test_english_report_is_english(expected):
    rank, _, n = expected
    ctx = report_context("Oberhausen", edition="open-2026", lang="en")
    assert ctx["subtitle"].endswith(f"rank {rank} of {n} with {expected[1]:.1f} points")
    assert ctx["plan"] is None and "Platz" not in ctx["narrative"]


def test_pdf_opens_and_holds_the_rank(html_de, expected, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) is missing; scripts/test.sh installs it")
    rank, points, n = expected
    out = write_report(html_de, tmp_path / "oberhausen.pdf", fmt="pdf")
    reader = PdfReader(out)
    assert 2 <= len(reader.pages) <= 8
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"Platz {rank} von {n}" in text and "Bericht für Oberhausen" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(out),
                    str(ARTIFACTS / "report-oberhausen-page1")], check=True, timeout=60)
    assert (ARTIFACTS / "report-oberhausen-page1.png").stat().st_size > 10_000


def test_missing_chromium_says_how_to_install(html_de, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without any browser
    with pytest.raises(ChromiumMissing, match="apt-get install chromium"):
        write_report(html_de, tmp_path / "x.pdf", fmt="pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_bad_report_options(html_de, tmp_path):
    with pytest.raises(ReportError, match="--out: the folder"):
        write_report(html_de, tmp_path / "missing" / "r.html")
    with pytest.raises(ReportError, match="--lang"):
        report_context("Oberhausen", edition="open-2026", lang="fr")
