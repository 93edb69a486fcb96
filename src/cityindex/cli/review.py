"""Review commands: open, remind, close, status, queue, decide, accept-confirmations, export, receipt.

Thin wrappers over ``cityindex.review``; ``--by`` names who acts (default ``cli:<login>``).
Library errors become one line and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cityindex.cli.app import DbOpt, DirOpt, app, open_cli_store
from cityindex.cli.core import Lang, LangOpt
from cityindex.cli.store import EditionOpt, ReportFormat, _by, _console
from cityindex.errors import CityIndexError

review_app = typer.Typer(
    help="Run the review round: cities check their data, the team decides.\n\nExample:\n\n"
         "    cityindex review open --edition 2026 --deadline 2026-05-15",
    no_args_is_help=True)
app.add_typer(review_app, name="review")

ReviewByOpt = Annotated[str | None, typer.Option("--by", help="Who acts (default: cli:<login name>).")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the mails; send nothing, change nothing.")]


class LogFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


class Decision(str, Enum):
    accept = "accept"
    reject = "reject"
    ask = "ask"


def _who(by: str | None) -> str:
    return by or f"cli:{_by(None)}"


def _settings(database_url, data_dir):
    from cityindex.settings import get_settings

    return get_settings(database_url=database_url, data_dir=data_dir)


def _deadline(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CityIndexError(f"--deadline {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-05-15.") from None


def _reviewers(store, invite: bool, *, by: str, settings):
    from cityindex.review.people import city_reviewers

    return city_reviewers(store, by=by, settings=settings, invite=invite)


def _print_mailing(mailing, *, what: str) -> None:
    if mailing.dry_run:
        for mail in mailing.mails:
            typer.echo(mail.render())
            typer.echo("-" * 72)
        typer.echo(f"Dry run: {len(mailing.mails)} {what} would be sent; nothing was sent or changed.")
    else:
        typer.echo(f"{mailing.sent} {what} sent.")
    if mailing.cities_without_reviewer:
        from cityindex.cities import load_register

        register = load_register()
        names = ", ".join(register.get(ags).name for ags in mailing.cities_without_reviewer)
        typer.echo(f"No reviewer for {len(mailing.cities_without_reviewer)} city/cities: {names}. Add one with "
                   "`cityindex user add EMAIL --role city --city NAME`.")


@review_app.command("open")
def review_open(edition: EditionOpt,
                deadline: Annotated[str, typer.Option("--deadline", help="Last day of the round, YYYY-MM-DD.")],
                dry_run: DryRunOpt = False, by: ReviewByOpt = None,
                database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Open the review round: the draft edition moves to review and every city's reviewers get an invitation.

    The SMTP server is reached first: if it fails, nothing changes.

    Example:

        cityindex review open --edition 2026 --deadline 2026-05-15 --dry-run
    """
    from cityindex.review import open_review

    day, settings = _deadline(deadline), _settings(database_url, data_dir)
    with open_cli_store(database_url, data_dir) as store:
        recipients = partial(_reviewers, store, by=_who(by), settings=settings)
        info, mailing = open_review(store, edition=edition, deadline=day, by=_who(by), recipients=recipients,
                                    settings=settings, dry_run=dry_run)
    _print_mailing(mailing, what="invitation(s)")
    if info is not None:
        typer.echo(f"Review of edition {edition} is open until {info.deadline.isoformat()} "
                   f"({len(info.cities)} cities).")


@review_app.command("remind")
def review_remind(edition: EditionOpt, dry_run: DryRunOpt = False, by: ReviewByOpt = None,
                  database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Remind the reviewers of every city that has not submitted its review.

    Example:

        cityindex review remind --edition 2026
    """
    from cityindex.review import remind

    settings = _settings(database_url, data_dir)
    with open_cli_store(database_url, data_dir) as store:
        mailing = remind(store, edition=edition, by=_who(by), recipients=partial(_reviewers, store, by=_who(by),
                                                                                  settings=settings),
                         settings=settings, dry_run=dry_run)
    _print_mailing(mailing, what="reminder(s)")


@review_app.command("close")
def review_close(edition: EditionOpt, by: ReviewByOpt = None,
                 database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Close the review round: cities can no longer change their entries; the team can still decide.

    Example:

        cityindex review close --edition 2026
    """
    from cityindex.review import close_campaign

    with open_cli_store(database_url, data_dir) as store:
        info = close_campaign(store, edition=edition, by=_who(by))
    typer.echo(f"Review of edition {edition} is closed ({info.closed_at.isoformat(timespec='minutes')}).")


@review_app.command("status")
def review_status(edition: EditionOpt, lang: LangOpt = Lang.de,
                  fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
                  database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """The status board: each city's progress, the share of cities that reviewed, open proposals by area.

    Example:

        cityindex review status --edition 2026 --lang en
    """
    from cityindex.review import status_board

    with open_cli_store(database_url, data_dir) as store:
        board = status_board(store, edition=edition, lang=lang.value)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(board, ensure_ascii=False, indent=2))
        return
    de = lang is Lang.de
    table = Table(*(("Stadt", "Stand", "Einträge", "Korrekturen", "offen", "geändert", "abgeschlossen") if de else
                    ("City", "Status", "Entries", "Corrections", "Open", "Changed", "Submitted")),
                  title=f"{board['edition_title']} ({board['edition']})")
    for c in board["cities"]:
        table.add_row(c["city_name"], c["status_label"], str(c["entries"]), str(c["corrections"]), str(c["pending"]),
                      str(c["changed"]), (c["submitted_at"] or "—").replace("T", " "))
    console = _console()
    console.print(table)
    share = f"{board['share_reviewed'] * 100:.0f} %"
    areas = ", ".join(f"{a['name']} {a['open']}" for a in board["open_by_area"])
    console.print(f"{board['reviewed']} / {board['n_cities']} ({share}) " +
                  ("Städte haben ihre Daten geprüft. Offene Vorschläge: " if de else
                   "cities reviewed their data. Open proposals: ") + areas)


@review_app.command("queue")
def review_queue(edition: EditionOpt,
                 city: Annotated[str | None, typer.Option("--city", "-c", help="Only this city.")] = None,
                 area: Annotated[str | None, typer.Option("--area", help="Only this area code.")] = None,
                 state: Annotated[str | None, typer.Option("--state", help="open, asked, accepted, rejected or changed.")] = None,
                 confirmations: Annotated[bool, typer.Option("--confirmations", help="Confirmations instead of corrections.")] = False,
                 page: Annotated[int, typer.Option("--page", min=1, help="Page (100 entries each).")] = 1,
                 lang: LangOpt = Lang.de,
                 fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
                 database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """The team's queue: submitted corrections (or confirmations) with old and proposed value and evidence.

    Example:

        cityindex review queue --edition 2026 --state open --city Aachen
    """
    from cityindex.review import queue

    with open_cli_store(database_url, data_dir) as store:
        found = queue(store, edition=edition, city=city, area=area, state=state,
                      kind="confirm" if confirmations else "correct", page=page, lang=lang.value)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    table = Table(*(("#", "Version", "Stadt", "Parameter", "bisher", "vorgeschlagen", "Nachweis", "Stand")
                    if lang is Lang.de else
                    ("#", "Version", "City", "Parameter", "Old", "Proposed", "Evidence", "State")))
    for r in found["items"]:
        evidence = " ".join(x for x in (r["evidence_url"], r["upload"]["file_name"] if r["upload"] else None) if x)
        table.add_row(str(r["id"]), str(r["version"]), r["city_name"] or r["city"], r["parameter"],
                      r["old_display"] or "—", r["proposed_display"] or "—", evidence or "—", r["state_label"])
    _console().print(table)
    typer.echo(f"{found['total']} Einträge, Seite {found['page']} von {found['pages']}." if lang is Lang.de else
               f"{found['total']} entries, page {found['page']} of {found['pages']}.")


@review_app.command("decide")
def review_decide(item: Annotated[int, typer.Argument(help="Entry number (# in `review queue`).")],
                  edition: EditionOpt,
                  decision: Annotated[Decision, typer.Option("--decision", help="accept, reject or ask.")],
                  reason: Annotated[str | None, typer.Option("--reason", help="Why (required to reject or ask back; the city reads it).")] = None,
                  version: Annotated[int | None, typer.Option("--version", help="The entry version you looked at (as in `review queue`); refused if it changed since.")] = None,
                  by: ReviewByOpt = None, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Accept, reject or ask back on one entry; accepting writes the value into the edition's history.

    Example:

        cityindex review decide 17 --edition 2026 --decision accept --version 2 --reason "utility's count"
    """
    from cityindex.review import decide, get_item

    with open_cli_store(database_url, data_dir) as store:
        if version is None:
            version = get_item(store, edition=edition, item_id=item)["version"]
        decide(store, edition=edition, item_id=item, decision=decision.value, version=version, by=_who(by),
               reason=reason)
    typer.echo(f"Entry #{item}: {decision.value} recorded.")


@review_app.command("accept-confirmations")
def review_accept_confirmations(edition: EditionOpt,
                                city: Annotated[str | None, typer.Option("--city", "-c", help="Only this city.")] = None,
                                by: ReviewByOpt = None, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Accept every open confirmation (of one city or all) whose value has not changed since review.

    Example:

        cityindex review accept-confirmations --edition 2026 --city Aachen
    """
    from cityindex.review import accept_confirmations

    with open_cli_store(database_url, data_dir) as store:
        count = accept_confirmations(store, edition=edition, by=_who(by), city=city)
    typer.echo(f"{count} confirmation(s) accepted.")


@review_app.command("export")
def review_export(edition: EditionOpt,
                  fmt: Annotated[LogFormat, typer.Option("--format", help="csv (two files) or xlsx (one workbook).")],
                  out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (created if missing).")],
                  database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Export the review log (every action) and the entries (as they stand) as CSV or XLSX.

    Example:

        cityindex review export --edition 2026 --format xlsx --out pruefung/
    """
    from cityindex.review import export_review

    with open_cli_store(database_url, data_dir) as store:
        for path in export_review(store, edition=edition, format=fmt.value, out=out):
            typer.echo(str(path))


@review_app.command("receipt")
def review_receipt(edition: EditionOpt,
                   city: Annotated[str, typer.Option("--city", "-c", help="City name or AGS.")],
                   out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .pdf (printed by Chromium) or .html.")],
                   lang: LangOpt = Lang.de, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Write a city's receipt of its review (entries, evidence, decisions) as PDF or HTML.

    Example:

        cityindex review receipt --edition 2026 --city Aachen --out beleg-aachen.pdf
    """
    from cityindex.io.output import writing
    from cityindex.review import receipt_html, receipt_pdf

    if out.suffix.lower() not in (".pdf", ".html"):
        raise CityIndexError(f"--out {out} must end in .pdf or .html.")
    with open_cli_store(database_url, data_dir) as store:
        if out.suffix.lower() == ".pdf":
            data = receipt_pdf(store, edition=edition, city=city, lang=lang.value)
        else:
            data = receipt_html(store, edition=edition, city=city, lang=lang.value).encode("utf-8")
    with writing(out, expected="a file name ending in .pdf or .html"):
        out.write_bytes(data)
    typer.echo(str(out))
