"""The permission policy over the whole app: every route declares a permission (from the app's own
route table), every CLI command too, and every role × route × own/other city gets what the policy says."""

import pytest
from starlette.routing import Mount, Route

from cityindex.auth.policy import CLI_PERMISSIONS, Permission, cli_permission
from cityindex.auth.testing import csrf_of
from cityindex.web.auth import app_routes, declared_permission

ROLES = {None: "anonymous", "admin@example.org": "admin", "analyst@example.org": "analyst",
         "pruefung@oberhausen.de": "city Oberhausen", "pruefung@bochum.de": "city Bochum"}
TEAM = {"admin", "analyst"}
SIGNED_IN = {"admin", "analyst", "city Oberhausen", "city Bochum"}
EVERYONE = {"anonymous"} | SIGNED_IN
#: Who may open each private page; a private GET route missing here fails the test below.
PRIVATE_PAGES = {
    "/konto": SIGNED_IN, "/konto.json": SIGNED_IN,
    "/team": TEAM, "/team/": TEAM, "/team.json": TEAM,
    "/team/admin": {"admin"}, "/team/admin/": {"admin"}, "/team/admin.json": {"admin"},
    "/team/admin/protokoll": {"admin"}, "/team/admin/protokoll.json": {"admin"},
    "/pruefung": SIGNED_IN, "/pruefung/": SIGNED_IN, "/pruefung.json": SIGNED_IN,
    "/pruefung/{city}": None, "/pruefung/{city}.json": None,  # city-scoped: see CITY_PAGES
    # the review round (issue 8): its matrix is test_review_policy.py
    **{f"/pruefung/{{city}}/{{edition}}{suffix}": None for suffix in (
        "", ".json", "/bereich/{area}", "/bereich/{area}.json", "/beleg", "/beleg.pdf", "/nachweis/{upload}")},
    **{f"/team/pruefung/{{edition}}{suffix}": None for suffix in (
        "", ".json", "/eingang", "/eingang.json", "/nachweis/{upload}", "/beleg/{city}", "/beleg/{city}.pdf",
        "/export/{name}")},
}
CITY_PAGES = {  # one city's pages, also guessed by slug or AGS
    "oberhausen": TEAM | {"city Oberhausen"}, "05119000": TEAM | {"city Oberhausen"},
    "bochum": TEAM | {"city Bochum"}, "05911000": TEAM | {"city Bochum"},
}
ADMIN_POSTS = ["/team/admin/benutzer", "/team/admin/2fa", "/team/admin/benutzer/1/einladen",
               "/team/admin/benutzer/1/passwort", "/team/admin/benutzer/1/sperren",
               "/team/admin/benutzer/1/entsperren"]
PUBLIC_SAMPLES = ["/", "/2022/ranking", "/2022/ranking.json", "/staedte/oberhausen", "/karte", "/methodik",
                  "/downloads", "/api/docs", "/anmelden", "/anmelden.json"]


def test_every_route_of_the_app_declares_its_permission(accounts_app):
    undeclared = []
    routes = app_routes(accounts_app.fastapi)
    assert len(routes) > 40
    for route in routes:
        original = getattr(route, "original_route", route)
        if isinstance(original, Mount) and route.path == "/static":
            continue  # files only: site.css, site.js, the favicon (public by nature)
        if type(original) is Route and route.path == "/api/openapi.json":
            continue  # FastAPI's own schema route: the public API description
        if declared_permission(route) is None:
            undeclared.append(getattr(route, "path", repr(route)))
    assert undeclared == []


def test_every_private_page_is_in_the_access_matrix(accounts_app):
    private = {route.path for route in app_routes(accounts_app.fastapi)
               if "GET" in (route.methods or ()) and declared_permission(route)
               and declared_permission(route)[0] not in (Permission.PUBLIC, Permission.SIGN_IN)}
    assert private == set(PRIVATE_PAGES)


def test_every_cli_command_declares_its_permission():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("gen", Path(__file__).parents[2] / "scripts" / "gen_cli_docs.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert [p for p in gen.leaf_paths() if cli_permission(p) is None] == []
    groups_and_commands = {" ".join(p[:n]) for p in gen.leaf_paths() for n in range(1, len(p) + 1)}
    assert groups_and_commands >= set(CLI_PERMISSIONS)  # no stale declaration
    writes = {" ".join(p) for p in gen.leaf_paths() if cli_permission(p) is Permission.DATA_WRITE}
    assert {"import", "freeze", "publish", "edition create"} <= writes


def _denied(response, *, anonymous: bool, json: bool) -> bool:
    if anonymous:
        return response.status_code == 401 if json else (
            response.status_code == 303 and response.headers["location"].startswith("/anmelden"))
    return response.status_code == 403


@pytest.mark.parametrize("email", list(ROLES), ids=list(ROLES.values()))
def test_each_role_opens_exactly_its_pages(visitor, email):
    client = visitor(email)
    role = ROLES[email]
    cases = [(path, who) for path, who in PRIVATE_PAGES.items() if who is not None]
    cases += [(f"/pruefung/{city}{suffix}", who) for city, who in CITY_PAGES.items() for suffix in ("", ".json")]
    cases += [(path, EVERYONE) for path in PUBLIC_SAMPLES]
    for path, who in cases:
        response = client.get(path)
        if role in who:
            assert response.status_code in (200, 303) and not _denied(response, anonymous=email is None,
                                                                       json=path.endswith(".json")), (role, path)
        else:
            assert _denied(response, anonymous=email is None, json=path.endswith(".json")), (role, path)
            assert "Traceback" not in response.text


@pytest.mark.parametrize("email", ["analyst@example.org", "pruefung@oberhausen.de"], ids=["analyst", "city"])
def test_no_admin_action_for_other_roles_even_with_a_valid_form(visitor, email, accounts_store):
    from cityindex.auth import list_events, list_users

    client = visitor(email)
    token = csrf_of(client.get("/konto").text)
    users, events = list_users(accounts_store), list_events(accounts_store)
    for path in ADMIN_POSTS:
        response = client.post(path, data={"csrf_token": token, "email": "x@example.org", "role": "admin",
                                           "required": "1"})
        assert response.status_code == 403, path
    assert list_users(accounts_store) == users and len(list_events(accounts_store)) == len(events)


def test_an_analyst_sees_drafts_the_public_and_cities_do_not(visitor, accounts_app, monkeypatch):
    from cityindex import editions
    from cityindex.connectors.open_pilot import open_pilot_result
    from cityindex.web import data

    draft = editions.EditionView.from_result(open_pilot_result(), key="2026-entwurf", title="Entwurf 2026",
                                             series="cityindex", year=2026, status="draft")
    known = editions.computed_editions()
    monkeypatch.setattr(editions, "computed_editions", lambda: {**known, "2026-entwurf": draft})
    monkeypatch.setitem(data._cache, "views", None)
    for email in (None, "pruefung@oberhausen.de", None):  # twice anonymous: a cached 404 must not hide it later
        client = visitor(email)
        assert client.get("/2026-entwurf/ranking").status_code == 404
        assert "2026-entwurf" not in client.get("/index.json").text
    analyst = visitor("analyst@example.org")
    assert analyst.get("/2026-entwurf/ranking").status_code == 200
    assert "2026-entwurf" in [e["key"] for e in analyst.get("/index.json").json()["data"]["editions"]]
    assert visitor().get("/2026-entwurf/ranking").status_code == 404  # nothing of it reached the public cache
    assert not any(b"Entwurf 2026" in body for body in accounts_app.cache.pages.bodies())
    data._cache["views"] = None
