"""Analysis commands: uncertainty (rank intervals and sensitivity), stats-audit (statistical audit).

Thin wrappers over ``cityindex.analysis.reports``: parse the options, make one library call,
render a Rich table (German by default, ``--lang en``) or JSON. Long runs show a progress bar
on stderr; Ctrl-C stops them and nothing is written.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cityindex.cli.app import DbOpt, DirOpt, app, open_cli_store
from cityindex.cli.core import Lang, LangOpt
from cityindex.cli.store import ReportFormat

EditionOpt = Annotated[str, typer.Option("--edition", "-e", help="Edition key, e.g. open-2026 (a computed edition).")]
FormatOpt = Annotated[ReportFormat, typer.Option("--format", help="table (default) or json.")]
PROGRESS_FROM = 50_000  # runs from which a progress bar is shown

LABELS = {
    "de": {"rank": "Platz", "city": "Stadt", "median": "Median", "interval": "90-%-Intervall",
           "top10": "P(Top 10)", "quarter": "P(oberes Viertel)", "shift": "Ø Verschiebung", "group": "gleichauf",
           "title": "Rangunsicherheit {edition} – {scope}: {runs} Läufe, Seed {seed}",
           "caption": "90-%-Intervall: in 90 % der Läufe lag der Platz in diesem Bereich. Gleichauf: Städte, deren "
                      "Intervalle sich mit dem der ersten Stadt der Gruppe überschneiden.",
           "varied": "Variiert", "mean": "Mittlere absolute Platzverschiebung (gesamt)",
           "pawn": "Empfindlichkeit (PAWN, aus den Läufen)", "sobol": "Sobol-Indizes je Annahme",
           "assumption": "Annahme", "input": "Eingang", "first": "erste Ordnung", "total": "gesamt",
           "audit": "Statistische Prüfung {edition}: {flagged} von {checked} Prüfpunkten auffällig",
           "check": "Prüfung", "area": "Bereich", "item": "Element", "other": "mit", "value": "Wert",
           "threshold": "auffällig wenn", "reference": "Bezug", "flagged": "auffällig", "none": "Keine Auffälligkeiten.",
           "interrupted": "Abgebrochen: es wurde nichts geschrieben."},
    "en": {"rank": "Rank", "city": "City", "median": "Median", "interval": "90 % interval",
           "top10": "P(top 10)", "quarter": "P(top quarter)", "shift": "mean shift", "group": "tied",
           "title": "Rank uncertainty {edition} – {scope}: {runs} runs, seed {seed}",
           "caption": "90 % interval: in 90 % of the runs the rank lay in this range. Tied: cities whose intervals "
                      "overlap the interval of the first city of their group.",
           "varied": "Varied", "mean": "Mean absolute rank shift (overall)",
           "pawn": "Sensitivity (PAWN, from the runs)", "sobol": "Sobol indices per assumption",
           "assumption": "Assumption", "input": "Input", "first": "first order", "total": "total",
           "audit": "Statistical audit {edition}: {flagged} of {checked} checked items flagged",
           "check": "Check", "area": "Area", "item": "Item", "other": "with", "value": "Value",
           "threshold": "flagged if", "reference": "reference", "flagged": "flagged", "none": "Nothing flagged.",
           "interrupted": "Interrupted: nothing was written."},
}


class Scheduler(str, Enum):
    local = "local"
    dask = "dask"


def _num(value, lang: str, digits: int = 2) -> str:
    """A share or index with *digits* decimals, halves rounded up (the rounding rule of every output)."""
    from cityindex.report.narrative import fmt_number

    if value is None or value != value:
        return "—"
    return fmt_number(float(value), lang, digits=digits)


def _names() -> dict[str, str]:
    """City names by AGS."""
    from cityindex.cities import load_register

    return {c.ags: c.name for c in load_register()}


@app.command()
def uncertainty(
    edition: EditionOpt,
    runs: Annotated[int | None, typer.Option("--runs", help="Monte Carlo runs (default: the methodology's, 10,000).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the draws (default: the methodology's, 0).")] = None,
    sobol: Annotated[int, typer.Option("--sobol", help="Also Sobol indices from N × (assumptions + 2) further runs; N a power of two, e.g. 1024 (default 0: only PAWN).")] = 0,
    scheduler: Annotated[Scheduler, typer.Option("--scheduler", help="local (this process) or dask.")] = Scheduler.local,
    address: Annotated[str | None, typer.Option("--address", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes of the local Dask cluster (default 2).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Allow more than 100,000 runs.")] = False,
    area: Annotated[str, typer.Option("--area", help="Scope of the table: overall or an area code.")] = "overall",
    fmt: FormatOpt = ReportFormat.table, lang: LangOpt = Lang.de,
    database_url: DbOpt = None, data_dir: DirOpt = None,
) -> None:
    """Rank intervals: score the edition many times with its uncertain choices varied.

    Varies what the methodology's uncertainty section declares (default: weights ± 25 %,
    arithmetic vs geometric aggregation, the normaliser vs one alternative), never the data.
    Per city: nominal rank, median, 90 % interval (5–95 %), chances of a top-10 rank and of
    the top quarter, mean rank shift, "gleichauf" groups; then which choice moves ranks most.
    Published Bitkom editions have no data points: no interval can be computed for them.

    Example:

        cityindex uncertainty --edition open-2026

        cityindex uncertainty --edition open-2026 --runs 100000 --sobol 1024 --format json

        cityindex uncertainty --edition open-2026 --scheduler dask --address tcp://10.0.0.5:8786
    """
    from cityindex.analysis.reports import uncertainty_of_edition

    options = {"runs": runs, "seed": seed, "sobol": sobol, "scheduler": scheduler.value, "address": address,
               "workers": workers, "force": force}
    show = scheduler is Scheduler.dask or (runs or 0) >= PROGRESS_FROM or sobol > 0
    with _interruptible(lang.value), open_cli_store(database_url, data_dir) as store:
        result = _with_progress(lambda progress: uncertainty_of_edition(store, edition, progress=progress, **options),
                                show=show, lang=lang.value)
    if fmt is ReportFormat.json:
        typer.echo(json.dumps({"edition": edition, **result.to_dict()}, ensure_ascii=False, indent=2))
        return
    _print_uncertainty(result, edition, area, lang.value)


@contextmanager
def _interruptible(lang: str):
    """Ctrl-C: one line on stderr, exit status 130; nothing has been written (results are only
    printed at the end, and publishing is one transaction)."""
    try:
        yield
    except KeyboardInterrupt:
        typer.secho(LABELS[lang]["interrupted"], err=True, fg="red")
        raise typer.Exit(130) from None


def _with_progress(call, *, show: bool, lang: str):
    """Run ``call(progress)``, with a Rich progress bar on stderr when ``show``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    if not show:
        return call(None)
    with Progress("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("runs" if lang == "en" else "Läufe", total=None)
        return call(lambda done, total: bar.update(task, completed=done, total=total))


def _scope_name(result, scope: str, lang: str) -> str:
    for a in result.methodology.areas:
        if a.code == scope:
            return a.name_de if lang == "de" else a.name_en
    return "gesamt" if lang == "de" else "overall"


def _print_uncertainty(result, edition: str, scope: str, lang: str) -> None:
    from cityindex.errors import UnknownScope

    L, console = LABELS[lang], Console(width=120)
    rows = result.summary[result.summary["scope"] == scope]
    if rows.empty:
        scopes = ", ".join(dict.fromkeys(result.summary["scope"]))
        raise UnknownScope(f"Edition {edition} has no area {scope!r}; use one of {scopes}.")
    groups = result.groups[result.groups["scope"] == scope].set_index("city")["group"]
    names = _names()
    title = L["title"].format(edition=edition, scope=_scope_name(result, scope, lang), runs=f"{result.runs:,}"
                              .replace(",", "." if lang == "de" else ","), seed=result.seed)
    table = Table(L["rank"], L["city"], L["median"], L["interval"], L["top10"], L["quarter"], L["shift"], L["group"],
                  title=title, caption=L["caption"])
    for r in rows.itertuples():
        interval = "—" if r.low is None or r.low != r.low else f"{r.low}–{r.high}"
        table.add_row(str(r.rank), names.get(r.city, r.city), str(r.median), interval, _num(r.p_top10, lang),
                      _num(r.p_top_quarter, lang), _num(r.mean_shift, lang, 1),
                      str(groups.get(r.city, "")) if r.city in groups.index else "")
    console.print(table)
    console.print(f"{L['mean']}: {_num(result.mean_shift, lang)}")
    console.print(f"{L['varied']}: " + "; ".join(_assumption_text(a) for a in result.assumptions), soft_wrap=True)
    _print_sensitivity(console, result, L, lang)


def _assumption_text(a) -> str:
    if a.share is not None:
        return f"{a.address} ± {a.share:.0%}"
    return f"{a.address}: " + " / ".join(str(x).lower() if isinstance(x, bool) else
                                         (x.method + (f" (offset {x.options['offset']:g})" if x.options.get("offset")
                                                      else "")) for x in a.alternatives)


def _print_sensitivity(console: Console, result, L: dict, lang: str) -> None:
    pawn = Table(L["assumption"], L["input"], "PAWN", "min–max", title=L["pawn"])
    for r in result.pawn.sort_values("pawn", ascending=False).itertuples():
        pawn.add_row(r.assumption, r.input, _num(r.pawn, lang), f"{_num(r.pawn_min, lang)}–{_num(r.pawn_max, lang)}")
    console.print(pawn)
    if result.sobol is not None:
        sobol = Table(L["assumption"], L["first"], "± 95 %", L["total"], "± 95 %", title=L["sobol"])
        for r in result.sobol.itertuples():
            sobol.add_row(r.assumption, _num(r.first, lang), _num(r.first_conf, lang), _num(r.total, lang),
                          _num(r.total_conf, lang))
        console.print(sobol)


@app.command("stats-audit")
def stats_audit(
    edition: EditionOpt,
    show_all: Annotated[bool, typer.Option("--all", help="List every checked item, not only the flagged ones.")] = False,
    fmt: FormatOpt = ReportFormat.table, lang: LangOpt = Lang.de,
    database_url: DbOpt = None, data_dir: DirOpt = None,
) -> None:
    """Statistical audit of a computed edition (JRC-style checks with their thresholds).

    Coverage per parameter and city (< 65 %), skewness and kurtosis (|skew| > 2 and kurtosis
    > 3.5), correlations within and across areas (negative or > 0.9), Cronbach's alpha (< 0.7)
    and the first principal component (< 50 %) per area, effective vs nominal weights (ratio
    outside 0.5–2). A published edition shows the audit stored when it was published.

    Example:

        cityindex stats-audit --edition open-2026

        cityindex stats-audit --edition open-2026 --all --format json
    """
    from cityindex.analysis.reports import stats_audit_of_edition

    with open_cli_store(database_url, data_dir) as store:
        report = stats_audit_of_edition(store, edition)
    if fmt is ReportFormat.json:
        typer.echo(json.dumps({"edition": edition, **report.to_dict()}, ensure_ascii=False, indent=2))
        return
    _print_audit(report, edition, show_all, lang.value)


def _print_audit(report, edition: str, show_all: bool, lang: str) -> None:
    from cityindex.analysis.stats_audit import THRESHOLDS, TITLES

    L, console = LABELS[lang], Console(width=140)
    counts = report.counts()
    flagged, checked = sum(f for f, _ in counts.values()), sum(n for _, n in counts.values())
    console.print(L["audit"].format(edition=edition, flagged=flagged, checked=checked), style="bold")
    summary = Table(L["check"], "", L["threshold"], L["flagged"], "n")
    for check, (f, n) in counts.items():
        summary.add_row(TITLES[lang][check], check, THRESHOLDS[lang][check], str(f), str(n))
    console.print(summary)
    rows = report.rows if show_all else report.flags
    if rows.empty:
        console.print(L["none"])
        return
    names = _names()
    table = Table(L["check"], L["area"], L["item"], L["other"], L["value"], L["reference"], L["flagged"])
    for r in rows.itertuples():
        item = names.get(r.item, r.item) if r.check == "coverage-city" else r.item
        table.add_row(TITLES[lang][r.check], r.area, item, r.other, _num(r.value, lang), _num(r.reference, lang),
                      "✗" if r.flagged else "")
    console.print(table)
