"""Store commands: edition create/revise/review/load-published, editions, freeze, publish, template, import, history, export.

Each command opens the store (``--database-url`` / ``--data-dir`` override the settings),
makes one library call and renders the result. Library errors become one line, exit 1.
"""

from __future__ import annotations

import getpass
import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cityindex.cli.app import DbOpt, DirOpt, app, open_cli_store

edition_app = typer.Typer(
    help="Create, revise and review editions in the store.\n\nExample:\n\n    cityindex edition create 2026 methodik-2026.yaml",
    no_args_is_help=True)
app.add_typer(edition_app, name="edition")

EditionOpt = Annotated[str, typer.Option("--edition", "-e", help="Edition key, e.g. 2026 or open-2026.")]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who makes the change (default: the login name).")]


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


class TemplateFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    datapackage = "datapackage"



def _by(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _console() -> Console:
    """Markup off: cells hold user text (values, notes, reasons, file names) that may contain ``[…]``."""
    return Console(width=160, markup=False)


@edition_app.command("create")
def edition_create(key: Annotated[str, typer.Argument(help="New edition key, e.g. 2026 or open-2026.")],
                   methodology: Annotated[Path, typer.Argument(help="Methodology YAML file.")],
                   title: Annotated[str | None, typer.Option("--title", help="Title (default: the methodology's).")] = None,
                   previous: Annotated[str | None, typer.Option("--previous", help="Previous edition key for rank changes: a stored edition or a published one (2019–2025).")] = None,
                   by: ByOpt = None, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Create a draft edition from a methodology file.

    Example:

        cityindex edition create 2026 methodik-2026.yaml --previous 2025-r
    """
    from cityindex.store import create_edition

    with open_cli_store(database_url, data_dir) as store:
        info = create_edition(store, key, methodology, title=title, previous=previous, by=_by(by))
    typer.echo(f"Edition {info.key} created ({info.status}), methodology {info.methodology_version} "
               f"[{info.methodology_hash[:12]}].")


@edition_app.command("revise")
def edition_revise(key: Annotated[str, typer.Argument(help="Frozen or published edition to correct.")],
                   new_key: Annotated[str, typer.Argument(help="Key of the new revision, e.g. 2026-r2.")],
                   reason: Annotated[str, typer.Option("--reason", help="Why a revision is needed.")],
                   by: ByOpt = None, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Copy an edition into a new draft revision that takes corrections after publication.

    Example:

        cityindex edition revise 2026 2026-r2 --reason "Aachen: wrong charging point count"
    """
    from cityindex.store import revise_edition

    with open_cli_store(database_url, data_dir) as store:
        info = revise_edition(store, key, new_key, by=_by(by), reason=reason)
    typer.echo(f"Edition {info.key} created as revision of {key} with {info.datapoints} data points.")


@edition_app.command("review")
def edition_review(key: Annotated[str, typer.Argument(help="Edition key.")],
                   database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Start the review round: the edition moves from draft to review.

    Example:

        cityindex edition review 2026
    """
    from cityindex.store import set_status

    with open_cli_store(database_url, data_dir) as store:
        typer.echo(f"Edition {key} is now {set_status(store, key, 'review').status}.")


@edition_app.command("load-published")
def edition_load_published(database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Load the bundled published Bitkom editions (2019–2025) into the store, exactly as published.

    Running it again changes nothing; an edition whose bundled numbers changed gets a new revision (the old one stays). A computed edition can then name a published one as previous edition for its rank changes.

    Example:

        cityindex edition load-published
    """
    from cityindex.store import list_published_editions, load_published_editions

    with open_cli_store(database_url, data_dir) as store:
        written = load_published_editions(store)
        infos = list_published_editions(store)
    keys = ", ".join(f"{i.key} (rev {i.revision})" for i in sorted(infos, key=lambda i: i.year))
    if written:
        typer.echo(f"Loaded {written} published edition revision(s); published editions in the store: {keys}.")
    else:
        typer.echo(f"Published editions are up to date: {keys}.")


@app.command()
def editions(database_url: DbOpt = None, data_dir: DirOpt = None,
             fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table) -> None:
    """List the editions of the store: computed ones with status, data points and last computation, then the published (Bitkom) editions loaded into it.

    Example:

        cityindex editions --format json
    """
    from cityindex.store import list_editions, list_published_editions

    with open_cli_store(database_url, data_dir) as store:
        infos, published = list_editions(store), list_published_editions(store)
    if fmt == ReportFormat.json:
        listed = [{"kind": "computed", **info.__dict__} for info in infos] + [{**p.__dict__} for p in published]
        typer.echo(json.dumps(listed, default=str, indent=2))
        return
    table = Table("key", "kind", "title", "status", "data points", "methodology", "previous", "computed / loaded")
    for i in infos:
        table.add_row(i.key, "computed", i.title, i.status, str(i.datapoints),
                      f"{i.methodology_version} [{i.methodology_hash[:8]}]", i.previous_key or "—",
                      i.computed_at.isoformat(timespec="minutes") if i.computed_at else "—")
    for p in published:
        rows = f"{p.rows} rows" + (f" + {p.unassigned} unassigned" if p.unassigned else "")
        table.add_row(p.key, "published", p.title, f"revision {p.revision}", rows, "—", "—",
                      p.loaded_at.isoformat(timespec="minutes"))
    _console().print(table if infos or published else
                     "No editions yet: `cityindex edition create KEY METHODOLOGY.yaml` or "
                     "`cityindex edition load-published`.")


@app.command()
def freeze(key: Annotated[str, typer.Argument(help="Edition key.")],
           force: Annotated[bool, typer.Option("--force", help="Freeze although proposals of the review round are still open (needs --reason).")] = False,
           reason: Annotated[str | None, typer.Option("--reason", help="Why the edition is frozen with open proposals (kept in the review log).")] = None,
           by: ByOpt = None, database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Freeze an edition: from now on its data points cannot change.

    Refused while proposals of the review round are open, unless --force --reason.

    Example:

        cityindex freeze 2026
    """
    from cityindex.store import freeze_edition

    with open_cli_store(database_url, data_dir) as store:
        info = freeze_edition(store, key, force=force, reason=reason, by=_by(by))
    typer.echo(f"Edition {key} is now {info.status}.")


@app.command()
def publish(key: Annotated[str, typer.Argument(help="Edition key.")],
            database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Publish a frozen, computed edition (final: corrections go into `edition revise`).

    Publishing computes the statistical audit and the rank intervals (`stats-audit`,
    `uncertainty` with the methodology's runs and seed) and stores them with the result, in the
    same transaction: if anything fails, the edition stays frozen.

    Example:

        cityindex publish 2026
    """
    from cityindex.analysis.reports import publish_with_reports

    with open_cli_store(database_url, data_dir) as store:
        typer.echo(f"Edition {key} is now {publish_with_reports(store, key).status}; its statistical audit and rank "
                   "intervals are stored with the result.")


@app.command()
def template(edition: EditionOpt,
             out: Annotated[Path, typer.Option("--out", "-o", help="File to write, e.g. erhebung-2026.xlsx.")],
             fmt: Annotated[TemplateFormat, typer.Option("--format", help="xlsx workbook or long csv.")] = TemplateFormat.xlsx,
             database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Write the collection template of an edition: one sheet per area, one row per city.

    Example:

        cityindex template --edition 2026 --out erhebung-2026.xlsx
    """
    from cityindex.io.template import write_template
    from cityindex.store import edition_methodology

    with open_cli_store(database_url, data_dir) as store:
        methodology = edition_methodology(store, edition)
    path = write_template(methodology, out, edition=edition, format=fmt.value)
    typer.echo(f"Template written: {path}")


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="Filled workbook (.xlsx) or long CSV.")],
            edition: EditionOpt,
            dry_run: Annotated[bool, typer.Option("--dry-run", help="Only validate and count; write nothing.")] = False,
            fmt: Annotated[ReportFormat, typer.Option("--format", help="Report as table or json.")] = ReportFormat.table,
            by: ByOpt = None,
            reason: Annotated[str | None, typer.Option("--reason", help="Why these values change (kept in the history).")] = None,
            database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Validate a data file and import it into an edition — all or nothing.

    Every problem is listed at once (file, sheet, row, column, fix). If there is any error, nothing is written and the exit status is 1.

    Example:

        cityindex import erhebung-2026.xlsx --edition 2026 --by "A. Analyst" --reason "first round"
    """
    from cityindex.io.importer import import_file

    with open_cli_store(database_url, data_dir) as store:
        report = import_file(store, file, edition=edition, by=_by(by), reason=reason, dry_run=dry_run)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(report)
    raise typer.Exit(0 if report.valid else 1)


SHOWN = 200


def _print_report(report) -> None:
    console = _console()
    issues = report.errors + report.warnings
    if issues:
        table = Table("level", "sheet", "row", "column", "problem", "fix", show_lines=False)
        for issue in issues[:SHOWN]:
            table.add_row(issue.level, issue.sheet or "", str(issue.row or ""), issue.column or "",
                          f"{issue.message} [{issue.code}]", issue.fix)
        console.print(table)
        if len(issues) > SHOWN:
            counts = ", ".join(f"{code}: {n}" for code, n in sorted(report.counts().items()))
            console.print(f"… and {len(issues) - SHOWN} more ({counts}); `--format json` lists them all.")
    stats = report.stats
    if not report.valid:
        console.print(f"{len(report.errors)} error(s) in {stats.get('file')} — nothing was written.")
    elif stats.get("dry_run"):
        console.print(f"Dry run: {stats.get('added', 0)} would be added, {stats.get('changed', 0)} changed, "
                      f"{stats.get('unchanged', 0)} unchanged. Nothing was written.")
    else:
        console.print(f"Imported {stats.get('file')} into {stats.get('edition')}: {stats.get('added', 0)} added, "
                      f"{stats.get('changed', 0)} changed, {stats.get('unchanged', 0)} unchanged.")


@app.command()
def history(edition: EditionOpt,
            city: Annotated[str, typer.Option("--city", "-c", help="City name or AGS.")],
            parameter: Annotated[str | None, typer.Option("--parameter", "-p", help="Only this parameter code.")] = None,
            fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
            database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Show every change of a city's data points: old and new value, who, when, why, and any other field that changed.

    Example:

        cityindex history --edition 2026 --city Oberhausen --parameter charging_points
    """
    from cityindex.store import history as load_history

    with open_cli_store(database_url, data_dir) as store:
        frame = load_history(store, edition=edition, city=city, parameter=parameter)
    if fmt == ReportFormat.json:
        typer.echo(frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2))
        return
    table = Table("parameter", "rev", "old", "new", "source", "by", "when", "why", "other changes", "review")
    for r in frame.itertuples(index=False):
        others = "; ".join(f"{field}: {old or '—'} → {new or '—'}" for field, (old, new) in r.changes.items())
        table.add_row(r.parameter, str(r.revision), r.old_value or "—", r.new_value or "—", r.new_source or "—",
                      r.changed_by, r.changed_at.isoformat(sep=" ", timespec="seconds"), r.reason or "", others,
                      f"#{r.review_item_id}" if r.review_item_id is not None else "")
    _console().print(table if len(frame) else f"No data points of {city} in edition {edition}.")


@app.command()
def export(edition: EditionOpt,
           fmt: Annotated[ExportFormat, typer.Option("--format", help="csv, xlsx, parquet or datapackage.")],
           out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (created if missing).")],
           database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Export an edition as open data: results, ranks, rank changes and data points with provenance.

    Example:

        cityindex export --edition 2026 --format datapackage --out open-data/2026
    """
    from cityindex.io.export import export_edition

    with open_cli_store(database_url, data_dir) as store:
        files = export_edition(store, edition, format=fmt.value, out=out)
    for path in files:
        typer.echo(str(path))
