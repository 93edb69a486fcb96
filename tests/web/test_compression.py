"""The gzip layer (web/compression.py) with downloads, validators and private pages.

Text downloads are compressed and unpack to the same file with the same ETag; a 304 stays empty;
binary files (XLSX, PNG) pass through byte for byte; private pages are never compressed (they
carry CSRF tokens next to text a visitor typed, which compression would expose: BREACH).
"""

import io

from openpyxl import load_workbook

GZIP = {"accept-encoding": "gzip"}
PLAIN = {"accept-encoding": "identity"}


def test_a_csv_download_is_compressed_and_unpacks_to_the_same_file(client):
    packed = client.get("/downloads/2022.csv", headers=GZIP)
    plain = client.get("/downloads/2022.csv", headers=PLAIN)
    assert packed.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert packed.num_bytes_downloaded < len(plain.content) / 2
    assert packed.content == plain.content  # as the client unpacks it
    assert packed.headers["etag"] == plain.headers["etag"]
    assert packed.headers["content-disposition"] == plain.headers["content-disposition"]
    again = client.get("/downloads/2022.csv", headers={**GZIP, "if-none-match": packed.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and "content-encoding" not in again.headers


def test_a_workbook_passes_through_unchanged_with_its_validator(client):
    packed = client.get("/downloads/2022.xlsx", headers=GZIP)
    plain = client.get("/downloads/2022.xlsx", headers=PLAIN)
    assert "content-encoding" not in packed.headers and packed.content == plain.content
    assert load_workbook(io.BytesIO(packed.content)).sheetnames
    again = client.get("/downloads/2022.xlsx", headers={**GZIP, "if-none-match": packed.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_cached_page_answers_304_to_its_etag_with_gzip(visitor):
    anonymous = visitor()  # the accounts app keeps pages in its cache (ttl 60), as in production
    first = anonymous.get("/2023/ranking", headers=GZIP)
    second = anonymous.get("/2023/ranking", headers=GZIP)
    assert first.headers["content-encoding"] == second.headers["content-encoding"] == "gzip"
    assert second.headers["x-cache"] == "hit" and second.content == first.content
    again = anonymous.get("/2023/ranking", headers={**GZIP, "if-none-match": second.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and "content-encoding" not in again.headers


def test_private_pages_are_never_compressed(visitor):
    sign_in_page = visitor().get("/anmelden", headers=GZIP)
    assert sign_in_page.status_code == 200 and "content-encoding" not in sign_in_page.headers
    analyst = visitor("analyst@example.org")
    for url in ("/team/", "/2022/ranking"):  # a signed-in visitor's public pages bypass the cache and gzip too
        page = analyst.get(url, headers=GZIP)
        assert page.status_code == 200 and "content-encoding" not in page.headers, url
        assert page.headers["cache-control"] == "private, no-store"


def test_gzip_refused_with_q_0_is_not_sent(client):
    page = client.get("/2022/ranking", headers={"accept-encoding": "gzip;q=0, identity"})
    assert page.status_code == 200 and "content-encoding" not in page.headers


def test_the_compressed_bodies_kept_are_bounded_in_bytes():
    from fastapi.testclient import TestClient

    from cityindex.web.app import create_app
    from cityindex.web.compression import Gzip

    layer = Gzip(create_app(cache_ttl=0, warm=False).fastapi, memo_bytes=160_000)  # the routes, not yet compressed
    with TestClient(layer) as client:
        pages = ["/2019/ranking", "/2020/ranking", "/2022/ranking", "/2023/ranking", "/2024/ranking", "/methodik"]
        sizes = [client.get(url, headers=GZIP).num_bytes_downloaded for url in pages]
    assert all(sizes) and 0 < layer.memo_total <= 160_000 and 0 < len(layer.memo) < len(pages)
