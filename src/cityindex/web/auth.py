"""The website's side of accounts: the session layer, permission dependencies, CSRF-checked forms.

``AccountLayer`` (pure ASGI) sits in front of the page cache. A request without a session
cookie to a public path goes to the cache as before; a request with a session cookie, or to
a private path (sign-in, ``/konto``, ``/team/``, ``/pruefung/``), skips the cache: its session
is loaded, the visitor is put on ``request.state.visitor`` and ``policy.CURRENT_ACCOUNT``, and
the response is marked ``Cache-Control: private, no-store`` — it is never stored or replayed.

Every route declares its permission with ``allow(Permission.X)`` (a router dependency or a
route parameter); ``form_data`` reads a POSTed form and refuses it (403) without a valid
CSRF token; ``form_page`` renders a page that carries the token for its forms.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from cityindex.auth import csrf
from cityindex.auth.errors import AccountsOff, AuthError, CsrfError, Forbidden, NotSignedIn, Throttled
from cityindex.auth.policy import ANONYMOUS, CURRENT_ACCOUNT, Account, Permission, Role, allowed
from cityindex.auth.sessions import load_session
from cityindex.auth.throttle import Throttle
from cityindex.settings import PLACEHOLDER_SECRETS, Settings
from cityindex.store.db import Store
from cityindex.web.deps import api_error, get_lang, page, wants_json
from cityindex.web.envelope import RESPONSES, ErrorEnvelope
from cityindex.web.middleware import CACHE_MARK, ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "cityindex_session"
CSRF_COOKIE = "cityindex_csrf"
PRIVATE_PREFIXES = ("/anmelden", "/abmelden", "/login", "/zugang", "/konto", "/team", "/pruefung")
MAX_FORM_BYTES = 64 * 1024
MIN_SECRET = 32


@dataclass(frozen=True)
class Visitor:
    """Who sends this request: the account (None: anonymous) and the CSRF token for its forms."""

    account: Account | None = None
    csrf: str | None = None
    has_csrf_cookie: bool = False
    session_id: str | None = None
    ip: str | None = None


ANONYMOUS_VISITOR = Visitor()


class Accounts:
    """What the web side of accounts needs: the store, the settings and the sign-in throttle."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self.throttle = Throttle(settings)
        self.session_cookie = ("__Host-" if settings.cookie_secure else "") + SESSION_COOKIE
        self.csrf_cookie = ("__Host-" if settings.cookie_secure else "") + CSRF_COOKIE
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    def visitor(self, cookies: dict[str, str], ip: str | None) -> tuple[Visitor, list[bytes]]:
        """The visitor of a private request and the cookies to set (a new CSRF value, a dead session)."""
        set_cookies = []
        session_id = cookies.get(self.session_cookie)
        info = load_session(self.store, session_id, settings=self.settings) if session_id else None
        if session_id and info is None:
            set_cookies.append(self.cookie(self.session_cookie, "", max_age=0))
        browser = cookies.get(self.csrf_cookie)
        has_cookie = bool(browser) and len(browser) <= 128
        if not has_cookie:
            browser = csrf.new_browser_value()
            set_cookies.append(self.cookie(self.csrf_cookie, browser))
        account = None if info is None else Account(
            user_id=info.user_id, email=info.email, role=Role(info.role), cities=info.cities, name=info.name,
            lang=info.lang, stage=info.stage, session_hash=info.id_hash, mfa=info.mfa)
        token = csrf.csrf_token(browser, info.id_hash if info else None, self.settings)
        return Visitor(account, token, has_cookie, session_id if info else None, ip), set_cookies

    def cookie(self, name: str, value: str, *, max_age: int | None = None) -> bytes:
        """A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure behind https."""
        parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
        if self.settings.cookie_secure:
            parts.append("Secure")
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        return "; ".join(parts).encode("latin-1")

    def client_ip(self, scope: Scope) -> str:
        """The client's address; X-Forwarded-For only when the direct peer is a trusted proxy."""
        peer = (scope.get("client") or ("unknown", 0))[0]
        if not self.proxies or not _in(peer, self.proxies):
            return peer
        forwarded = _header(scope, b"x-forwarded-for")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()] if forwarded else []
        for hop in reversed(hops):  # the first address not of a trusted proxy, from the right
            if not _in(hop, self.proxies):
                return hop[:45]
        return peer


def _in(address: str, networks: Iterable) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == name]
    return ", ".join(values) if values else None


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                continue
    return {key: morsel.value for key, morsel in jar.items()}


class AccountLayer:
    """Private requests bypass the page cache, carry their visitor and are never cached downstream."""

    def __init__(self, cached: ASGIApp, direct: ASGIApp, accounts: Accounts):
        self.cached = cached
        self.direct = direct
        self.accounts = accounts

    def _private(self, scope: Scope) -> bool:
        if scope["path"].startswith(PRIVATE_PREFIXES):
            return True
        cookie = _header(scope, b"cookie")
        return cookie is not None and SESSION_COOKIE in cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._private(scope):
            await self.cached(scope, receive, send)
            return
        ip = self.accounts.client_ip(scope)
        visitor, set_cookies = await run_in_threadpool(self.accounts.visitor, _cookies(scope), ip)
        scope.setdefault("state", {})["visitor"] = visitor
        token = CURRENT_ACCOUNT.set(visitor.account)
        try:
            await self.direct(scope, receive, _private_sender(send, set_cookies))
        finally:
            CURRENT_ACCOUNT.reset(token)


def _private_sender(send: Send, set_cookies: list[bytes]) -> Send:
    async def private_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k not in (CACHE_MARK, b"cache-control")]
            headers.append((b"cache-control", b"private, no-store"))
            headers.extend((b"set-cookie", c) for c in set_cookies)
            message["headers"] = headers
        await send(message)

    return private_send


# Dependencies ----------------------------------------------------------------------------------

def current_visitor(request: Request) -> Visitor:
    return request.scope.get("state", {}).get("visitor") or ANONYMOUS_VISITOR


def accounts_of(request: Request) -> Accounts:
    return request.app.state.accounts


class SecondFactorPending(NotSignedIn):
    """Enter the code of your authenticator app first."""


class EnrolmentNeeded(AuthError):
    """Set up a second factor first: the index team requires one."""

    key = "mfa_needed"
    status = 403


def allow(permission: Permission, *, city: str | None = None):
    """The dependency that declares and checks a route's permission (``city``: the path parameter naming
    the city of a city-scoped permission). Returns the account (None for anonymous public access)."""

    async def check(request: Request) -> Account | None:
        account = current_visitor(request).account
        if permission is Permission.PUBLIC:
            return account
        ags = _city_ags(request.path_params.get(city)) if city else None
        if account is not None and permission not in ANONYMOUS:
            if account.stage == "code":
                raise SecondFactorPending()
            if account.stage == "enrol" and permission is not Permission.ACCOUNT:
                raise EnrolmentNeeded()
        if not allowed(account, permission, city=ags):
            raise NotSignedIn() if account is None else _forbidden(permission)
        return account

    check.permission = permission  # type: ignore[attr-defined]
    check.city_param = city  # type: ignore[attr-defined]
    return check


def _forbidden(permission: Permission) -> Forbidden:
    return Forbidden(f"Your account may not use {permission.value} here.")


def _city_ags(name: Any) -> str:
    from cityindex.web import data

    return data.city(str(name or "")).ags


PUBLIC = Depends(allow(Permission.PUBLIC))
#: OpenAPI responses of a page that needs an account.
PRIVATE_RESPONSES = {
    **RESPONSES,
    401: {"model": ErrorEnvelope, "description": "Not signed in"},
    403: {"model": ErrorEnvelope, "description": "Not allowed for this account"},
}


def app_routes(api: FastAPI) -> list:
    """Every route of the app, flattened (newer FastAPI keeps included routers as lazy entries)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: api.routes is flat already
        return list(api.routes)
    return list(iter_route_contexts(api.routes))


def declared_permission(route) -> tuple[Permission, str | None] | None:
    """The permission a route declares through ``allow()`` (router or route dependency), if any."""
    stack = list(getattr(getattr(route, "dependant", None), "dependencies", []))
    while stack:
        dep = stack.pop()
        if hasattr(dep.call, "permission"):
            return dep.call.permission, dep.call.city_param
        stack.extend(dep.dependencies)
    return None


# Forms -----------------------------------------------------------------------------------------

class Form(dict):
    """A POSTed form's text fields (last value of each) with ``getlist`` for repeated fields."""

    def __init__(self, form):
        super().__init__((k, v) for k, v in form.items() if isinstance(v, str))
        self.lists = {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form.keys()}

    def getlist(self, name: str) -> list[str]:
        return self.lists.get(name, [])


async def form_data(request: Request) -> Form:
    """The POSTed form as text fields, after the CSRF check (403 ``CsrfError`` otherwise)."""
    visitor = current_visitor(request)
    try:
        size = int(request.headers.get("content-length") or 0)
    except ValueError:
        size = MAX_FORM_BYTES + 1
    if size > MAX_FORM_BYTES:
        raise CsrfError("The form is too large.")
    try:
        form = await request.form(max_files=0, max_fields=200, max_part_size=MAX_FORM_BYTES)
    except Exception:  # malformed body: no valid token can be in it
        raise CsrfError() from None
    fields = Form(form)
    if not visitor.has_csrf_cookie or not csrf.same_token(fields.get(csrf.FIELD), visitor.csrf):
        raise CsrfError()
    return fields


FormDep = Annotated[Form, Depends(form_data)]


def form_page(request: Request, template: str | list[str], context: dict, *, status: int = 200):
    """An uncached page whose forms carry the visitor's CSRF token (``csrf_token`` in the template)."""
    visitor = current_visitor(request)
    ctx = {**context, "csrf_token": visitor.csrf, "account": visitor.account}
    return page(request, template, ctx, lang=get_lang(request), status=status, cache=False)


def redirect(url: str) -> RedirectResponse:
    """303 See Other: the browser follows with GET (the pattern after every POST)."""
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None, default: str) -> str:
    """A local path to continue to after sign-in; anything else (other hosts, ``//x``) gives the default."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return default


def home_of(account: Account) -> str:
    return "/pruefung/" if account.role is Role.CITY else "/team/"


# Errors ----------------------------------------------------------------------------------------

async def auth_error(request: Request, exc: AuthError):
    """Redirect to sign-in (HTML) or 401 (JSON) when not signed in; else a page/JSON with the status."""
    json = wants_json(request)
    if isinstance(exc, SecondFactorPending) and not json:
        return redirect("/anmelden/code")
    if isinstance(exc, NotSignedIn) and not json:
        return redirect("/anmelden?next=" + quote(request.url.path, safe="/"))
    if isinstance(exc, EnrolmentNeeded) and not json:
        return redirect("/konto#zwei-faktor")
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else {}
    if json:
        response = api_error(exc.status, str(exc))
    else:
        response = form_page(request, "auth/message.html", {"status": exc.status, "message_key": exc.key,
                                                            "message": str(exc)}, status=exc.status)
    response.headers.update(headers)
    return response


def check_secret(settings: Settings) -> None:
    """Accounts refuse to start with a placeholder or short secret key."""
    secret = settings.secret_key.strip()
    if secret.lower() in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET:
        raise AccountsOff()


def install_accounts(api: FastAPI, settings: Settings, store: Store | None) -> Accounts:
    """Check the secret, open the store, add the account routes and their error handler."""
    from cityindex.store.db import open_store
    from cityindex.web.routes import account, admin, city_review, review, signin, team, team_review

    check_secret(settings)
    accounts = Accounts(store or open_store(settings=settings), settings)
    api.state.accounts = accounts
    for module in (signin, account, team, admin, team_review, city_review, review):
        api.include_router(module.router)
    api.add_exception_handler(AuthError, auth_error)
    return accounts
