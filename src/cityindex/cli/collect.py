"""``cityindex collect`` and ``cityindex sources``: thin wrappers over ``cityindex.connectors``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from cityindex.cli.app import DbOpt, DirOpt, app, open_cli_store




@app.command()
def collect(
    source: Annotated[str | None, typer.Argument(help="Source key (see `cityindex sources`), gbfs-stations, open-pilot "
                                                      "or open-series (the default with --history).")] = None,
    edition: Annotated[str, typer.Option("--edition", help="Edition to compare with and import into.")] = "open-2026",
    history: Annotated[Path | None, typer.Option("--history", help="open-series: rebuild the yearly editions from a "
                                                 "folder laid out like open-history/ (year folders, MANIFEST.csv, derived/).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read a local copy instead of downloading.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Download from this URL (sources whose file name changes).")] = None,
    raw: Annotated[Path | None, typer.Option("--raw", help="open-pilot only: rebuild from the raw source files in DIR.")] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Download cache (default: DATA_DIR/sources).")] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Download again even if today's copy is cached.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    show_unassigned: Annotated[bool, typer.Option("--unassigned", help="List every unassigned row.")] = False,
    database_url: DbOpt = None, data_dir: DirOpt = None,
) -> None:
    """Collect a source: download (or read --file), parse, assign to cities, import into the edition.

    Prints what changed against the stored values and how many rows were not assigned to an
    index city (never silently dropped; --unassigned lists them). `open-pilot` builds the open
    edition open-2026 from the bundled data points, or from the raw files with --raw DIR.
    `open-series` (or just --history DIR) builds the yearly editions open-2019 … from the bundled
    data points, or rebuilds them from the dated source versions in DIR (a year's edition is
    created with the series methodology and names the year before as previous); then open-2026.

    Example:

        cityindex collect open-pilot --edition open-2026

        cityindex collect --history ../shared/data/open-history

        cityindex collect gbfs --edition open-2026 --dry-run

        cityindex collect ladesaeulen --file Ladesaeulenregister.csv --edition 2026
    """
    from cityindex.connectors.collect import collect as run
    from cityindex.connectors.open_pilot import SOURCE_KEYS

    console = Console(width=120)
    if source in (None, "open-series"):
        if source is None and history is None:
            raise typer.BadParameter("give a SOURCE (see `cityindex sources`) or --history DIR.")
        _collect_series(console, history, dry_run=dry_run, database_url=database_url, data_dir=data_dir)
        return
    with open_cli_store(database_url, data_dir) as store, _progress(console) as progress:
        steps = len(SOURCE_KEYS) if source == "open-pilot" and raw else 2  # sources, or download + assign
        task = progress.add_task(f"{source}", total=steps)
        result = run(source, edition=edition, store=store, file=file, url=url, raw_dir=raw, cache_dir=cache,
                     refresh=refresh, dry_run=dry_run, progress=lambda step: progress.update(task, description=f"{source}: {step}", advance=1))
        progress.update(task, description=f"{source}: done", total=1, completed=1)
    _summary(console, result, edition=edition, dry_run=dry_run, show_unassigned=show_unassigned)


def _collect_series(console: Console, history: Path | None, *, dry_run: bool, database_url, data_dir) -> None:
    """``collect open-series`` / ``collect --history DIR``: rebuild, print per year, import and score."""
    from cityindex.connectors.collect import collect_series

    with open_cli_store(database_url, data_dir) as store, _progress(console) as progress:
        task = progress.add_task("open-series", total=None)
        result = collect_series(store, history_dir=history, dry_run=dry_run,
                                progress=lambda step: progress.update(task, description=f"open-series: {step}"))
    table = Table("edition", "values", "cities", "not assigned", "unknown parameters", title="Open series")
    for row in result.years:
        table.add_row(row["edition"], str(row["values"]), str(row["cities"]), str(row["unassigned"]),
                      ", ".join(row["lacking"]) or "—")
    console.print(table)
    for line in result.skipped:
        console.print(line)
    console.print("Dry run: nothing written." if dry_run else f"Done: {', '.join(result.built)}.")


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), console=console, transient=True)


def _summary(console: Console, result, *, edition: str, dry_run: bool, show_unassigned: bool) -> None:
    values = result.values
    known = values[values.value.astype(str) != ""]
    console.print(f"{result.source}: {len(known)} values for {known.ags.nunique()} cities, "
                  f"{len(result.unassigned)} rows not assigned to an index city.")
    if result.skipped_parameters:
        console.print(f"Not in the methodology of {edition} (not imported): {', '.join(result.skipped_parameters)}")
    if len(result.changes):
        table = Table("AGS", "parameter", "stored", "new", title=f"Changes against {edition}")
        for row in result.changes.head(40).itertuples():
            table.add_row(row.ags, row.parameter, row.stored or "—", row.new or "—")
        console.print(table)
        if len(result.changes) > 40:
            console.print(f"… and {len(result.changes) - 40} more changes.")
    else:
        console.print(f"No change against the stored values of {edition}.")
    if result.report is not None and not result.report.valid:
        for issue in result.report.errors[:10]:
            console.print(f"[red]{issue}[/red]")
        raise typer.Exit(1)
    if show_unassigned and len(result.unassigned):
        table = Table("row", "reason", title="Not assigned")
        for row in result.unassigned.itertuples():
            table.add_row(str(row.row), str(row.reason))
        console.print(table)
    console.print("Dry run: nothing written." if dry_run else "Done.")


@app.command()
def sources() -> None:
    """List every source a connector reads, with publisher, licence and attribution.

    Example:

        cityindex sources
    """
    from cityindex.connectors import SOURCES
    from cityindex.web.geo import ATTRIBUTION as GEO_ATTRIBUTION

    console = Console(width=160)
    table = Table("key", "source", "licence", "attribution", "parameters", title="Sources / Quellen")
    for column in table.columns:
        column.overflow = "fold"
    for s in SOURCES.values():
        table.add_row(s.key, f"{s.title}\n{s.url}", s.licence, s.attribution, ", ".join(s.parameters))
    console.print(table)
    console.print(f"Geodata: {GEO_ATTRIBUTION} (VG250, simplified; data/geo/README.md).")
