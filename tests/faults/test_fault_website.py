"""The website against a broken store: published pages still 200, store pages 503, nothing leaked.

A real server process (uvicorn, as ``cityindex serve`` runs it) is pointed at a damaged SQLite
file, an unreachable PostgreSQL server and a malformed URL. Every response is searched for the
URL, the user, the password, the host and port, the file path and the driver's error text; the
server log must hold the details under the incident id the visitor sees.
"""

import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from fault_helpers import cli_env

SECRET, USER = "s3cr3t-pw-4711", "index_admin"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _damaged_file(tmp_path):
    path = tmp_path / "secret-store-dir" / "cityindex.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database " * 200)
    return f"sqlite:///{path}", [str(path), "secret-store-dir", "not a database"]


def _unreachable(tmp_path):
    port = _port()
    return (f"postgresql+psycopg://{USER}:{SECRET}@127.0.0.1:{port}/cityindex_prod",
            [SECRET, USER, f"127.0.0.1:{port}", str(port), "cityindex_prod", "Connection refused", "psycopg"])


def _malformed(tmp_path):
    return f"postgresql+psycopg://{USER}:{SECRET}@db.internal:port/x", [SECRET, "port must", USER, "db.internal"]


@pytest.fixture(params=[_damaged_file, _unreachable, _malformed], ids=["damaged-file", "unreachable", "malformed"])
def broken_site(request, tmp_path):
    url, secrets = request.param(tmp_path)
    port = _port()
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "cityindex.web.app:app_from_env", "--factory",
                               "--port", str(port), "--log-level", "warning", "--no-server-header"],
                              env=cli_env(CITYINDEX_DATABASE_URL=url, CITYINDEX_OPEN_PILOT="true"),
                              stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/robots.txt", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.2)
        yield base, secrets, log
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


PUBLISHED = ["/", "/index.json", "/2022/ranking", "/2022/ranking.json", "/2022/ranking/mobilitaet",
             "/staedte/oberhausen?edition=2022", "/staedte/oberhausen.json", "/staedte/oberhausen.csv",
             "/downloads", "/downloads/2022.csv", "/karte", "/methodik", "/vergleich?stadt=bochum&stadt=essen"]
STORE_PAGES = ["/open-2026/ranking", "/open-2026/ranking.json", "/staedte/oberhausen?edition=open-2026",
               "/downloads/open-2026.csv", "/downloads/open-2026/export-csv.zip"]


def test_published_pages_work_and_store_pages_are_503_without_detail(broken_site):
    base, secrets, log = broken_site
    with httpx.Client(base_url=base, timeout=30) as client:
        for url in PUBLISHED:
            response = client.get(url)
            assert response.status_code == 200, (url, response.text[:200])
            _no_leak(response, secrets)
        incidents = []
        for url in STORE_PAGES:
            response = client.get(url)
            assert response.status_code == 503, (url, response.status_code)
            assert response.headers["cache-control"] == "no-store"
            _no_leak(response, secrets)
            if url.endswith(".json"):
                body = response.json()
                assert body["ok"] is False and body["status"] == 503
            else:
                assert response.headers["content-type"].startswith("text/html")
                assert "Die Datenbank ist gerade nicht erreichbar" in response.text
            incidents += re.findall(r"(?:incident|Vorgangsnummer) ([0-9a-f]{12})", response.text)
        english = client.get("/open-2026/ranking", cookies={"lang": "en"})
        assert english.status_code == 503 and "The database is unavailable right now" in english.text
    assert len(set(incidents)) == len(STORE_PAGES)
    log.seek(0)
    server_log = log.read()
    for incident in incidents:  # the details are in the server log, under the id the visitor saw
        line = next(line for line in server_log.splitlines() if f"incident {incident}" in line)
        assert any(detail in line for detail in secrets[1:]) and SECRET not in line
    assert "Traceback" not in server_log


def _no_leak(response, secrets: list[str]) -> None:
    text = response.text + " ".join(f"{k}: {v}" for k, v in response.headers.items())
    for secret in secrets + [os.path.expanduser("~"), "sqlite:///", "postgresql"]:
        assert secret not in text, (str(response.url), secret)
