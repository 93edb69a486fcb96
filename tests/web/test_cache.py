"""The page cache's own rules, through the whole app with the cache on.

Key: path, the route's known query parameters and the language; bounded in entries and bytes;
expiry; errors and Set-Cookie never kept or replayed; ETag, 304 and Cache-Control.
"""

import pytest
from fastapi.testclient import TestClient

from cityindex.settings import Settings
from cityindex.web.app import create_app


def _client(**settings) -> TestClient:
    return TestClient(create_app(warm=False, settings=Settings(**settings)), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def cached():
    with _client() as client:
        yield client


def test_unknown_parameters_neither_bust_the_cache_nor_reach_the_page(cached):
    first = cached.get("/2022/ranking?sort=score&utm_source=junk-1")
    second = cached.get("/2022/ranking?junk-2=x&sort=score")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.headers["x-cache"] == "hit" and second.content == first.content
    assert "junk" not in first.text and "utm_source" not in first.text
    assert cached.get("/2022/ranking?sort=city").headers["x-cache"] == "miss"  # a known parameter is part of the key


def test_language_is_part_of_the_key(cached):
    german = cached.get("/2022/ranking?order=asc")
    english = cached.get("/2022/ranking?order=asc", cookies={"lang": "en"})
    again = cached.get("/2022/ranking?order=asc", cookies={"lang": "en"})
    assert german.headers["content-language"] == "de" and english.headers["content-language"] == "en"
    assert again.headers["x-cache"] == "hit" and again.content == english.content != german.content


def test_set_cookie_is_never_replayed(cached):
    switched = cached.get("/staedte/bochum?lang=en")
    assert "lang=en" in switched.headers["set-cookie"] and switched.headers["cache-control"].startswith("private")
    for _ in range(2):
        page = cached.get("/staedte/bochum", cookies={"lang": "en"})
        assert page.headers["content-language"] == "en" and "set-cookie" not in page.headers


@pytest.mark.parametrize("url", ["/staedte/no-such-city", "/2022/ranking?state=XX", "/no/such/page"])
def test_errors_are_never_kept(cached, url):
    for _ in range(2):
        response = cached.get(url)
        assert response.status_code in (400, 404)
        assert "x-cache" not in response.headers and response.headers["cache-control"] == "no-store"


def test_etag_gives_a_304_and_cache_control_names_the_ttl():
    with _client(web_cache_ttl=30) as client:
        page = client.get("/2022/ranking.json")
        assert page.headers["cache-control"] == "public, max-age=30"
        same = client.get("/2022/ranking.json", headers={"if-none-match": page.headers["etag"]})
        assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == page.headers["etag"]
        other = client.get("/2022/ranking.json", headers={"if-none-match": '"something-else"'})
        assert other.status_code == 200 and other.content == page.content


def test_pages_expire_after_the_ttl():
    now = [1000.0]
    with _client(web_cache_ttl=60) as client:
        client.app.cache.clock = lambda: now[0]
        assert client.get("/methodik").headers["x-cache"] == "miss"
        now[0] += 59
        assert client.get("/methodik").headers["x-cache"] == "hit"
        now[0] += 2
        assert client.get("/methodik").headers["x-cache"] == "miss"


def test_the_cache_is_bounded_in_entries_and_bytes():
    with _client(web_cache_max_entries=3) as client:
        for year in (2019, 2020, 2021, 2022, 2023):
            client.get(f"/{year}/ranking")
        pages = client.app.cache.pages
        assert [key[0] for key in pages.keys()] == ["/2021/ranking", "/2022/ranking", "/2023/ranking"]
    with _client(web_cache_max_mb=0.25) as client:  # 18–35 kB per ranking page: about 10 of the 21 fit
        for year in (2019, 2020, 2021, 2022, 2023, 2024, 2025):
            for sort in ("rank", "city", "score"):
                client.get(f"/{year}/ranking?sort={sort}")
        pages = client.app.cache.pages
        assert 0 < pages.total_bytes <= 0.25 * 2 ** 20 and 5 < len(pages) < 21
        assert pages.total_bytes == sum(e.size for e in [*pages.probation.values(), *pages.protected.values()])
        assert ("/2025/ranking", b"sort=score", "de") in pages  # the most recent stays


def test_pages_asked_for_again_survive_a_flood_of_one_off_urls():
    with _client(web_cache_max_entries=10) as client:
        for _ in range(2):  # the start page and a ranking, each asked for twice: protected
            client.get("/")
            client.get("/2022/ranking")
        for year in (2019, 2020, 2021, 2023, 2024, 2025):  # one-off pages, more than the cache holds
            for order in ("asc", "desc"):
                client.get(f"/{year}/ranking?order={order}")
        assert client.get("/").headers["x-cache"] == "hit"
        assert client.get("/2022/ranking").headers["x-cache"] == "hit"
        assert len(client.app.cache.pages) <= 10
