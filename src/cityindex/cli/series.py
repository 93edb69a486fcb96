"""Series commands: rescore, diff-method, movers — thin wrappers over ``cityindex.series``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cityindex.cli.app import app
from cityindex.cli.core import DASH, FormatOpt, Lang, LangOpt, TableFormat, TextFormat, _emit_frame, _num

L = {
    "de": {"rank": "Platz", "city": "Stadt", "score": "Punkte", "rescored": "Platz neu", "rescored_score": "Punkte neu",
           "difference": "Differenz", "dropped": "Nicht in der Methodik (weggelassen)",
           "unknown": "Ohne Datenpunkt in der Ausgabe (unbekannt)", "up": "Aufsteiger", "down": "Absteiger",
           "previous": "vorher", "computed": "Tendenz (wie berechnet)", "comparable": "Tendenz (vergleichbar)",
           "why": "bewegt durch", "level": "Ebene", "code": "Code", "field": "Feld", "before": "vorher",
           "after": "nachher", "added": "Neue Parameter", "removed": "Entfallene Parameter", "same": "Keine Unterschiede.",
           "order_comparable": "Reihenfolge nach der vergleichbaren Tendenz (beide Jahre nach den Regeln von {edition} "
                               "auf den in beiden Jahren bekannten Parametern).",
           "order_computed": "Reihenfolge nach der Tendenz wie berechnet.", "none": "keine Wertänderung",
           "catalogue": "Registeränderung"},
    "en": {"rank": "Rank", "city": "City", "score": "Score", "rescored": "New rank", "rescored_score": "New score",
           "difference": "Difference", "dropped": "Not in the methodology (left out)",
           "unknown": "No data point in the edition (unknown)", "up": "Risers", "down": "Fallers",
           "previous": "before", "computed": "Change (as computed)", "comparable": "Change (comparable)",
           "why": "moved by", "level": "Level", "code": "Code", "field": "Field", "before": "before",
           "after": "after", "added": "Parameters added", "removed": "Parameters removed", "same": "No differences.",
           "order_comparable": "Ordered by the comparable change (both years under the rules of {edition} on the "
                               "parameters known in both years).",
           "order_computed": "Ordered by the change as computed.", "none": "no value changed",
           "catalogue": "register change"},
}
AreaOpt = Annotated[str, typer.Option("--area", help="overall or an area code (verwaltung, it_kommunikation, …).")]


def _console() -> Console:
    return Console(width=140, soft_wrap=False, markup=False)


@app.command()
def rescore(edition: Annotated[str, typer.Option("--edition", "-e", help="Computed edition whose data points are re-scored.")],
            with_method: Annotated[str, typer.Option("--with-method", help="Edition key or methodology YAML file whose rules are used.")],
            area: AreaOpt = "overall", fmt: FormatOpt = TableFormat.table, lang: LangOpt = Lang.de) -> None:
    """Re-score an edition's data points under another edition's methodology and compare the ranks.

    Nothing is stored. Data points of parameters the other methodology does not define are left
    out; its parameters without a data point in the edition stay unknown. Both lists are printed.

    Example:

        cityindex rescore --edition open-2025 --with-method open-2026

        cityindex rescore --edition open-2026 --with-method src/cityindex/data/methodologies/previous/open-2026-v1.yaml
    """
    from cityindex.series.rescore import rescore_edition

    out = rescore_edition(edition, with_method)
    table = out.table[out.table["scope"] == area].sort_values(["rescored_rank", "rank"], na_position="last")
    if fmt is TableFormat.json:
        typer.echo(json.dumps({"edition": out.edition, "methodology": out.methodology, "scope": area,
                               "dropped_parameters": list(out.dropped_parameters),
                               "unknown_parameters": list(out.unknown_parameters),
                               "rows": _records(table)}, ensure_ascii=False, indent=2))
        return
    if _emit_frame(table, fmt):
        return
    T = L[lang.value]
    console = _console()
    grid = Table(T["rescored"], T["city"], T["rescored_score"], f"{T['rank']} ({out.edition})", T["score"],
                 T["difference"], title=f"{out.edition} → {out.methodology} · {area}")
    for r in table.itertuples():
        grid.add_row(_num(r.rescored_rank, lang.value, digits=0), r.city, _num(r.rescored_score, lang.value),
                     _num(r.rank, lang.value, digits=0), _num(r.score, lang.value),
                     _num(r.difference, lang.value, signed=True, digits=0))
    console.print(grid)
    console.print(f"{T['dropped']}: {', '.join(out.dropped_parameters) or DASH}")
    console.print(f"{T['unknown']}: {', '.join(out.unknown_parameters) or DASH}")


def _records(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@app.command("diff-method")
def diff_method(before: Annotated[str, typer.Argument(help="Edition key or methodology YAML file (before).")],
                after: Annotated[str, typer.Argument(help="Edition key or methodology YAML file (after).")],
                fmt: Annotated[TextFormat, typer.Option("--format", help="text (default) or json.")] = TextFormat.text,
                lang: LangOpt = Lang.de) -> None:
    """List what changed between two methodologies: parameters added and removed, and every changed
    weight, normalisation, scale, missing-data rule and place of a parameter.

    Example:

        cityindex diff-method open-2025 open-2026

        cityindex diff-method src/cityindex/data/methodologies/previous/open-2026-v1.yaml open-2026
    """
    from cityindex.series.diff import diff_methodologies
    from cityindex.series.rescore import methodology_of

    diff = diff_methodologies(methodology_of(before), methodology_of(after))
    if fmt is TextFormat.json:
        typer.echo(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    T = L[lang.value]
    console = _console()
    console.print(f"{diff.before} → {diff.after}")
    console.print(f"{T['added']}: {', '.join(diff.added) or DASH}")
    console.print(f"{T['removed']}: {', '.join(diff.removed) or DASH}")
    if not diff.changes:
        console.print(T["same"] if diff.same else "")
        return
    grid = Table(T["level"], T["code"], T["field"], T["before"], T["after"])
    for c in diff.changes:
        grid.add_row(c.level, c.code or DASH, c.field, Text(_show(c.before)), Text(_show(c.after)))
    console.print(grid)


def _show(value) -> str:
    from cityindex.series.diff import plain_value

    plain = plain_value(value)
    return DASH if plain in (None, [], {}) else json.dumps(plain, ensure_ascii=False) if not isinstance(plain, str) else plain


@app.command()
def movers(edition: Annotated[str, typer.Option("--edition", "-e", help="Computed edition with a previous edition, e.g. open-2026.")],
           area: AreaOpt = "overall",
           top: Annotated[int, typer.Option("--top", "-n", min=1, max=82, help="How many risers and fallers.")] = 5,
           fmt: Annotated[TextFormat, typer.Option("--format", help="text (default) or json.")] = TextFormat.text,
           lang: LangOpt = Lang.de) -> None:
    """The cities that rose and fell most in an edition, each with the values that moved it.

    Ordered by the comparable rank change where the edition has one (both years under the edition's
    rules on the parameters known in both years), else by the change as computed; both are shown.
    A change of the register rather than the city (a catalogue or schema change) is marked.

    Example:

        cityindex movers --edition open-2026

        cityindex movers --edition open-2023 --area mobilitaet --lang en
    """
    from cityindex.series import edition_movers

    result = edition_movers(edition, scope=area, n=top)
    if fmt is TextFormat.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    from cityindex.report.narrative import mover_text

    T = L[lang.value]
    console = _console()
    console.print(f"{result.edition} ← {result.previous} · {area}")
    console.print(T[f"order_{result.basis}"].format(edition=result.edition), style="dim")
    for label, group in ((T["up"], result.up), (T["down"], result.down)):
        console.print(label, style="bold")
        for mover in group:
            console.print("  " + mover_text(mover, lang.value, previous=result.previous), soft_wrap=True)
