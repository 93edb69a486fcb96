"""The one permission policy: roles, permissions, and the decision ``allowed(account, permission, city=)``.

Deny by default: a permission no role holds is refused, a route or CLI command that declares no
permission fails the test that walks the app's route table and the CLI. City users are bound
to their cities: every city-scoped permission is checked against the city the request names.

| role    | permissions |
|---------|-------------|
| public  | public, sign_in |
| city    | + account, city.read and city.write for its own cities |
| analyst | + team.read, data.write, city.read for every city |
| admin   | everything, for every city |
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    ADMIN = "admin"
    ANALYST = "analyst"
    CITY = "city"


class Permission(str, Enum):
    PUBLIC = "public"              # anyone: published and public computed editions, public pages
    SIGN_IN = "sign_in"            # the sign-in flow: sign-in page, second factor, one-time links
    ACCOUNT = "account"            # any signed-in user: own account, second factor, sign-out
    TEAM_READ = "team.read"        # the team's pages; draft and review editions
    DATA_WRITE = "data.write"      # editions, data points, review decisions
    USERS_MANAGE = "users.manage"  # users, account options, the audit log
    CITY_READ = "city.read"        # a city's unpublished data and review (city-scoped)
    CITY_WRITE = "city.write"      # confirm or correct a city's data (city-scoped)


#: Permissions that name a city: a city user holds them only for its own cities.
CITY_SCOPED = frozenset({Permission.CITY_READ, Permission.CITY_WRITE})
ANONYMOUS = frozenset({Permission.PUBLIC, Permission.SIGN_IN})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CITY: ANONYMOUS | {Permission.ACCOUNT, Permission.CITY_READ, Permission.CITY_WRITE},
    Role.ANALYST: ANONYMOUS | {Permission.ACCOUNT, Permission.TEAM_READ, Permission.DATA_WRITE,
                               Permission.CITY_READ},
    Role.ADMIN: frozenset(Permission),
}
#: Series of computed editions that are public whatever their status (computed from open data only).
PUBLIC_SERIES = frozenset({"open"})


@dataclass(frozen=True)
class Account:
    """Who is signed in (from the session), as the policy sees them."""

    user_id: int
    email: str
    role: Role
    cities: frozenset[str] = frozenset()
    name: str | None = None
    lang: str = "de"
    stage: str = "full"  # full | code (second factor pending) | enrol (must set one up)
    session_hash: str | None = None
    mfa: bool = False

    @property
    def is_team(self) -> bool:
        return self.role in (Role.ADMIN, Role.ANALYST)


def allowed(account: Account | None, permission: Permission, *, city: str | None = None) -> bool:
    """May this account (None: anonymous) use the permission, for this city (AGS) where it names one?"""
    if account is None or account.stage == "code":  # no account, or the second factor still pending
        return permission in ANONYMOUS
    if account.stage == "enrol":  # must set up a second factor: only the own account page
        return permission in ANONYMOUS or permission is Permission.ACCOUNT
    if permission not in ROLE_PERMISSIONS[account.role]:
        return False
    if permission in CITY_SCOPED and account.role is Role.CITY:
        return city is None or city in account.cities
    return True


def own_cities(account: Account | None, all_cities: list[str]) -> list[str]:
    """The cities (AGS) whose unpublished data the account may read: its own, or every one for the team."""
    if account is None or not allowed(account, Permission.CITY_READ):
        return []
    return [ags for ags in all_cities if allowed(account, Permission.CITY_READ, city=ags)]


def edition_visible(view, account: Account | None) -> bool:
    """The public sees published and public computed editions; drafts and reviews only the team."""
    if view.kind == "published" or getattr(view, "status", None) == "published" or view.series in PUBLIC_SERIES:
        return True
    return allowed(account, Permission.TEAM_READ)


#: The account of the request being served (set by the web layer; None outside a request).
CURRENT_ACCOUNT: ContextVar[Account | None] = ContextVar("cityindex_account", default=None)


# The command line acts with the operator's database credentials, i.e. with the rights of the
# whole store. Each command still declares what it needs, so the permission table in
# docs/security.md is complete and a new command without a declaration fails the test.
CLI_PERMISSIONS: dict[str, Permission] = {
    **{name: Permission.PUBLIC for name in (
        "version", "cities", "city", "ranking", "sources", "validate", "score", "template", "collect", "serve",
        "whatif", "levers", "plan", "report", "diff-method", "movers", "uncertainty", "stats-audit")},
    **{name: Permission.TEAM_READ for name in ("editions", "history", "export", "rescore")},
    **{name: Permission.DATA_WRITE for name in ("edition", "import", "freeze", "publish", "review")},
    **{f"review {name}": Permission.TEAM_READ for name in ("status", "queue", "export", "receipt")},
    **{name: Permission.USERS_MANAGE for name in ("user", "audit", "backup", "restore")},
}


def cli_permission(path: tuple[str, ...]) -> Permission | None:
    """The permission a CLI command declares: its own entry (``edition create``) or its group's (``edition``)."""
    return CLI_PERMISSIONS.get(" ".join(path)) or CLI_PERMISSIONS.get(path[0])
