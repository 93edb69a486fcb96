"""Planning commands: whatif, levers, plan, report — thin wrappers over ``cityindex.analysis``
(``what_if``, ``levers``, ``plan``) and ``cityindex.report`` (``city_report``)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cityindex.cli.app import app
from cityindex.cli.core import Lang, LangOpt, TextFormat
from cityindex.errors import CityIndexError

CityArg = Annotated[list[str], typer.Argument(help="City name, alias, slug or AGS (e.g. Oberhausen, 05119000).")]
EditionReq = Annotated[str, typer.Option("--edition", "-e", help="A computed edition with parameters, e.g. open-2026.")]
CatalogueOpt = Annotated[Path | None, typer.Option("--catalogue", help="Measure catalogue YAML (default: the example "
                                                                        "catalogue shipped for the edition's methodology).")]


class Cost(str, Enum):
    euros = "euros"
    person_days = "person_days"


class ReportFormat(str, Enum):
    html = "html"
    pdf = "pdf"


class LeverFormat(str, Enum):
    table = "table"
    json = "json"


def _console() -> Console:
    return Console(width=120, markup=False, highlight=False)


def _base(name: list[str], edition: str):
    from cityindex.analysis.scenario import baseline

    return baseline(edition, " ".join(name))


def _settings(values: list[str]) -> dict[str, str]:
    """``PARAM=VALUE`` pairs → dict; a malformed one names the option."""
    out = {}
    for item in values:
        code, sep, value = item.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise CityIndexError(f"--set {item!r}: write PARAMETER=VALUE, e.g. --set gbfs_feeds_city=3")
        if code.strip() in out:
            raise CityIndexError(f"--set {code.strip()}: given twice; give each parameter once")
        out[code.strip()] = value.strip()
    return out


def _emit_json(data: dict) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# whatif --------------------------------------------------------------------------------------------


def _whatif_tables(w, lang: str) -> list[Table]:
    from cityindex.report.planning import places_text, points, signed_points
    from cityindex.rounding import rule_of

    de = lang == "de"
    changes = Table("Parameter", "bisher" if de else "before", "neu" if de else "after",
                    title="Geänderte Werte" if de else "Changed values")
    for c in w.changes:
        changes.add_row(Text(c.name_de if de else c.name_en), c.before_text[lang], c.after_text[lang])
    scopes = Table("Bereich" if de else "Area", "Punkte bisher" if de else "Score before", "neu" if de else "after",
                   "Δ", "Platz bisher" if de else "Rank before", "neu" if de else "after", "Δ Plätze" if de else "Δ ranks",
                   title=("Ergebnis nach Neuberechnung mit score()" if de else "Result re-scored with score()"))
    rule = rule_of(w.result.methodology)
    for s in w.scopes:
        scopes.add_row(s.name_de if de else s.name_en, points(s.score_before, lang, rule), points(s.score_after, lang, rule),
                       signed_points(s.points, lang, rule), str(s.rank_before), str(s.rank_after),
                       places_text(s.places, lang))
    return [changes, scopes]


@app.command()
def whatif(name: CityArg, edition: EditionReq,
           set_: Annotated[list[str], typer.Option("--set", help="PARAMETER=VALUE; repeat for several values "
                                                                  "(yes/no, ja/nein, a number such as 3 or 1,5).")],
           lang: LangOpt = Lang.de,
           fmt: Annotated[TextFormat, typer.Option("--format", help="text (default) or json.")] = TextFormat.text) -> None:
    """What if the city had other values? Re-score the edition and compare.

    Every other city keeps its data. The new overall and area scores and ranks, the change,
    the cities passed, and where the city becomes the new best or worst of a parameter (then
    everyone's points on that indicator are rescaled) — all from a full re-score with score().

    Example:

        cityindex whatif Oberhausen --edition open-2026 --set gbfs_feeds_city=3 --set oklab_any=ja

        cityindex whatif 05119000 -e open-2026 --set charging_points_per_1000_2019=0,4 --lang en --format json
    """
    from cityindex.analysis.whatif import what_if
    from cityindex.report.planning import headline, passed_sentence, rescaling_sentence

    w = what_if(_base(name, edition), _settings(set_), option="--set ")
    if fmt is TextFormat.json:
        _emit_json(w.to_dict())
        return
    console = _console()
    if not w.changes:
        console.print("Keine Änderung: Alle Werte entsprechen den heutigen." if lang is Lang.de
                      else "No change: every value equals the current one.")
        return
    console.print(headline(w, lang.value), soft_wrap=True)
    for table in _whatif_tables(w, lang.value):
        console.print(table)
    for line in [passed_sentence(w, lang.value), *(rescaling_sentence(r, lang.value) for r in w.rescaled)]:
        if line:
            console.print(line, soft_wrap=True)


# levers --------------------------------------------------------------------------------------------


@app.command()
def levers(name: CityArg, edition: EditionReq, lang: LangOpt = Lang.de,
           fmt: Annotated[LeverFormat, typer.Option("--format", help="table (default) or json.")] = LeverFormat.table) -> None:
    """The city's biggest levers: per parameter, what the next level, the peers' median and the best value would give.

    Peers are the cities of the same state, size class and region. Each gain (points and
    ranks) is a full re-score with score(); levers are listed per area, biggest first.

    Example:

        cityindex levers Oberhausen --edition open-2026

        cityindex levers Oberhausen -e open-2026 --format json
    """
    from cityindex.analysis.levers import levers as find_levers
    from cityindex.report.planning import places_text, points, signed_points

    base = _base(name, edition)
    result, rule = find_levers(base), base.edition.rounding
    if fmt is LeverFormat.json:
        _emit_json(result.to_dict())
        return
    de = lang is Lang.de
    areas = {a.code: (a.name_de if de else a.name_en) for a in base.methodology.areas}
    score = points(result.score, lang.value, rule)
    title = (f"Hebel für {result.city} ({result.edition}): heute Platz {result.rank} von {result.n_ranked}, "
             f"{score} Punkte" if de else
             f"Levers for {result.city} ({result.edition}): today rank {result.rank} of {result.n_ranked}, "
             f"{score} points")
    table = Table("Bereich" if de else "Area", "Parameter", "heute" if de else "now", "Ziel" if de else "target",
                  "Wert" if de else "value", "Punkte" if de else "points", "Plätze" if de else "ranks",
                  "Platz danach" if de else "rank after", title=title, show_lines=False)
    previous = None
    for lever in result.levers:
        if previous is not None and lever.area != previous:
            table.add_section()
        area, previous = (areas[lever.area] if lever.area != previous else ""), lever.area
        name, now = Text(lever.name(lang.value)), lever.current_text[lang.value]
        if not lever.targets:
            table.add_row(area, name, now, "–", "", "", "", "", style="dim")
        for k, t in enumerate(lever.targets):
            table.add_row(area if k == 0 else "", name if k == 0 else "", now if k == 0 else "", t.label(lang.value),
                          t.value_text[lang.value], signed_points(t.points, lang.value, rule),
                          places_text(t.places, lang.value), str(t.rank_after))
    console = _console()
    console.print(table)
    console.print("– = schon der beste Wert unter den Vergleichswerten" if de
                  else "– = already at the best value of the comparison", style="dim")


# plan ----------------------------------------------------------------------------------------------


def _plan_table(result, methodology, lang: str) -> Table:
    from cityindex.report.planning import amount, effect_text, money

    de = lang == "de"
    table = Table("Maßnahme" if de else "Measure", "Wirkung" if de else "Effect", "Euro" if de else "Euros",
                  "Personentage" if de else "Person-days", show_lines=True)
    for m in result.measures:
        table.add_row(Text(m.name(lang)), Text(effect_text(m, methodology, lang)), money(m.euros, lang),
                      amount(m.person_days, lang))
    return table


@app.command()
def plan(name: CityArg, edition: EditionReq,
         target_rank: Annotated[int | None, typer.Option("--target-rank", help="Reach this rank or better.")] = None,
         target_score: Annotated[float | None, typer.Option("--target-score", help="Reach this overall score or more.")] = None,
         budget: Annotated[float | None, typer.Option("--budget", help="Spend at most this much (in the --cost unit).")] = None,
         catalogue: CatalogueOpt = None,
         cost: Annotated[Cost, typer.Option("--cost", help="What to minimise: euros (default) or person_days.")] = Cost.euros,
         lang: LangOpt = Lang.de,
         fmt: Annotated[TextFormat, typer.Option("--format", help="text (default) or json.")] = TextFormat.text) -> None:
    """The cheapest set of measures that brings the city to a target rank or score.

    A mixed-integer programme (scipy.optimize.milp) over the measure catalogue: prerequisites and
    exclusions are kept, the rescaling of everyone when the city becomes the new best of a
    parameter is modelled, and the plan is checked by re-scoring with score(). If the target is
    out of reach, the output says what the best reachable rank or score is. The shipped example
    catalogue has illustrative costs only.

    Example:

        cityindex plan Oberhausen --edition open-2026 --target-rank 10

        cityindex plan Oberhausen -e open-2026 --target-score 70 --budget 100000 --catalogue measures.yaml
    """
    from cityindex.analysis.catalogue import default_catalogue_path, load_catalogue
    from cityindex.analysis.planner import plan as make_plan
    from cityindex.report.planning import note_lines, passed_sentence, plan_summary, rescaling_sentence

    base = _base(name, edition)
    measures = load_catalogue(catalogue or default_catalogue_path(base.methodology.key))
    result = make_plan(base, measures, target_rank=target_rank, target_score=target_score, budget=budget,
                       currency=cost.value)
    if fmt is TextFormat.json:
        _emit_json({"city": base.city.name, "ags": base.ags, "edition": base.edition.key,
                    "catalogue": measures.source, **result.to_dict()})
        return
    console = _console()
    for line in plan_summary(result, base.city.name, lang.value, base.edition.rounding):
        console.print(line, soft_wrap=True)
    shown = result if result.status == "planned" else result.best
    if shown is not None and shown.measures:
        console.print(_plan_table(shown, base.methodology, lang.value))
        for line in [passed_sentence(shown.whatif, lang.value),
                     *(rescaling_sentence(r, lang.value) for r in shown.whatif.rescaled)]:
            if line:
                console.print(line, soft_wrap=True)
    for line in note_lines(result, lang.value):
        console.print(line, style="dim", soft_wrap=True)


# report --------------------------------------------------------------------------------------------


@app.command()
def report(name: CityArg, edition: EditionReq,
           out: Annotated[Path, typer.Option("--out", help="File to write (.html or .pdf).")],
           fmt: Annotated[ReportFormat, typer.Option("--format", help="html or pdf (printed from the HTML by chromium).")] = ReportFormat.html,
           lang: LangOpt = Lang.de,
           target_rank: Annotated[int | None, typer.Option("--target-rank", help="Add the cheapest plan to this rank.")] = None,
           catalogue: CatalogueOpt = None) -> None:
    """Write a printable city report for the council: ranks, areas against peers, levers, sources.

    A few pages: the rank history, the areas against comparable cities (charts), the narrative,
    the top levers, what comparable cities already do, a plan when --target-rank is given, and
    every value with its source. PDF is printed from the same HTML by Debian's chromium.

    Example:

        cityindex report Oberhausen --edition open-2026 --format pdf --out oberhausen.pdf

        cityindex report Oberhausen -e open-2026 --lang en --target-rank 10 --out oberhausen.html
    """
    from cityindex.report.cityreport import city_report, write_report

    html = city_report(" ".join(name), edition=edition, lang=lang.value, target_rank=target_rank, catalogue=catalogue)
    path = write_report(html, out, fmt=fmt.value)
    typer.echo(f"{path} ({path.stat().st_size:,} bytes)")
