"""The cities' pages under ``/pruefung/``: a city user's start page lists its cities; each city's page
(``/pruefung/{city}``) is the frame the data review of an edition fills (issue 8).

City-scoped: a city user opens only its own cities (403 for any other, also by guessing the
URL); the team opens every city.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from cityindex.auth.policy import Account, Permission, own_cities
from cityindex.web.auth import PRIVATE_RESPONSES, accounts_of, allow, form_page, redirect
from cityindex.web.deps import api

ReviewerDep = Annotated[Account, Depends(allow(Permission.CITY_READ))]
CityReviewerDep = Annotated[Account, Depends(allow(Permission.CITY_READ, city="city"))]
router = APIRouter(tags=["review"], responses=PRIVATE_RESPONSES)


def _city_entry(city) -> dict:
    return {"ags": city.ags, "name": city.name, "slug": city.slug, "state": city.state,
            "url": f"/pruefung/{city.slug}"}


def review_home_context(account: Account) -> dict:
    """The cities this account may review: its own (city users) or every one (the team)."""
    from cityindex.web import data

    register = {c.ags: c for c in data.register()}
    mine = own_cities(account, sorted(register, key=lambda a: register[a].name))
    return {"cities": [_city_entry(register[a]) for a in mine], "team": account.is_team}


def review_city_context(request: Request, name: str) -> dict:
    """One city's review frame: the city and the editions now in review."""
    from cityindex.store import list_editions
    from cityindex.web import data

    from cityindex.review.campaigns import campaign_keys

    city, store = data.city(name), accounts_of(request).store
    reviewed = campaign_keys(store)
    in_review = [{"key": e.key, "title": e.title, "url": f"/pruefung/{city.slug}/{e.key}"}
                 for e in list_editions(store) if e.status == "review" and e.key in reviewed]
    return {"city": _city_entry(city), "editions_in_review": in_review}


@router.get("/pruefung/", include_in_schema=False)
def review_home(request: Request, account: ReviewerDep):
    return form_page(request, "pruefung/index.html", review_home_context(account))


@router.get("/pruefung", include_in_schema=False)
def review_home_no_slash(account: ReviewerDep):
    return redirect("/pruefung/")


@router.get("/pruefung.json", summary="The cities the signed-in user reviews")
def review_home_json(request: Request, account: ReviewerDep):
    return api(request, review_home_context(account), cache=False)


@router.get("/pruefung/{city}.json", summary="One city's review page (the city's reviewers and the team)")
def review_city_json(request: Request, city: str, account: CityReviewerDep):
    return api(request, review_city_context(request, city), cache=False)


@router.get("/pruefung/{city}", include_in_schema=False)
def review_city(request: Request, city: str, account: CityReviewerDep):
    return form_page(request, "pruefung/city.html", review_city_context(request, city))
