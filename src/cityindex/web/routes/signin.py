"""Signing in and out: ``/anmelden`` (``/login`` redirects), ``/anmelden/code`` (second factor),
``/abmelden``, and ``/zugang/{token}`` (set a password through an invitation or reset link).

Every failure of a sign-in gets the same message (no hint whether the address exists);
repeated failures per address or per client give 429 with Retry-After.
"""

from fastapi import APIRouter, Depends, Request

from cityindex.auth import audit
from cityindex.auth.errors import AuthError, BadCode, BadCredentials, Throttled, WeakPassword
from cityindex.auth.policy import Permission
from cityindex.auth.sessions import end_session, open_session
from cityindex.auth.totp import needs_enrolment, verify_mfa
from cityindex.auth.users import check_password, link_info, use_link
from cityindex.web.auth import (FormDep, accounts_of, allow, current_visitor, form_page,
                                home_of, redirect, safe_next)
from cityindex.web.deps import api
from cityindex.web.envelope import RESPONSES

router = APIRouter(tags=["accounts"], responses=RESPONSES, dependencies=[Depends(allow(Permission.SIGN_IN))])


def _signin_form(request: Request, *, email: str = "", error: AuthError | None = None, status: int = 200):
    ctx = {"email": email, "next": request.query_params.get("next", ""), "error": error and error.key,
           "done": request.query_params.get("done")}
    return form_page(request, "auth/signin.html", ctx, status=status)


@router.get("/anmelden", include_in_schema=False)
def signin_page(request: Request):
    account = current_visitor(request).account
    if account is not None and account.stage == "full":
        return redirect(safe_next(request.query_params.get("next"), home_of(account)))
    return _signin_form(request)


@router.get("/anmelden.json", summary="Who is signed in (the sign-in page's JSON twin)")
def signin_json(request: Request):
    account = current_visitor(request).account
    signed_in = account is not None and account.stage == "full"
    return api(request, {"signed_in": signed_in, "sign_in_url": "/anmelden",
                         "account": {"email": account.email, "role": account.role.value} if signed_in else None},
               cache=False)


@router.get("/login", include_in_schema=False)
def login_redirect(request: Request):
    query = f"?{request.url.query}" if request.url.query else ""
    return redirect("/anmelden" + query)


def _throttle_or_fail(request: Request, email: str) -> None:
    accounts = accounts_of(request)
    ip = current_visitor(request).ip or "unknown"
    wait = accounts.throttle.retry_after(email, ip)
    if wait:
        audit.log_event(accounts.store, "signin.throttled", actor=None, subject=email or None, ip=ip)
        raise Throttled(wait)


def _failed(request: Request, email: str, step: str) -> None:
    accounts = accounts_of(request)
    ip = current_visitor(request).ip or "unknown"
    accounts.throttle.failed(email, ip)
    audit.log_event(accounts.store, "signin.failed", actor=None, subject=email or None, ip=ip, step=step)


@router.post("/anmelden", include_in_schema=False)
def signin_submit(request: Request, form: FormDep):
    accounts = accounts_of(request)
    visitor = current_visitor(request)
    email = form.get("email", "").strip()[:254]
    _throttle_or_fail(request, email.lower())
    try:
        user = check_password(accounts.store, email, form.get("password", ""), settings=accounts.settings)
    except BadCredentials as exc:
        _failed(request, email.lower(), "password")
        return _signin_form(request, email=email, error=exc, status=401)
    if visitor.session_id:  # never carry an earlier session over a sign-in
        end_session(accounts.store, visitor.session_id, settings=accounts.settings)
    stage = "code" if user.mfa else ("enrol" if needs_enrolment(user.role, user.mfa, accounts.store,
                                                                  accounts.settings) else "full")
    response = redirect("/anmelden/code" if stage == "code" else
                        "/konto#zwei-faktor" if stage == "enrol" else
                        safe_next(form.get("next"), "/pruefung/" if user.role == "city" else "/team/"))
    if stage == "full":  # with a second factor, signed in (and the count cleared) only after the code
        accounts.throttle.succeeded(user.email)
        audit.log_event(accounts.store, "signin.ok", actor=user.email, subject=user.email, ip=visitor.ip)
    _set_session(response, request, user.id, stage)
    return response


def _set_session(response, request: Request, user_id: int, stage: str) -> None:
    accounts = accounts_of(request)
    session_id = open_session(accounts.store, user_id, settings=accounts.settings, stage=stage)
    response.raw_headers.append((b"set-cookie", accounts.cookie(accounts.session_cookie, session_id)))


@router.get("/anmelden/code", include_in_schema=False)
def code_page(request: Request):
    account = current_visitor(request).account
    if account is None or account.stage != "code":
        return redirect("/anmelden")
    return form_page(request, "auth/code.html", {"error": None})


@router.post("/anmelden/code", include_in_schema=False)
def code_submit(request: Request, form: FormDep):
    account = current_visitor(request).account
    if account is None or account.stage != "code":
        return redirect("/anmelden")
    accounts = accounts_of(request)
    visitor = current_visitor(request)
    _throttle_or_fail(request, account.email)
    try:
        verify_mfa(accounts.store, account.user_id, form.get("code", ""), ip=visitor.ip)
    except BadCode as exc:
        _failed(request, account.email, "code")
        return form_page(request, "auth/code.html", {"error": exc.key}, status=401)
    accounts.throttle.succeeded(account.email)
    end_session(accounts.store, visitor.session_id, settings=accounts.settings)  # a new id for the full session
    audit.log_event(accounts.store, "signin.ok", actor=account.email, subject=account.email, ip=visitor.ip, mfa=True)
    response = redirect(home_of(account))
    _set_session(response, request, account.user_id, "full")
    return response


@router.get("/abmelden", include_in_schema=False)
def signout_page(request: Request):
    if current_visitor(request).account is None:
        return redirect("/")
    return form_page(request, "auth/signout.html", {})


@router.post("/abmelden", include_in_schema=False)
def signout_submit(request: Request, form: FormDep):
    accounts = accounts_of(request)
    visitor = current_visitor(request)
    response = redirect("/")
    if visitor.session_id:
        end_session(accounts.store, visitor.session_id, settings=accounts.settings)
        audit.log_event(accounts.store, "signout", actor=visitor.account.email, subject=visitor.account.email,
                        ip=visitor.ip)
    response.raw_headers.append((b"set-cookie", accounts.cookie(accounts.session_cookie, "", max_age=0)))
    return response


@router.get("/zugang/{token}", include_in_schema=False)
def link_page(request: Request, token: str):
    purpose, user = link_info(accounts_of(request).store, token)  # InvalidLink: the 410 page
    return form_page(request, "auth/link.html", {"purpose": purpose, "email": user.email, "error": None})


@router.post("/zugang/{token}", include_in_schema=False)
def link_submit(request: Request, token: str, form: FormDep):
    accounts = accounts_of(request)
    purpose, user = link_info(accounts.store, token)
    password, repeat = form.get("new_password", ""), form.get("new_password_repeat", "")
    error = None
    if password != repeat:
        error = "password_mismatch"
    else:
        try:
            use_link(accounts.store, token, password, settings=accounts.settings, ip=current_visitor(request).ip)
        except WeakPassword as exc:
            error = f"weak_password_{exc.reason}"
    if error:
        return form_page(request, "auth/link.html", {"purpose": purpose, "email": user.email, "error": error},
                         status=400)
    return redirect("/anmelden?done=password")
