"""Account commands: ``user add|list|disable|enable|invite|reset-password|set-role``, ``audit``,
``backup`` and ``restore``. Thin wrappers over ``cityindex.auth`` and ``cityindex.store.backup``;
the actor recorded in the audit log is ``cli:<login name>``.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cityindex.cli.app import DbOpt, DirOpt, app, open_cli_store
from cityindex.cli.store import ReportFormat, _by, _console

user_app = typer.Typer(
    help="Accounts of the index team and the cities: add, list, invite, disable.\n\nExample:\n\n"
         "    cityindex user add admin@example.org --role admin",
    no_args_is_help=True)
app.add_typer(user_app, name="user")


class RoleChoice(str, Enum):
    admin = "admin"
    analyst = "analyst"
    city = "city"


EmailArg = Annotated[str, typer.Argument(help="E-mail address of the user.")]
CityOpt = Annotated[list[str] | None, typer.Option("--city", help="A city of the register (name, slug or AGS); "
                                                                  "repeat for several. Only for --role city.")]


def _actor() -> str:
    return f"cli:{_by(None)}"


def _settings(database_url: str | None, data_dir: Path | None):
    from cityindex.settings import get_settings

    return get_settings(database_url=database_url, data_dir=data_dir)


def _cities(info) -> str:
    from cityindex.cities import load_register

    register = load_register()
    names = [register.find(ags).name if register.find(ags) else ags for ags in info.cities]
    return f": {', '.join(names)}" if names else ""


def _print_link(link) -> None:
    what = "Invitation" if link.purpose == "invite" else "Password reset link"
    until = link.expires_at.strftime("%Y-%m-%d %H:%M")
    typer.echo(f"{what} for {link.user.email} (single use, valid until {until} UTC):\n{link.url}")


@user_app.command("add")
def user_add(email: EmailArg,
             role: Annotated[RoleChoice, typer.Option("--role", help="admin, analyst or city.")],
             city: CityOpt = None,
             name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
             lang: Annotated[str, typer.Option("--lang", help="Language of the user's mails and pages: de or en.")] = "de",
             invite: Annotated[bool, typer.Option("--invite/--no-invite", help="Also print an invitation link.")] = True,
             database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Add a user and print their invitation link (the user sets a password through it).

    The first admin of a new installation is created the same way.

    Example:

        cityindex user add admin@example.org --role admin
        cityindex user add pruefung@oberhausen.de --role city --city Oberhausen
    """
    from cityindex.auth import add_user, issue_link
    from cityindex.auth.users import city_codes

    settings = _settings(database_url, data_dir)
    with open_cli_store(database_url, data_dir) as store:
        info = add_user(store, email, role=role.value, cities=city_codes(city or []), by=_actor(), name=name,
                        lang=lang)
        typer.echo(f"User {info.email} added ({info.role}{_cities(info)}).")
        if invite:
            _print_link(issue_link(store, info.email, purpose="invite", by=_actor(), settings=settings))


@user_app.command("list")
def user_list(role: Annotated[RoleChoice | None, typer.Option("--role", help="Only this role.")] = None,
              fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
              database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """List the users with role, cities, status and second factor.

    Example:

        cityindex user list --role city
    """
    from cityindex.auth import list_users

    with open_cli_store(database_url, data_dir) as store:
        users = list_users(store, role=role.value if role else None)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps([u.as_dict() for u in users], indent=2))
        return
    table = Table("e-mail", "name", "role", "cities", "status", "2FA", "created")
    for u in users:
        cities = _cities(u).removeprefix(": ")
        status = ("active" if u.has_password else "invited") if u.active else "disabled"
        table.add_row(u.email, u.name or "", u.role, cities, status, "yes" if u.mfa else "no",
                      u.created_at.strftime("%Y-%m-%d"))
    _console().print(table if users else "No users yet. Add the first admin: "
                     "cityindex user add ADDRESS --role admin")


@user_app.command("disable")
def user_disable(email: EmailArg, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Disable a user: their sessions and open links end at once (the last admin cannot be disabled).

    Example:

        cityindex user disable ana@example.org
    """
    from cityindex.auth import disable_user

    _change(disable_user, email, "disabled", database_url, data_dir)


@user_app.command("enable")
def user_enable(email: EmailArg, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Enable a disabled user again.

    Example:

        cityindex user enable ana@example.org
    """
    from cityindex.auth import enable_user

    _change(enable_user, email, "active", database_url, data_dir)


def _change(action, email: str, state: str, database_url: str | None, data_dir: Path | None) -> None:
    with open_cli_store(database_url, data_dir) as store:
        info = action(store, email, by=_actor())
    typer.echo(f"User {info.email} is {state}.")


@user_app.command("invite")
def user_invite(email: EmailArg, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Print a new invitation link (single use, valid for invite_valid_days; older links end).

    Example:

        cityindex user invite ana@example.org
    """
    _link(email, "invite", database_url, data_dir)


@user_app.command("reset-password")
def user_reset_password(email: EmailArg, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Print a password reset link (single use, valid 24 hours); the user's sessions end when it is used.

    Example:

        cityindex user reset-password ana@example.org
    """
    _link(email, "reset", database_url, data_dir)


def _link(email: str, purpose: str, database_url: str | None, data_dir: Path | None) -> None:
    from cityindex.auth import issue_link

    settings = _settings(database_url, data_dir)
    with open_cli_store(database_url, data_dir) as store:
        _print_link(issue_link(store, email, purpose=purpose, by=_actor(), settings=settings))


@user_app.command("set-role")
def user_set_role(email: EmailArg,
                  role: Annotated[RoleChoice, typer.Option("--role", help="admin, analyst or city.")],
                  city: CityOpt = None, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Change a user's role (and cities); the last active admin stays an admin.

    Example:

        cityindex user set-role ana@example.org --role admin
    """
    from cityindex.auth import set_role
    from cityindex.auth.users import city_codes

    with open_cli_store(database_url, data_dir) as store:
        info = set_role(store, email, role=role.value, cities=city_codes(city or []), by=_actor())
    typer.echo(f"User {info.email} is now {info.role}{_cities(info)}.")


def _day(text: str | None, option: str) -> dt.datetime | None:
    from cityindex.errors import CityIndexError

    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise CityIndexError(f"{option} {text!r} is not a date; use YYYY-MM-DD.") from None


@app.command()
def audit(event: Annotated[str | None, typer.Option("--event", help="Event or its prefix, e.g. signin.")] = None,
          actor: Annotated[str | None, typer.Option("--actor", help="Part of who acted.")] = None,
          subject: Annotated[str | None, typer.Option("--user", help="Part of the user concerned.")] = None,
          since: Annotated[str | None, typer.Option("--since", help="From this day (YYYY-MM-DD, UTC).")] = None,
          until: Annotated[str | None, typer.Option("--until", help="Before this day (YYYY-MM-DD, UTC).")] = None,
          limit: Annotated[int, typer.Option("--limit", min=1, max=5000, help="At most this many, newest first.")] = 100,
          fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
          database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Show the security audit log (sign-ins, sign-outs, passwords, second factor, links, roles).

    Example:

        cityindex audit --event signin.failed --since 2026-01-01
    """
    from cityindex.auth import list_events

    with open_cli_store(database_url, data_dir) as store:
        events = list_events(store, event=event, actor=actor, subject=subject, since=_day(since, "--since"),
                             until=_day(until, "--until"), limit=limit)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps([e.as_dict() for e in events], indent=2))
        return
    table = Table("time (UTC)", "event", "actor", "user", "address", "detail")
    for e in events:
        table.add_row(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.event, e.actor or "", e.subject or "", e.ip or "",
                      json.dumps(e.detail, ensure_ascii=False) if e.detail else "")
    _console().print(table if events else "No events match.")


@app.command("backup")
def backup_command(file: Annotated[Path, typer.Argument(help="Backup file to write.")],
                   database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Back up the whole store while it runs (SQLite: online backup API; PostgreSQL: a portable dump).

    Example:

        cityindex backup /srv/backups/cityindex-2026-05-01.bak
    """
    from cityindex.store.backup import backup

    with open_cli_store(database_url, data_dir) as store:
        info = backup(store, file)
    typer.echo(f"Backup written to {info.path} ({info.kind}, migration {info.revision}, "
               f"{sum(info.tables.values()):,} rows in {len(info.tables)} tables).")


@app.command("restore")
def restore_command(file: Annotated[Path, typer.Argument(help="Backup file written by cityindex backup.")],
                    force: Annotated[bool, typer.Option("--force", help="Replace a store that holds data.")] = False,
                    database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Restore a backup into an empty store (with --force: replace everything in the store).

    Example:

        cityindex restore /srv/backups/cityindex-2026-05-01.bak --database-url sqlite:///new.sqlite
    """
    from cityindex.store.backup import restore

    with open_cli_store(database_url, data_dir) as store:
        info = restore(store, file, force=force)
    typer.echo(f"Restored {sum(info.tables.values()):,} rows in {len(info.tables)} tables from {info.path} "
               f"into {store.url}.")
