"""Sign-in, sessions and forms over HTTP: CSRF, session fixation, throttling, links, disabled users,
malformed input, and that no private page is ever cached."""

import re
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from cityindex.auth import disable_user, enable_user, issue_link, list_events
from cityindex.auth.testing import PASSWORD, account_settings, csrf_of, make_user, sign_in
from cityindex.web.app import create_app

SESSION = "cityindex_session"


def test_anonymous_visitors_are_sent_to_sign_in_or_get_401(visitor):
    client = visitor()
    for path in ("/team/", "/team/admin/", "/pruefung/", "/pruefung/oberhausen", "/konto"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"] == f"/anmelden?next={path}"
    for path in ("/team.json", "/team/admin.json", "/pruefung.json", "/konto.json"):
        body = client.get(path).json()
        assert body["status"] == 401 and body["ok"] is False
    assert client.get("/login?next=/team/").headers["location"] == "/anmelden?next=/team/"


def test_sign_in_continues_to_the_page_asked_for_but_never_to_another_site(visitor):
    for target, expected in (("/team/admin/", "/team/admin/"), ("//evil.example/x", "/team/"),
                             ("https://evil.example/", "/team/"), ("/\\evil.example", "/team/")):
        client = visitor()
        token = csrf_of(client.get("/anmelden").text)
        response = client.post("/anmelden", data={"csrf_token": token, "email": "admin@example.org",
                                                  "password": PASSWORD, "next": target})
        assert response.headers["location"] == expected


def test_a_form_without_the_right_csrf_token_is_refused_and_changes_nothing(visitor, accounts_store):
    admin = visitor("admin@example.org")
    before = len(list_events(accounts_store))
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf_of(visitor().get("/anmelden").text)}):
        response = admin.post("/team/admin/2fa", data={**data, "required": "1"})
        assert response.status_code == 403
        assert "Formular ist abgelaufen" in response.text
    assert len(list_events(accounts_store)) == before
    anonymous = visitor()
    response = anonymous.post("/anmelden", data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 403 and SESSION not in response.headers.get("set-cookie", "")


def test_sign_in_makes_a_new_session_id_and_sign_out_ends_it(visitor):
    client = visitor()
    client.cookies.set(SESSION, "planted-by-an-attacker-" + "x" * 30, domain="testserver.local")
    assert sign_in(client, "analyst@example.org").status_code == 303
    first = client.cookies.get(SESSION)
    assert first and not first.startswith("planted")
    token = csrf_of(client.get("/team/").text)
    client.post("/anmelden", data={"csrf_token": token, "email": "analyst@example.org", "password": PASSWORD})
    second = client.cookies.get(SESSION)
    assert second != first
    old = visitor()
    old.cookies.set(SESSION, first, domain="testserver.local")
    assert old.get("/team/").status_code == 303  # the earlier session ended with the new sign-in
    token = csrf_of(client.get("/team/").text)
    response = client.post("/abmelden", data={"csrf_token": token})
    assert response.status_code == 303 and "Max-Age=0" in response.headers["set-cookie"]
    replay = visitor()
    replay.cookies.set(SESSION, second, domain="testserver.local")
    assert replay.get("/team/").status_code == 303


def test_repeated_failures_are_throttled_with_the_same_answer_for_unknown_addresses(accounts_store):
    app = create_app(cache_ttl=0, warm=False, settings=account_settings(signin_limit_account="3/15minutes"),
                     store=accounts_store)
    from fastapi.testclient import TestClient

    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client.get("/anmelden").text)
        answers = {}
        for email in ("analyst@example.org", "nobody@example.org"):
            statuses = [client.post("/anmelden", data={"csrf_token": token, "email": email,
                                                       "password": "wrong horse battery"}) for _ in range(4)]
            assert [r.status_code for r in statuses] == [401, 401, 401, 429]
            assert int(statuses[-1].headers["retry-after"]) > 0
            answers[email] = [re.sub(r"\s+", " ", r.text.replace(email, "EMAIL")) for r in statuses]
            # the right password does not get through while throttled
            ok = client.post("/anmelden", data={"csrf_token": token, "email": email, "password": PASSWORD})
            assert ok.status_code == 429
        assert answers["analyst@example.org"] == answers["nobody@example.org"]
    events = [e.event for e in list_events(accounts_store, subject="nobody@example.org")]
    assert events.count("signin.failed") == 3 and "signin.throttled" in events


def test_a_disabled_user_is_signed_out_at_the_next_request(visitor, accounts_store):
    make_user(accounts_store, "temp@example.org", role="analyst")
    client = visitor("temp@example.org")
    assert client.get("/team/").status_code == 200
    disable_user(accounts_store, "temp@example.org", by="admin@example.org")
    response = client.get("/team/")
    assert response.status_code == 303 and response.headers["location"].startswith("/anmelden")
    assert sign_in(visitor(), "temp@example.org").status_code == 401
    enable_user(accounts_store, "temp@example.org", by="admin@example.org")


def test_invitation_link_sets_the_password_once_then_is_refused(visitor, accounts_store):
    make_user(accounts_store, "new@example.org", role="analyst", password=None)
    link = issue_link(accounts_store, "new@example.org", purpose="invite", by="admin@example.org",
                      settings=account_settings())
    client = visitor()
    page = client.get(f"/zugang/{link.token}")
    assert page.status_code == 200 and "new@example.org" in page.text
    token = csrf_of(page.text)
    weak = client.post(f"/zugang/{link.token}", data={"csrf_token": token, "new_password": "passwort1234",
                                                      "new_password_repeat": "passwort1234"})
    assert weak.status_code == 400 and "leicht zu erraten" in weak.text
    done = client.post(f"/zugang/{link.token}", data={"csrf_token": token, "new_password": PASSWORD,
                                                      "new_password_repeat": PASSWORD})
    assert done.headers["location"] == "/anmelden?done=password"
    for method in (client.get, client.post):
        again = method(f"/zugang/{link.token}", **({"data": {"csrf_token": token}} if method == client.post else {}))
        assert again.status_code == 410 and "bereits benutzt oder abgelaufen" in again.text
    assert visitor().get(f"/zugang/{link.token}?lang=en").text.count("already used or expired") == 1
    assert sign_in(visitor(), "new@example.org").status_code == 303


def test_an_expired_invitation_is_refused(visitor, accounts_store):
    make_user(accounts_store, "late@example.org", role="analyst", password=None)
    link = issue_link(accounts_store, "late@example.org", purpose="invite", by="admin@example.org",
                      settings=account_settings())
    with accounts_store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE user_tokens SET expires_at = created_at WHERE used_at IS NULL"))
    assert visitor().get(f"/zugang/{link.token}").status_code == 410


def test_private_pages_are_never_cached_and_public_pages_stay_shared(visitor, accounts_app):
    admin = visitor("admin@example.org")
    for path in ("/team/", "/team/admin/", "/konto", "/2022/ranking"):
        response = admin.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "private, no-store"
        assert "x-cityindex-cacheable" not in response.headers
    assert "admin@example.org" in admin.get("/2022/ranking").text  # signed in: the header shows the account
    anonymous = visitor()
    public = anonymous.get("/2022/ranking")
    assert public.status_code == 200 and "admin@example.org" not in public.text
    assert "private" not in public.headers.get("cache-control", "")
    assert not any("admin@example.org".encode() in body for _, _, body in accounts_app.cache.entries.values())


MALFORMED = ["", " ", "x" * 5000, "\x00\x01", "ü" * 300, "' OR 1=1 --", "<script>alert(1)</script>", "%00", "-1"]
ADMIN_FORMS = {
    "/team/admin/benutzer": ("email", "name", "role", "city", "lang"),
    "/team/admin/2fa": ("required",),
    "/konto/passwort": ("password", "new_password", "new_password_repeat"),
    "/konto/2fa/bestaetigen": ("code",),
    "/konto/2fa/entfernen": ("password",),
    "/team/admin/benutzer/999999/sperren": (),
}


@pytest.mark.parametrize("value", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_input_in_every_field_gets_a_clear_answer_never_a_500(visitor, value):
    anonymous = visitor()
    token = csrf_of(anonymous.get("/anmelden").text)
    link_fields = ("new_password", "new_password_repeat")
    for path, fields in (("/anmelden", ("email", "password", "next")), ("/zugang/nope", link_fields)):
        for field in fields:
            response = anonymous.post(path, data={"csrf_token": token, field: value})
            assert response.status_code in (303, 400, 401, 410, 429), (path, field, response.status_code)
            assert "Traceback" not in response.text
    admin = visitor("admin@example.org")
    token = csrf_of(admin.get("/team/admin/").text)
    for path, fields in ADMIN_FORMS.items():
        for field in fields or ("csrf_token",):
            data = {"csrf_token": token, field: value} if field != "csrf_token" else {"csrf_token": value}
            response = admin.post(path, data=data)
            assert response.status_code in (200, 303, 400, 403, 404), (path, field, response.status_code)
            assert "Traceback" not in response.text and "Internal" not in response.text
            if response.status_code == 400:
                assert 'class="form-error"' in response.text
    for query in ({"since": "yesterday"}, {"until": "2026-13-45"}, {"event": value}, {"user": value}):
        response = admin.get("/team/admin/protokoll", params=query)
        assert response.status_code in (200, 400)


def test_a_body_that_is_not_a_form_is_refused(visitor):
    admin = visitor("admin@example.org")
    response = admin.post("/team/admin/2fa", content=b"\xff\xfe" * 10,
                          headers={"content-type": "multipart/form-data; boundary=nothing"})
    assert response.status_code == 403
    huge = admin.post("/team/admin/2fa", content=b"a=" + b"x" * 70000,
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 403


def _totp_now(secret: str, steps: int = 0) -> str:
    import datetime as dt

    import pyotp

    return pyotp.TOTP(secret).at(dt.datetime.now(dt.timezone.utc), counter_offset=steps)


def _set_up_second_factor(client) -> tuple[str, list[str]]:
    start = client.post("/konto/2fa/start", data={"csrf_token": csrf_of(client.get("/konto").text)})
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', start.text).group(1)
    done = client.post("/konto/2fa/bestaetigen", data={"csrf_token": csrf_of(start.text), "code": _totp_now(secret)})
    assert done.status_code == 200 and "Wiederherstellungscodes" in done.text
    return secret, re.findall(r"<li><code>([0-9a-f-]+)</code></li>", done.text)


def test_second_factor_is_asked_after_the_password_and_gives_a_new_session(visitor, accounts_store):
    make_user(accounts_store, "two@example.org", role="analyst")
    secret, codes = _set_up_second_factor(visitor("two@example.org"))
    assert len(codes) == 10
    client = visitor()
    response = sign_in(client, "two@example.org")
    assert response.headers["location"] == "/anmelden/code"
    half = client.cookies.get(SESSION)
    assert client.get("/team/").headers["location"] == "/anmelden/code"  # nothing else opens yet
    token = csrf_of(client.get("/anmelden/code").text)
    assert client.post("/anmelden/code", data={"csrf_token": token, "code": "000000"}).status_code == 401
    done = client.post("/anmelden/code", data={"csrf_token": token, "code": _totp_now(secret, 1)})
    assert done.headers["location"] == "/team/" and client.cookies.get(SESSION) != half
    assert client.get("/team/").status_code == 200
    recovery = visitor()
    sign_in(recovery, "two@example.org")
    token = csrf_of(recovery.get("/anmelden/code").text)
    assert recovery.post("/anmelden/code", data={"csrf_token": token, "code": codes[0]}).status_code == 303
    events = [e.event for e in list_events(accounts_store, subject="two@example.org")]
    assert events[:2] == ["signin.ok", "mfa.recovery_used"] and "signin.failed" in events


def test_a_mandatory_second_factor_must_be_set_up_before_anything_else(visitor, accounts_store):
    admin = visitor("admin@example.org")
    admin.post("/team/admin/2fa", data={"csrf_token": csrf_of(admin.get("/team/admin/").text), "required": "1"})
    try:
        make_user(accounts_store, "must@example.org", role="analyst")
        client = visitor()
        assert sign_in(client, "must@example.org").headers["location"] == "/konto#zwei-faktor"
        assert client.get("/team/").headers["location"] == "/konto#zwei-faktor"
        assert client.get("/team.json").status_code == 403
        _set_up_second_factor(client)
        assert client.get("/team/").status_code == 200
        city = visitor()  # city users are not bound by it
        assert sign_in(city, "pruefung@bochum.de").headers["location"] == "/pruefung/"
    finally:
        admin.post("/team/admin/2fa", data={"csrf_token": csrf_of(admin.get("/team/admin/").text), "required": "0"})


def test_admin_pages_disable_invite_and_reset_users(visitor, accounts_store):
    from cityindex.auth import get_user

    target = make_user(accounts_store, "target@example.org", role="analyst")
    signed_in = visitor("target@example.org")
    admin = visitor("admin@example.org")
    token = csrf_of(admin.get("/team/admin/").text)
    assert admin.post(f"/team/admin/benutzer/{target.id}/sperren", data={"csrf_token": token}).status_code == 303
    assert signed_in.get("/team/").status_code == 303 and not get_user(accounts_store, "target@example.org").active
    admin.post(f"/team/admin/benutzer/{target.id}/entsperren", data={"csrf_token": token})
    page = admin.post(f"/team/admin/benutzer/{target.id}/passwort", data={"csrf_token": token})
    link = re.search(r'value="(http://[^"]+/zugang/[^"]+)"', page.text).group(1)
    assert "Zurücksetzen des Passworts" in page.text
    assert visitor().get(link.split("8000", 1)[1]).status_code == 200
    duplicate = admin.post("/team/admin/benutzer", data={"csrf_token": token, "email": "target@example.org",
                                                         "role": "analyst"})
    assert duplicate.status_code == 400 and "existiert bereits" in duplicate.text
    city = admin.post("/team/admin/benutzer", data={"csrf_token": token, "email": "c@example.org", "role": "city"})
    assert city.status_code == 400 and "mindestens eine Stadt" in city.text
    form = urlencode([("csrf_token", token), ("email", "two-cities@example.org"), ("role", "city"),
                      ("city", "05119000"), ("city", "05911000")])
    added = admin.post("/team/admin/benutzer", content=form,
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert added.status_code == 200 and "Einladungslink für two-cities@example.org" in added.text
    assert get_user(accounts_store, "two-cities@example.org").cities == ("05119000", "05911000")


@pytest.mark.parametrize("secret", ["development-only-secret", "changeme", "short-but-real"])
def test_accounts_refuse_to_start_without_a_real_secret(secret, accounts_store):
    from cityindex.auth.errors import AccountsOff

    with pytest.raises(AccountsOff, match="CITYINDEX_SECRET_KEY"):
        create_app(warm=False, settings=account_settings(secret_key=secret), store=accounts_store)


def test_forwarded_addresses_count_only_from_trusted_proxies(accounts_store):
    from cityindex.web.auth import Accounts

    def scope(peer: str, forwarded: str) -> dict:
        return {"client": (peer, 1234), "headers": [(b"x-forwarded-for", forwarded.encode())]}

    plain = Accounts(accounts_store, account_settings())
    assert plain.client_ip(scope("203.0.113.9", "198.51.100.1")) == "203.0.113.9"  # no proxy trusted
    proxied = Accounts(accounts_store, account_settings(trusted_proxies=["10.0.0.0/8"]))
    assert proxied.client_ip(scope("10.1.2.3", "198.51.100.1, 10.0.0.5")) == "198.51.100.1"
    assert proxied.client_ip(scope("10.1.2.3", "forged, 198.51.100.7")) == "198.51.100.7"
    assert proxied.client_ip(scope("203.0.113.9", "198.51.100.1")) == "203.0.113.9"  # not from the proxy


def test_secure_cookies_behind_https(accounts_store):
    from fastapi.testclient import TestClient

    app = create_app(cache_ttl=0, warm=False, settings=account_settings(cookie_secure=True), store=accounts_store)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        response = sign_in(client, "analyst@example.org")
        cookie = [c for c in response.headers.get_list("set-cookie") if "session" in c][0]
        assert cookie.startswith("__Host-cityindex_session=")
        assert all(part in cookie for part in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"))
        assert client.get("/team/").status_code == 200
