"""The index team's start page ``/team/`` (+ ``/team.json``): every stored edition with its status
(drafts and reviews included), and the way to the admin pages and the cities' review pages."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from cityindex.auth.policy import Account, Permission, allowed
from cityindex.web.auth import PRIVATE_RESPONSES, accounts_of, allow, form_page, redirect
from cityindex.web.deps import api

TeamDep = Annotated[Account, Depends(allow(Permission.TEAM_READ))]
router = APIRouter(tags=["team"], responses=PRIVATE_RESPONSES)


def team_context(request: Request, account: Account) -> dict:
    """What the team's start page and its JSON twin show."""
    from cityindex.store import list_editions

    from cityindex.review.campaigns import campaign_keys

    store = accounts_of(request).store
    stored, reviewed = list_editions(store), campaign_keys(store)
    return {
        "account": {"email": account.email, "name": account.name, "role": account.role.value},
        "editions": [{"key": e.key, "title": e.title, "status": e.status, "data_points": e.datapoints,
                      "computed": e.computed_at is not None,
                      "url": f"/{e.key}/ranking" if e.computed_at is not None else None,
                      "review_url": f"/team/pruefung/{e.key}" if e.key in reviewed else None} for e in stored],
        "links": {"admin": "/team/admin/" if allowed(account, Permission.USERS_MANAGE) else None,
                  "review": "/pruefung/", "account": "/konto"},
    }


@router.get("/team/", include_in_schema=False)
def team_page(request: Request, account: TeamDep):
    return form_page(request, "team/index.html", team_context(request, account))


@router.get("/team", include_in_schema=False)
def team_page_no_slash(account: TeamDep):
    return redirect("/team/")


@router.get("/team.json", summary="The team's start page: stored editions with their status")
def team_json(request: Request, account: TeamDep):
    return api(request, team_context(request, account), cache=False)
