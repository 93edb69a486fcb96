"""Hardening of the HTTP layer: Allow on 405, HSTS, trusted hosts, redirects that stay on the site."""

from fastapi.testclient import TestClient

from cityindex.settings import Settings
from cityindex.web.app import create_app


def _client(**settings) -> TestClient:
    return TestClient(create_app(cache_ttl=0, warm=False, settings=Settings(**settings)),
                      raise_server_exceptions=False)


def test_method_not_allowed_names_the_allowed_methods(client):
    for url in ("/2022/ranking", "/2022/ranking.json"):
        response = client.post(url)
        assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"


def test_hsts_only_when_configured(client):
    assert "strict-transport-security" not in client.get("/methodik").headers
    with _client(web_hsts_max_age=31536000) as hsts:
        assert hsts.get("/methodik").headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        assert "strict-transport-security" in hsts.get("/no-such-page").headers


def test_only_trusted_hosts_are_answered():
    with _client(web_trusted_hosts="index.example.org, *.example.net") as trusted:
        assert trusted.get("/methodik", headers={"host": "index.example.org"}).status_code == 200
        assert trusted.get("/methodik", headers={"host": "www.example.net:8443"}).status_code == 200
        refused = trusted.get("/methodik", headers={"host": "evil.example"})
        assert refused.status_code == 400 and refused.text == "Invalid host header"
        assert trusted.get("/methodik", headers={"host": "example.org.evil.example"}).status_code == 400


def test_a_forged_host_header_never_becomes_a_redirect_target(client):
    response = client.get("/staedte/", headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code in (301, 307, 308) and response.headers["location"] == "/staedte"
