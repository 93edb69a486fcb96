"""A signed-in user's own account: ``/konto`` (+ ``/konto.json``): password change and second factor.

Setting up the second factor: ``/konto/2fa/start`` shows the secret for the authenticator app,
``/konto/2fa/bestaetigen`` activates it with a first code and shows the recovery codes once.
When the team requires a second factor, a user without one lands here after signing in and
can open nothing else until it is set up.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from cityindex.auth.errors import BadCode, BadCredentials, WeakPassword
from cityindex.auth.policy import Account, Permission
from cityindex.auth.sessions import end_session, open_session
from cityindex.auth.totp import confirm_mfa, disable_mfa, mfa_required, pending_secret, start_mfa
from cityindex.auth.users import change_password, check_password
from cityindex.auth import audit
from cityindex.web.auth import PRIVATE_RESPONSES, FormDep, accounts_of, allow, current_visitor, form_page, redirect
from cityindex.web.deps import api

AccountDep = Annotated[Account, Depends(allow(Permission.ACCOUNT))]
router = APIRouter(tags=["accounts"], responses=PRIVATE_RESPONSES)


def account_context(request: Request, account: Account) -> dict:
    """What the account page and its JSON twin show."""
    from cityindex.web import data

    accounts = accounts_of(request)
    names = {c.ags: c.name for c in data.register()}
    return {
        "email": account.email, "name": account.name, "role": account.role.value,
        "cities": [{"ags": a, "name": names.get(a, a)} for a in sorted(account.cities)],
        "mfa": account.mfa, "mfa_required": mfa_required(accounts.store, accounts.settings) and account.is_team,
        "must_enrol": account.stage == "enrol",
    }


def _page(request: Request, account: Account, *, status: int = 200, **extra):
    ctx = {**account_context(request, account), "message": None, "error": None, "secret": None, **extra}
    return form_page(request, "auth/account.html", ctx, status=status)


@router.get("/konto", include_in_schema=False)
def account_page(request: Request, account: AccountDep):
    return _page(request, account, message=request.query_params.get("done"))


@router.get("/konto.json", summary="The signed-in user's account")
def account_json(request: Request, account: AccountDep):
    return api(request, account_context(request, account), cache=False)


@router.post("/konto/passwort", include_in_schema=False)
def password_submit(request: Request, account: AccountDep, form: FormDep):
    accounts = accounts_of(request)
    new, repeat = form.get("new_password", ""), form.get("new_password_repeat", "")
    if new != repeat:
        return _page(request, account, status=400, error="password_mismatch")
    try:
        change_password(accounts.store, account.user_id, form.get("password", ""), new, settings=accounts.settings,
                        keep_session=account.session_hash, ip=current_visitor(request).ip)
    except BadCredentials:
        return _page(request, account, status=400, error="wrong_password")
    except WeakPassword as exc:
        return _page(request, account, status=400, error=f"weak_password_{exc.reason}")
    return redirect("/konto?done=password_changed")


@router.post("/konto/2fa/start", include_in_schema=False)
def mfa_start(request: Request, account: AccountDep, form: FormDep):
    accounts = accounts_of(request)
    if account.mfa:
        return redirect("/konto")
    secret, uri = start_mfa(accounts.store, account.user_id)
    return _page(request, account, secret=secret, otpauth=uri)


@router.post("/konto/2fa/bestaetigen", include_in_schema=False)
def mfa_confirm(request: Request, account: AccountDep, form: FormDep):
    accounts = accounts_of(request)
    visitor = current_visitor(request)
    try:
        codes = confirm_mfa(accounts.store, account.user_id, form.get("code", ""), ip=visitor.ip)
    except BadCode:
        secret = pending_secret(accounts.store, account.user_id)
        return _page(request, account, status=400, error="bad_code", secret=secret)
    response = form_page(request, "auth/recovery.html", {"codes": codes})
    if account.stage == "enrol":  # the second factor completes the sign-in: a new session id
        audit.log_event(accounts.store, "signin.ok", actor=account.email, subject=account.email, ip=visitor.ip,
                        mfa=True)
        end_session(accounts.store, visitor.session_id, settings=accounts.settings)
        session_id = open_session(accounts.store, account.user_id, settings=accounts.settings)
        response.raw_headers.append((b"set-cookie", accounts.cookie(accounts.session_cookie, session_id)))
    return response


@router.post("/konto/2fa/entfernen", include_in_schema=False)
def mfa_remove(request: Request, account: AccountDep, form: FormDep):
    accounts = accounts_of(request)
    if mfa_required(accounts.store, accounts.settings) and account.is_team:
        return _page(request, account, status=400, error="mfa_mandatory")
    try:
        check_password(accounts.store, account.email, form.get("password", ""), settings=accounts.settings)
    except BadCredentials:
        return _page(request, account, status=400, error="wrong_password")
    disable_mfa(accounts.store, account.user_id, by=account.email, ip=current_visitor(request).ip)
    return redirect("/konto?done=mfa_removed")
