"""One language at a time: every message exists in German and English, and a rendered page (or CLI
output) in one language holds none of the other language's interface words.

Text the page marks as another language (``lang="en"`` on a German page: a data point's note, an
endpoint summary without translation) and attributions a licence requires verbatim
(``translate="no"``) are left out; proper names (cities, states, publications) contain none of the
listed words.
"""

import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from cityindex.cli import app
from cityindex.cli.core import COMPUTED_LABELS, LABELS
from cityindex.connectors.open_pilot import SOURCE_KEYS
from cityindex.report.narrative import NO_PREVIOUS, NOT_COMPUTED, NOT_PUBLISHED
from cityindex.report.values import VALUE_LABELS
from cityindex.web import attribution, i18n
from cityindex.web.routes.apidocs import SUMMARIES_DE
from cityindex.web.routes.methodology import PRINCIPLES

GERMAN = ["Tendenz", "Verwaltung", "Mobilität", "Gesellschaft", "Kommunikation", "Umwelt", "Punkte",
          "Rang", "Ausgabe", "Quelle", "Quellen", "Lizenz", "Einwohner", "Hinweis", "Städte", "Stadt",
          "berechnet", "veröffentlicht", "Stand", "Bereich", "Themenbereich", "keine", "Wert", "Einheit",
          "nein", "Stärken", "Schwächen", "Verlauf", "Spitze", "Sieger", "Vergleich", "Methodik"]
ENGLISH = ["Rank", "Score", "Change", "Source", "Sources", "Licence", "points", "Population", "Edition",
           "computed", "published", "not", "Strengths", "Weaknesses", "Area", "Value", "Unit", "Note",
           "yes", "none", "cities", "History", "Compare", "Methodology", "Map", "the", "and", "of"]

PAGES = ["/", "/2022/ranking", "/open-2026/ranking", "/2023/ranking/gesellschaft", "/karte?edition=2022",
         "/staedte/oberhausen?edition=2022", "/staedte/oberhausen?edition=open-2026", "/staedte/muenchen?edition=2023",
         "/vergleich?stadt=oberhausen&stadt=bochum&edition=2022", "/methodik", "/downloads", "/quellen",
         "/api/docs", "/staedte", "/gibt-es-nicht", "/open-2026/bewegung", "/open-2023/bewegung?area=mobilitaet",
         "/open-2026/statistik", "/2022/statistik", "/karte?edition=open-2026&colour=comparable_change",
         "/staedte/oberhausen/was-waere-wenn?edition=open-2026&gbfs_feeds_city=7&oklab_any=yes",
         "/staedte/oberhausen/was-waere-wenn?edition=open-2026&gbfs_feeds_city=zwei",
         "/vergleich?stadt=oberhausen&stadt=bochum&edition=open-2026", "/staedte/oberhausen/bericht?edition=open-2026"]
#: Pages of the team and the cities' reviewers (accounts on): (user, URL); ``{edition}`` is an edition in review.
SIGNED_IN = [(None, "/anmelden"), ("analyst@example.org", "/team/"), ("admin@example.org", "/team/admin/"),
             ("admin@example.org", "/team/admin/protokoll"), ("analyst@example.org", "/team/pruefung/{edition}"),
             ("analyst@example.org", "/team/pruefung/{edition}/eingang"), ("pruefung@oberhausen.de", "/pruefung/"),
             ("pruefung@oberhausen.de", "/pruefung/oberhausen/{edition}"),
             ("pruefung@oberhausen.de", "/pruefung/oberhausen/{edition}/bereich/mobilitaet"),
             ("pruefung@oberhausen.de", "/konto")]


class _Text(HTMLParser):
    """Visible text of a page in its own language."""

    SKIP = {"script", "style", "code", "datalist"}

    def __init__(self, lang: str):
        super().__init__()
        self.lang, self.stack, self.parts = lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "meta", "link", "input", "img", "option", "col", "hr"):
            return
        attrs = dict(attrs)
        other = attrs.get("lang") not in (None, self.lang) or attrs.get("translate") == "no"
        self.stack.append(tag in self.SKIP or other or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "meta", "link", "input", "img", "option", "col", "hr"):
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, lang: str) -> str:
    parser = _Text(lang)
    parser.feed(html.split("<body>", 1)[1])
    return re.sub(r"https?://\S+", " ", " ".join(parser.parts))


def foreign_words(text: str, words: list[str]) -> list[str]:
    return sorted({w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)})


# Every message in both languages ----------------------------------------------------------------


@pytest.mark.parametrize("table", [i18n.TEXTS, LABELS, COMPUTED_LABELS, VALUE_LABELS, NOT_PUBLISHED, NOT_COMPUTED,
                                   NO_PREVIOUS, PRINCIPLES], ids=lambda t: type(t).__name__)
def test_every_message_has_both_languages(table):
    de, en = table["de"], table["en"]
    if isinstance(de, str):
        assert de and en and de != en
    elif isinstance(de, dict):
        assert set(de) == set(en)
        assert all(de[k] and en[k] for k in de)
    else:
        assert len(de) == len(en) and all(de) and all(en)


def test_every_endpoint_and_open_pilot_source_has_german_text(client):
    from cityindex.auth.testing import account_settings
    from cityindex.store.testing import fresh_store
    from cityindex.web.app import create_app

    paths = set(client.get("/api/openapi.json").json()["paths"])
    with fresh_store() as store:  # with accounts on, the team's and the reviewers' endpoints are documented too
        paths |= set(create_app(cache_ttl=0, warm=False, settings=account_settings(), store=store).fastapi.openapi()["paths"])
    assert paths - set(SUMMARIES_DE) == set(), "add a German summary to web/routes/apidocs.py"
    assert set(SOURCE_KEYS) <= set(attribution.GERMAN)


# Rendered pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_english_page_holds_no_german_interface_words(client, url):
    html = client.get(url, params={"lang": "en"}).text
    assert foreign_words(visible_text(html, "en"), GERMAN) == []


@pytest.mark.parametrize("url", PAGES)
def test_german_page_holds_no_english_interface_words(client, url):
    html = client.get(url, params={"lang": "de"}).text
    assert foreign_words(visible_text(html, "de"), ENGLISH) == []


@pytest.fixture(scope="module")
def review_edition(accounts_store, open_review_edition):
    """An edition of a FICTIONAL test methodology in review, with made-up values for Oberhausen and Bochum."""
    return open_review_edition(accounts_store)


@pytest.mark.parametrize("user, url", SIGNED_IN, ids=[url for _, url in SIGNED_IN])
def test_signed_in_pages_speak_one_language(visitor, review_edition, user, url):
    client = visitor(user)
    url = url.format(edition=review_edition)
    for lang, words in (("en", GERMAN), ("de", ENGLISH)):
        client.cookies.set("lang", lang)
        response = client.get(url)
        assert response.status_code == 200, url
        assert foreign_words(visible_text(response.text, lang), words) == [], (url, lang)


def test_api_page_renders_its_markdown(client):
    for lang in ("de", "en"):
        html = client.get("/api/docs", params={"lang": lang}).text
        assert "<code>ok</code>" in html and "`" not in visible_text(html, lang)


# CLI --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["city", "Oberhausen", "--edition", "2022"], ["city", "München", "--edition", "2023"],
                                  ["ranking", "--edition", "2023", "--area", "gesellschaft"],
                                  ["city", "Oberhausen", "--edition", "open-2026"],
                                  ["whatif", "Oberhausen", "-e", "open-2026", "--set", "gbfs_feeds_city=7"],
                                  ["levers", "Oberhausen", "-e", "open-2026"], ["movers", "--edition", "open-2026"],
                                  ["diff-method", "open-2025", "open-2026"]])
def test_cli_speaks_one_language(args):
    runner = CliRunner()
    english = runner.invoke(app, [*args, "--lang", "en"])
    german = runner.invoke(app, [*args, "--lang", "de"])
    assert english.exit_code == german.exit_code == 0
    strip = lambda text: re.sub(r"https?://\S+", " ", text)  # noqa: E731
    assert foreign_words(strip(english.output), GERMAN) == []
    assert foreign_words(strip(german.output), ENGLISH) == []
