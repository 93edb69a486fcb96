"""Download with cache and provenance sidecar, over httpx's in-process transport (no network)."""

import hashlib

import httpx
import pytest
import yaml

from cityindex.connectors import gbfs
from cityindex.connectors.base import ChecksumMismatch, DownloadError, download

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors"


def _client(handler):
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_download_writes_file_and_sidecar_and_reuses_todays_copy(tmp_path):
    calls = []
    body = (DATA / "open_pilot_raw" / "MobilityData__gbfs__systems.csv").read_bytes()

    def handler(request):
        calls.append(request.url)
        return httpx.Response(200, content=body)

    snap = download(gbfs.DOWNLOAD_URL, source=gbfs.SOURCE, cache_dir=tmp_path, client=_client(handler))
    sidecar = yaml.safe_load(snap.path.with_name(snap.path.name + ".source.yml").read_text())
    assert sidecar["sha256"] == hashlib.sha256(body).hexdigest() and sidecar["size"] == len(body)
    assert sidecar["url_download"] == gbfs.DOWNLOAD_URL and sidecar["license"] == gbfs.SOURCE.licence
    assert snap.path.parent.parent.name == "gbfs" and snap.uri.startswith("source://gbfs/")
    again = download(gbfs.DOWNLOAD_URL, source=gbfs.SOURCE, cache_dir=tmp_path, client=_client(handler))
    assert len(calls) == 1 and again.read() == body


def test_a_changed_cached_file_is_refused(tmp_path):
    snap = download("https://example.org/a.csv", source=gbfs.SOURCE, cache_dir=tmp_path,
                    client=_client(lambda r: httpx.Response(200, content=b"a,b\n")))
    snap.path.write_bytes(b"tampered")
    with pytest.raises(ChecksumMismatch):
        snap.read()


def test_server_errors_are_retried_then_reported(tmp_path, monkeypatch):
    monkeypatch.setattr("cityindex.connectors.base.time.sleep", lambda s: None)
    attempts = []

    def handler(request):
        attempts.append(1)
        return httpx.Response(503)

    with pytest.raises(DownloadError, match="HTTP 503 after 3 attempts"):
        download("https://example.org/x.csv", source=gbfs.SOURCE, cache_dir=tmp_path, client=_client(handler))
    assert len(attempts) == 3 and not list(tmp_path.rglob("*.csv"))


def test_not_found_is_not_retried(tmp_path):
    with pytest.raises(DownloadError, match="HTTP 404"):
        download("https://example.org/x.csv", source=gbfs.SOURCE, cache_dir=tmp_path,
                 client=_client(lambda r: httpx.Response(404)))


def test_collect_downloads_parses_and_assigns(tmp_path):
    from cityindex.connectors.collect import collect

    body = (DATA / "open_pilot_raw" / "MobilityData__gbfs__systems.csv").read_bytes()
    result = collect("gbfs", cache_dir=tmp_path, client=_client(lambda r: httpx.Response(200, content=body)))
    values = result.values.set_index("ags")
    assert values.value["08311000"] == "6"  # Freiburg im Breisgau
    assert (values.source_url == gbfs.DOWNLOAD_URL).all()
    assert result.snapshot is not None and result.snapshot.path.exists()


def test_collect_gbfs_stations_follows_auto_discovery_through_the_cache(tmp_path):
    from cityindex.connectors.collect import collect

    catalogue = (b"Country Code,Name,Location,System ID,URL,Auto-Discovery URL\n"
                 b"DE,Example,K\xc3\xb6ln,example,https://example.org,https://gbfs.example.org/example/gbfs.json\n")
    files = {
        gbfs.DOWNLOAD_URL: catalogue,
        "https://gbfs.example.org/example/gbfs.json": (DATA / "gbfs_auto_discovery_sample.json").read_bytes(),
        "https://gbfs.example.org/example/de/station_information.json":
            (DATA / "gbfs_station_information_sample.json").read_bytes(),
    }
    client = _client(lambda r: httpx.Response(200, content=files[str(r.url)]))
    result = collect("gbfs-stations", cache_dir=tmp_path, client=client)
    assert result.values.set_index("ags").value["05315000"] == "2"
    assert len(list(tmp_path.rglob("*.source.yml"))) == 3


def test_files_with_the_same_name_from_different_urls_are_cached_apart(tmp_path):
    a = download("https://a.example.org/de/station_information.json", source=gbfs.SOURCE, cache_dir=tmp_path,
                 client=_client(lambda r: httpx.Response(200, content=b'{"a": 1}')))
    b = download("https://b.example.org/de/station_information.json", source=gbfs.SOURCE, cache_dir=tmp_path,
                 client=_client(lambda r: httpx.Response(200, content=b'{"b": 2}')))
    assert a.path != b.path and a.read() == b'{"a": 1}' and b.read() == b'{"b": 2}'


def test_genesis_request_sends_credentials_in_headers_and_parses_the_table(tmp_path, monkeypatch):
    from urllib.parse import parse_qs

    from cityindex.connectors.collect import collect

    monkeypatch.setenv("CITYINDEX_GENESIS_USERNAME", "user-x")
    monkeypatch.setenv("CITYINDEX_GENESIS_PASSWORD", "pw-y")
    seen = {}

    def handler(request):
        seen.update(method=request.method, user=request.headers.get("username"),
                    password=request.headers.get("password"), url=str(request.url),
                    form=parse_qs(request.content.decode()))
        return httpx.Response(200, content=(DATA / "genesis_12411-01-01-5_sample.ffcsv").read_bytes())

    result = collect("destatis-genesis", cache_dir=tmp_path, client=_client(handler))
    assert seen["method"] == "POST" and seen["user"] == "user-x" and seen["password"] == "pw-y"
    assert "pw-y" not in seen["url"] and seen["form"]["name"] == ["12411-01-01-5"]
    assert seen["form"]["format"] == ["ffcsv"] and "05119000" in seen["form"]["regionalkey"][0]
    changes = result.changes.set_index("ags")
    assert changes.change["05119000"] == 0 and changes.new.isna()["04011000"]


def test_genesis_without_credentials_says_how_to_set_them(monkeypatch):
    from cityindex.connectors.collect import collect

    monkeypatch.delenv("CITYINDEX_GENESIS_USERNAME", raising=False)
    monkeypatch.delenv("CITYINDEX_GENESIS_PASSWORD", raising=False)
    with pytest.raises(DownloadError, match="CITYINDEX_GENESIS_USERNAME"):
        collect("destatis-genesis")


def test_collect_codefor_reads_flags_from_every_lab_page(tmp_path):
    import json

    from cityindex.connectors import codefor
    from cityindex.connectors.collect import collect

    page = (DATA / "codefor_lab_page_sample.md").read_bytes()
    listing = json.dumps([
        {"name": "frankfurt.md", "type": "file", "download_url": "https://raw.example.org/labs/frankfurt.md"},
        {"name": "_index.md", "type": "file", "download_url": "https://raw.example.org/labs/_index.md"},
    ]).encode()
    files = {codefor.LISTING_URL: listing, "https://raw.example.org/labs/frankfurt.md": page}
    result = collect("codefor", cache_dir=tmp_path, client=_client(lambda r: httpx.Response(200, content=files[str(r.url)])))
    values = result.values.set_index(["ags", "parameter"]).value
    assert values[("06412000", "oklab_any")] == "yes" and values[("06412000", "oklab_active")] == "no"
    assert values[("11000000", "oklab_any")] == "no"


def test_collect_freifunk_nodes_reads_one_api_file_per_city(tmp_path):
    import json

    from cityindex.connectors import freifunk
    from cityindex.connectors.collect import collect

    directory = json.dumps({"kbu-koeln": "https://ff.example.org/koeln.json",
                            "porz": "https://ff.example.org/porz.json",
                            "aachen": "https://ff.example.org/aachen.json",
                            "wien": "https://ff.example.org/wien.json"}).encode()
    files = {freifunk.DOWNLOAD_URL: directory,
             "https://ff.example.org/koeln.json": (DATA / "freifunk_api_file_sample.json").read_bytes(),
             "https://ff.example.org/aachen.json": b'{"name": "x", "state": {}}'}
    result = collect("freifunk-nodes", cache_dir=tmp_path,
                     client=_client(lambda r: httpx.Response(200, content=files[str(r.url)])))
    values = result.values.set_index("ags")
    assert values.value["05315000"] == "123" and values.as_of["05315000"] == "2024-05-20"
    assert values.value["05334002"] == "" and "states no node count" in values.note["05334002"]
    assert len(values) == 2
