"""Admin pages under ``/team/admin/``: users (add, invite, reset password, disable, enable), the
mandatory second factor, and the security audit log with filters (``/team/admin/protokoll``).

Each action is a POST form with a CSRF token; a one-time link is shown once on the page that
issued it (and never again: only its hash is stored).
"""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from cityindex.auth import audit
from cityindex.auth.errors import AuthError, UnknownUser
from cityindex.auth.models import ROLES
from cityindex.auth.policy import Account, Permission
from cityindex.auth.totp import mfa_required, set_mfa_required
from cityindex.auth.users import (add_user, city_codes, disable_user, enable_user, issue_link, list_users,
                                  user_by_id)
from cityindex.errors import CityIndexError, UnknownCity
from cityindex.web.auth import PRIVATE_RESPONSES, FormDep, accounts_of, allow, current_visitor, form_page, redirect
from cityindex.web.deps import api

AdminDep = Annotated[Account, Depends(allow(Permission.USERS_MANAGE))]
router = APIRouter(tags=["admin"], responses=PRIVATE_RESPONSES)
FILTERS = ("event", "actor", "user", "since", "until")
DateQuery = Annotated[str | None, Query(description="A day, YYYY-MM-DD (UTC)", json_schema_extra={"format": "date"})]


def users_context(request: Request) -> dict:
    """The users page and its JSON twin: every user, the cities to choose from, the 2FA option."""
    from cityindex.web import data

    accounts = accounts_of(request)
    names = {c.ags: c.name for c in data.register()}
    users = [{**u.as_dict(), "city_names": [names.get(a, a) for a in u.cities]} for u in list_users(accounts.store)]
    return {"users": users, "roles": list(ROLES), "mfa_required": mfa_required(accounts.store, accounts.settings),
            "mfa_forced_by_setting": accounts.settings.mfa_required,
            "cities": sorted(({"ags": a, "name": n} for a, n in names.items()), key=lambda c: c["name"])}


def _users_page(request: Request, *, status: int = 200, error: str | None = None, form: dict | None = None,
                link=None):
    ctx = {**users_context(request), "done": request.query_params.get("done"), "error": error,
           "form": form or {}, "link": link}
    return form_page(request, "team/admin.html", ctx, status=status)


@router.get("/team/admin/", include_in_schema=False)
def users_page(request: Request, account: AdminDep):
    return _users_page(request)


@router.get("/team/admin", include_in_schema=False)
def users_page_no_slash(account: AdminDep):
    return redirect("/team/admin/")


@router.get("/team/admin.json", summary="Users with role, cities, status and second factor (admins)")
def users_json(request: Request, account: AdminDep):
    return api(request, users_context(request), cache=False)


@router.post("/team/admin/benutzer", include_in_schema=False)
def add_submit(request: Request, account: AdminDep, form: FormDep):
    accounts = accounts_of(request)
    cities = [c for c in form.getlist("city") if c.strip()]
    try:
        user = add_user(accounts.store, form.get("email", ""), role=form.get("role", ""),
                        cities=city_codes(cities), by=account.email, name=form.get("name"),
                        lang=form.get("lang", "de"))
    except (AuthError, UnknownCity) as exc:
        return _users_page(request, status=400, error=getattr(exc, "key", "unknown_city_choice"), form=form)
    link = issue_link(accounts.store, user.email, purpose="invite", by=account.email, settings=accounts.settings)
    return _users_page(request, link=link)


def _target(request: Request, user_id: int):
    user = user_by_id(accounts_of(request).store, user_id)
    if user is None:
        raise UnknownUser(f"No user with id {user_id}.")
    return user


@router.post("/team/admin/benutzer/{user_id}/einladen", include_in_schema=False)
def invite_submit(request: Request, user_id: int, account: AdminDep, form: FormDep):
    return _link(request, user_id, account, "invite")


@router.post("/team/admin/benutzer/{user_id}/passwort", include_in_schema=False)
def reset_submit(request: Request, user_id: int, account: AdminDep, form: FormDep):
    return _link(request, user_id, account, "reset")


def _link(request: Request, user_id: int, account: Account, purpose: str):
    accounts = accounts_of(request)
    user = _target(request, user_id)
    try:
        link = issue_link(accounts.store, user.email, purpose=purpose, by=account.email, settings=accounts.settings)
    except AuthError as exc:
        return _users_page(request, status=400, error=exc.key)
    return _users_page(request, link=link)


@router.post("/team/admin/benutzer/{user_id}/sperren", include_in_schema=False)
def disable_submit(request: Request, user_id: int, account: AdminDep, form: FormDep):
    try:
        disable_user(accounts_of(request).store, _target(request, user_id).email, by=account.email)
    except AuthError as exc:
        return _users_page(request, status=400, error=exc.key)
    return redirect("/team/admin/?done=disabled")


@router.post("/team/admin/benutzer/{user_id}/entsperren", include_in_schema=False)
def enable_submit(request: Request, user_id: int, account: AdminDep, form: FormDep):
    enable_user(accounts_of(request).store, _target(request, user_id).email, by=account.email)
    return redirect("/team/admin/?done=enabled")


@router.post("/team/admin/2fa", include_in_schema=False)
def mfa_option_submit(request: Request, account: AdminDep, form: FormDep):
    required = form.get("required") == "1"
    set_mfa_required(accounts_of(request).store, required, by=account.email, ip=current_visitor(request).ip)
    return redirect("/team/admin/?done=" + ("mfa_on" if required else "mfa_off"))


# Audit log -------------------------------------------------------------------------------------

def audit_context(request: Request) -> dict:
    """The audit log page and its JSON twin: the newest 200 events matching the filters."""
    query = {k: (request.query_params.get(k) or "").strip()[:100] for k in FILTERS}
    errors = [k for k in ("since", "until") if query[k] and _day(query[k]) is None]
    events = [] if errors else audit.list_events(
        accounts_of(request).store, event=query["event"] or None, actor=query["actor"] or None,
        subject=query["user"] or None, since=_day(query["since"]), until=_day(query["until"]), limit=200)
    return {"filters": query, "bad_filters": errors, "events": [e.as_dict() for e in events],
            "event_names": sorted(audit.EVENTS)}


def _day(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d") if text else None
    except ValueError:
        return None


@router.get("/team/admin/protokoll", include_in_schema=False)
def audit_page(request: Request, account: AdminDep):
    ctx = audit_context(request)
    return form_page(request, "team/audit.html", ctx, status=400 if ctx["bad_filters"] else 200)


@router.get("/team/admin/protokoll.json", summary="The security audit log, newest first (admins)")
def audit_json(request: Request, account: AdminDep, event: str | None = None, actor: str | None = None,
               user: str | None = None, since: DateQuery = None, until: DateQuery = None):
    ctx = audit_context(request)
    if ctx["bad_filters"]:
        raise CityIndexError(f"{', '.join(ctx['bad_filters'])}: use a date as YYYY-MM-DD.")
    return api(request, ctx, cache=False)
