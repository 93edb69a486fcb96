"""Every page and its JSON twin through the whole app (middleware included), in process."""

from html import unescape

import pytest

from cityindex.web import i18n

PAGES = [
    ("/", "/index.json", "Spitze des Rankings"),
    ("/2022/ranking", "/2022/ranking.json", "Hamburg"),
    ("/2022/ranking/mobilitaet", "/2022/ranking/mobilitaet.json", "Mobilität"),
    ("/staedte", "/staedte.json", "Oberhausen"),
    ("/staedte/oberhausen?edition=2022", "/staedte/oberhausen.json?edition=2022", "Rang 52 von 81"),
    ("/karte?edition=2022", "/karte.json?edition=2022", "GeoBasis-DE / BKG"),
    ("/vergleich?stadt=oberhausen&stadt=bochum&edition=2022", "/vergleich.json?stadt=oberhausen&stadt=bochum&edition=2022", "Bochum"),
    ("/methodik", "/methodik.json", "dl-de/by-2-0"),
    ("/downloads", "/downloads.json", "/downloads/2022.csv"),
]


@pytest.mark.parametrize("html_url, json_url, text", PAGES)
def test_page_and_json_twin(client, html_url, json_url, text):
    html = client.get(html_url)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert text in html.text
    assert '<html lang="de">' in html.text
    body = client.get(json_url).json()
    assert body["ok"] is True and body["status"] == 200 and "data" in body


def test_oberhausen_2022_numbers_in_html_and_json(client):
    html = client.get("/staedte/oberhausen?edition=2022").text
    assert "Rang 52 von 81" in html and "53,8" in html and "+13" in html
    data = client.get("/staedte/oberhausen.json?edition=2022").json()["data"]
    assert data["current"]["rank"] == 52 and data["current"]["score"] == 53.8 and data["current"]["rank_change"] == 13
    first = data["history"][0]
    assert (first["key"], first["rank"], first["score"]) == ("2019", 77, 29.3)
    assert any(s["source"].startswith("https://") for s in data["sources"])
    assert data["narrative"] and "52" in data["narrative"]


def test_ranking_json_top_and_unknown_values_stay_null(client):
    rows = client.get("/2022/ranking.json").json()["data"]["rows"]
    assert [(r["city"], r["score"]) for r in rows[:3]] == [("Hamburg", 86.1), ("München", 85.3), ("Dresden", 81.6)]
    assert any(r["score"] is None for r in rows)  # published gaps are not filled
    ctx = client.get("/2022/ranking.json").json()["data"]
    assert ctx["complete"] is False and ctx["known_ranks"] < ctx["edition"]["n_cities"]


def test_published_ranking_page_says_what_is_not_published(client):
    html = client.get("/2022/ranking").text
    assert "nicht veröffentlicht" in html
    assert "von 81 Städten haben in dieser Ansicht einen Eintrag" in html


def test_ranking_filters_by_region_and_state(client):
    ruhr = client.get("/2022/ranking.json?region=ruhr").json()["data"]["rows"]
    assert ruhr and {r["city"] for r in ruhr} >= {"Oberhausen", "Bochum"} and "Hamburg" not in {r["city"] for r in ruhr}
    by = client.get("/2022/ranking.json?state=BY").json()["data"]["rows"]
    assert by and all(r["state_code"] == "BY" for r in by)


def test_ranking_sort_by_area_puts_unknown_last(client):
    rows = client.get("/2022/ranking.json?sort=mobilitaet").json()["data"]["rows"]
    scores = [r["areas"]["mobilitaet"]["score"] for r in rows]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=True) and scores[: len(known)] == known


def test_sort_by_city_ascending(client):
    rows = client.get("/2022/ranking.json?sort=city&order=asc").json()["data"]["rows"]
    names = [r["city"] for r in rows]
    assert names == sorted(names)


@pytest.mark.parametrize("url, suggestion", [
    ("/staedte/oberhusen", "Oberhausen"),
    ("/1999/ranking", "2019"),
    ("/2022/ranking/mobilitat", "Mobilität"),
    ("/gibt/es/nicht", "Ranking"),
])
def test_unknown_things_give_404_with_suggestions(client, url, suggestion):
    html = client.get(url)
    assert html.status_code == 404 and "Traceback" not in html.text
    assert suggestion in html.text and "Meinten Sie" in html.text
    json_url = url + ".json" if not url.endswith("ranking") else url.replace("/ranking", "/ranking.json")
    body = client.get(json_url).json()
    assert body["ok"] is False and body["status"] == 404
    assert body["error"] and body["errors"] and body["suggestions"]


def test_bad_filter_is_a_400_in_the_envelope(client):
    body = client.get("/2022/ranking.json?state=XX").json()
    assert body == {**body, "ok": False, "status": 400}
    assert "XX" in body["error"]


def test_compare_needs_two_to_five_cities(client):
    assert client.get("/vergleich.json?stadt=oberhausen").status_code == 400
    six = "&".join(f"stadt={s}" for s in ["bochum", "essen", "dortmund", "hagen", "hamm", "herne"])
    assert client.get(f"/vergleich.json?{six}").status_code == 400
    data = client.get("/vergleich.json?stadt=oberhausen&stadt=bochum&edition=2022").json()["data"]
    assert [c["name"] for c in data["cities"]] == ["Oberhausen", "Bochum"]
    assert data["cities"][0]["history"]["2022"]["rank"] == 52 and data["cities"][1]["history"]["2022"]["rank"] == 8


def test_search_redirects_a_unique_typo_to_the_city(client):
    response = client.get("/suche?q=Oberhaus", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staedte/oberhausen"
    results = client.get("/suche.json?q=gladbach").json()["data"]["results"]
    assert {r["name"] for r in results} >= {"Bergisch Gladbach", "Mönchengladbach"}


def test_security_headers_on_pages_json_and_errors(client):
    for url in ("/", "/2022/ranking.json", "/staedte/nirgendwo", "/static/site.css"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_no_inline_script_in_pages(client):
    html = client.get("/staedte/oberhausen").text
    import re

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attrs, body in scripts:
        assert 'src="' in attrs or 'type="application/json"' in attrs
        if 'src="' in attrs:
            assert body.strip() == ""


def test_no_directory_listing(client):
    assert client.get("/static/").status_code == 404
    assert client.get("/static").status_code == 404


def test_english_via_query_sets_cookie_and_cookie_is_remembered(client):
    response = client.get("/staedte/oberhausen?edition=2022&lang=en")
    assert '<html lang="en">' in response.text and "Rank 52 of 81" in response.text
    assert "lang=en" in response.headers["set-cookie"]
    again = client.get("/staedte/oberhausen?edition=2022", cookies={"lang": "en"})
    assert "Rank 52 of 81" in again.text
    client.cookies.clear()


def test_translations_cover_the_same_keys():
    assert set(i18n.TEXTS["de"]) == set(i18n.TEXTS["en"])


def test_vega_bundle_is_served_by_the_app(client):
    response = client.get("/static/vendor/vega-bundle.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert "vegaEmbed" in response.text
    assert client.get("/static/vendor/vega-bundle.js", headers={"if-none-match": response.headers["etag"]}).status_code == 304


def test_chart_downloads_render_svg_and_png(client):
    svg = client.get("/staedte/oberhausen/verlauf.svg")
    assert svg.status_code == 200 and svg.text.lstrip().startswith("<svg")
    png = client.get("/staedte/muenchen/bereiche.png?edition=2022")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_chart_is_drawn_without_values(client):
    """Oberhausen has no published area value in 2022: no chart, one sentence, no download."""
    page = client.get("/staedte/oberhausen?edition=2022").text
    assert 'id="chart-areas"' not in page and "keine Bereichswerte" in page
    assert client.get("/staedte/oberhausen/bereiche.svg?edition=2022").status_code == 404


def test_city_csv_keeps_unknown_cells_empty(client):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(client.get("/staedte/oberhausen.csv").text)))
    row_2022 = next(r for r in rows if r["edition"] == "2022" and r["scope"] == "overall")
    assert (row_2022["rank"], row_2022["score"], row_2022["rank_change"]) == ("52", "53.8", "13")
    row_2025 = next(r for r in rows if r["edition"] == "2025" and r["scope"] == "overall")
    assert row_2025["score"] == ""


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "parquet"])
def test_edition_downloads(client, fmt):
    response = client.get(f"/downloads/2022.{fmt}")
    assert response.status_code == 200 and len(response.content) > 100
    assert "attachment" in response.headers["content-disposition"]


def test_openapi_and_api_docs(client):
    spec = client.get("/api/openapi.json").json()
    assert "/staedte/{name}.json" in spec["paths"] and "/{edition}/ranking.json" in spec["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/staedte/{name}.json" in docs.text


def test_attribution_on_every_page(client):
    for url in ("/", "/2022/ranking", "/staedte/oberhausen", "/karte"):
        html = client.get(url).text
        assert "GeoBasis-DE / BKG" in html and "Destatis" in html and "Bitkom" in html


def test_methodology_and_downloads_carry_every_open_pilot_sources_attribution(client):
    from cityindex.connectors import SOURCES
    from cityindex.connectors.open_pilot import SOURCE_KEYS

    for url in ("/methodik", "/downloads"):
        page = unescape(client.get(url).text)
        for key in SOURCE_KEYS:
            assert SOURCES[key].attribution in page, (url, key)
    english = {s["name"] for s in client.get("/methodik.json?lang=en").json()["data"]["sources"]}
    client.cookies.clear()  # ?lang=en set the language cookie
    assert {SOURCES[key].title for key in SOURCE_KEYS} <= english
    german = {s["name"] for s in client.get("/methodik.json?lang=de").json()["data"]["sources"]}
    assert "Breitbandatlas (Bundesnetzagentur, Gigabit-Grundbuch), historisches Paket 3" in german


def test_history_lists_every_edition_and_keeps_gaps_unknown(client):
    history = client.get("/staedte/oberhausen.json").json()["data"]["history"]
    assert [h["key"] for h in history][:7] == ["2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    h2021 = next(h for h in history if h["key"] == "2021")
    assert h2021["known"] is False and h2021["rank"] is None and h2021["score"] is None


def test_error_page_speaks_the_page_language(client):
    assert "Keine Stadt des Verzeichnisses heißt „oberhusen“" in client.get("/staedte/oberhusen").text
    english = client.get("/staedte/oberhusen", cookies={"lang": "en"}).text
    assert "No city of the register is called" in english and "Did you mean" in english
    client.cookies.clear()


def test_ranking_names_the_ranks_that_are_not_published(client):
    ctx = client.get("/2022/ranking.json").json()["data"]
    known = {r["rank"] for r in ctx["rows"] if r["rank"] is not None}
    missing = set()
    for part in ctx["missing_ranks"].split(", "):
        low, _, high = part.partition("–")
        missing |= set(range(int(low), int(high or low) + 1))
    assert missing.isdisjoint(known) and missing | known == set(range(1, 82))
    assert set(range(61, 71)) <= known  # the complete Bitkom table 61–70 of 2022
    assert "Plätze ohne veröffentlichte Stadt" in client.get("/2022/ranking").text


def test_open_pilot_edition_is_served_by_default_and_labelled(client):
    home = client.get("/index.json").json()["data"]
    assert home["edition"]["key"] == "open-2026" and home["edition"]["kind"] == "computed"
    assert any("nicht vergleichbar" in note for note in home["notes"])
    ranking = client.get("/open-2026/ranking.json").json()["data"]
    assert ranking["complete"] is True and ranking["count"] == 82


def test_area_winners_report_ties_at_rank_one(client):
    winners = client.get("/index.json").json()["data"]["winners"]
    for w in winners:
        rows = client.get(f"/open-2026/ranking/{w['code']}.json").json()["data"]["rows"]
        assert w["tied"] + 1 == sum(1 for r in rows if r["rank"] == 1)


def test_every_aria_labelledby_names_an_element_of_the_page(client):
    import re

    for url in ("/", "/2022/ranking", "/staedte/oberhausen", "/karte", "/methodik", "/downloads",
                "/vergleich?staedte=oberhausen,bochum", "/api/docs"):
        html = client.get(url).text
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for target in re.findall(r'aria-labelledby="([^"]+)"', html):
            assert set(target.split()) <= ids, (url, target)


def test_api_docs_table_headers_follow_the_language(client):
    assert '<th scope="col">Methode</th>' in client.get("/api/docs?lang=de").text
    assert '<th scope="col">Method</th>' in client.get("/api/docs?lang=en").text


def test_the_ranking_link_of_a_page_without_an_edition_opens_the_latest_edition(client):
    from cityindex.web import data

    latest = data.latest_edition().key
    for url in ("/methodik", "/staedte", "/downloads"):
        assert f'<a href="/{latest}/ranking"' in client.get(url).text, url


@pytest.mark.parametrize("url", ["/2022/ranking?state=XX", "/karte?colour=rot", "/vergleich?stadt=oberhausen"])
def test_a_bad_parameter_is_explained_in_the_page_language(client, url):
    from cityindex.web import i18n

    for lang in i18n.LANGS:
        response = client.get(f"{url}&lang={lang}")
        assert response.status_code == 400
        key = {"state": "bad_filter", "colour": "bad_colouring", "stadt": "compare_count"}[url.split("?")[1].split("=")[0]]
        expected = i18n.TEXTS[lang][key].split("{name}")[0]
        assert expected in unescape(response.text), (url, lang)


def test_every_table_has_a_caption(client):
    import re

    for url in ("/", "/2022/ranking", "/staedte", "/staedte/oberhausen", "/staedte/oberhausen?edition=open-2026",
                "/karte", "/methodik", "/downloads", "/vergleich?stadt=oberhausen&stadt=bochum", "/api/docs"):
        for table in re.findall(r"<table\b.*?</table>", client.get(url).text, re.S):
            assert re.match(r"<table[^>]*>\s*<caption", table), (url, table[:120])


def test_head_answers_like_get_without_a_body(client):
    for url in ("/", "/2022/ranking", "/staedte/oberhausen.json", "/static/site.css"):
        head, get = client.head(url), client.get(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
        assert "content-security-policy" in head.headers
    assert client.head("/staedte/zzz").status_code == 404
    assert client.post("/2022/ranking").status_code == 405


def test_a_routes_own_404_message_is_kept(client):
    response = client.get("/downloads/2022/export-csv.zip", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"] == "Published editions have no store export; use the files above."
    page = client.get("/staedte/oberhausen/bereiche.svg?edition=2022&lang=de", headers={"accept": "text/html"})
    assert "This city has no values to draw" in page.text and "Diese Seite gibt es nicht." in page.text
    assert client.get("/gibt-es-nicht.json").json()["error"] == "No page at /gibt-es-nicht.json."


def test_responses_are_gzipped_for_clients_that_accept_it(client):
    packed = client.get("/2022/ranking", headers={"accept-encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["vary"] and "Cookie" in packed.headers["vary"]
    plain = client.get("/2022/ranking", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert packed.text == plain.text  # the client unpacks the same page
    assert packed.num_bytes_downloaded < len(plain.content) / 3
    head = client.head("/2022/ranking", headers={"accept-encoding": "gzip"})
    assert int(head.headers["content-length"]) == packed.num_bytes_downloaded and head.content == b""
    png = client.get("/staedte/muenchen/bereiche.png?edition=2022", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in png.headers  # already compressed formats pass through
