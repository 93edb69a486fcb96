"""Core commands: cities, ranking, city, validate, score.

Each command parses its options, calls one library function and renders the result as a
Rich table (German by default, ``--lang en``), CSV or JSON. Library errors
(``CityIndexError``) become one line and exit status 1 in ``cityindex.cli.main``.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cityindex.cli.app import DbOpt, DirOpt, app, open_cli_store
from cityindex.errors import CityIndexError

if TYPE_CHECKING:  # pandas is imported by the commands that load data, not at CLI start-up
    import pandas as pd


class Lang(str, Enum):
    de = "de"
    en = "en"


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class TextFormat(str, Enum):
    text = "text"
    json = "json"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of the output: de (default) or en.")]
FormatOpt = Annotated[TableFormat, typer.Option("--format", help="Output format: table, csv or json.")]
StateOpt = Annotated[str | None, typer.Option("--state", help="Only cities of this state (name or code such as NW).")]
RegionOpt = Annotated[str | None, typer.Option("--region", help="Only cities of this region tag, e.g. ruhr.")]

DASH = "—"
LABELS = {
    "de": {"rank": "Platz", "city": "Stadt", "state": "Land", "score": "Punkte", "change": "Tendenz",
           "pop": "Einwohner", "area": "Fläche km²", "region": "Region", "size": "Größenklasse",
           "edition": "Ausgabe", "of": "von", "cities": "Städten", "source": "Quelle", "missing": "nicht veröffentlicht",
           "notes": "Hinweis", "places": "Plätze", "known": "Plätzen veröffentlicht",
           "unpublished": "Ohne veröffentlichten Platz", "computed_by": "berechnet von cityindex",
           "legend": f"{DASH} = in diesem Datensatz nicht veröffentlicht", "comparable": "vergleichbar"},
    "en": {"rank": "Rank", "city": "City", "state": "State", "score": "Score", "change": "Change",
           "pop": "Population", "area": "Area km²", "region": "Region", "size": "Size class",
           "edition": "Edition", "of": "of", "cities": "cities", "source": "Source", "missing": "not published",
           "notes": "Note", "places": "Ranks", "known": "ranks published",
           "unpublished": "No published rank", "computed_by": "computed by cityindex",
           "legend": f"{DASH} = not published in this data set", "comparable": "comparable"},
}
COMPUTED_LABELS = {
    "de": {"known": "Plätzen berechnet", "unpublished": "Ohne berechneten Platz",
           "no_previous": f"Tendenz {DASH} = keine Vorgängerausgabe",
           "new": f"Tendenz {DASH} = ohne Platz in der Vorgängerausgabe {{previous}}"},
    "en": {"known": "ranks computed", "unpublished": "No computed rank",
           "no_previous": f"Change {DASH} = no previous edition",
           "new": f"Change {DASH} = no rank in the previous edition {{previous}}"},
}


def _legend(edition, lang: str) -> str:
    """What a dash means: not published (Bitkom editions); for computed editions the reason."""
    if edition.kind != "computed":
        return LABELS[lang]["legend"]
    C = COMPUTED_LABELS[lang]
    return C["no_previous"] if edition.previous is None else C["new"].format(previous=edition.previous)


def _label(edition, lang: str, name: str) -> str:
    """A label in the wording of the edition's kind (computed editions: "berechnet")."""
    if edition.kind == "computed" and name in COMPUTED_LABELS[lang]:
        return COMPUTED_LABELS[lang][name]
    return LABELS[lang][name]


def _console() -> Console:
    return Console(width=120, soft_wrap=False)


def _missing(value) -> bool:
    """None, NaN or pd.NA."""
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _num(value, lang: str, *, signed: bool = False, digits: int = 1, rounding: tuple[int, str] | None = None) -> str:
    """A number for a table; *rounding*: a score's (decimals, mode) rule (default 1, half up)."""
    if _missing(value):
        return DASH
    if isinstance(value, (int,)) or digits == 0:
        return f"{int(value):+d}" if signed else str(int(value))
    from cityindex.report.narrative import fmt_number

    digits, mode = rounding or (digits, "half_up")
    return fmt_number(float(value), lang, signed=signed, digits=digits, mode=mode)


def _emit_frame(frame: pd.DataFrame, fmt: TableFormat) -> bool:
    """Write CSV or JSON to stdout; False for table format."""
    if fmt is TableFormat.csv:
        from cityindex.io.export import neutralise_frame  # text a spreadsheet would run as a formula

        neutralise_frame(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
        return True
    if fmt is TableFormat.json:
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return True
    return False


# ---------------------------------------------------------------------------------------------
# cities
# ---------------------------------------------------------------------------------------------


@app.command()
def cities(state: StateOpt = None, region: RegionOpt = None,
           size_class: Annotated[str | None, typer.Option("--size-class", help="lt100k, 100k-200k, 200k-500k, 500k-1m or gt1m.")] = None,
           fmt: FormatOpt = TableFormat.table, lang: LangOpt = Lang.de) -> None:
    """List the cities of the register (AGS, state, population, area, tags).

    Example:

        cityindex cities --state NW --region ruhr

        cityindex cities --format csv > cities.csv
    """
    from cityindex.cities import load_register

    register = load_register()
    chosen = register.filter(state=state, region=region, size_class=size_class)
    if fmt is TableFormat.json:
        typer.echo(json.dumps([c.to_dict() for c in chosen], ensure_ascii=False, indent=2))
        return
    if _emit_frame(register.frame.loc[[c.ags for c in chosen]].reset_index(), fmt):
        return
    L = LABELS[lang.value]
    title = f"{len(chosen)} {L['of']} {len(register)} {L['cities']}"
    table = Table("AGS", L["city"], L["state"], L["pop"], L["area"], L["size"], L["region"], title=title)
    for column in (table.columns[3], table.columns[4]):
        column.justify = "right"
    for c in chosen:
        table.add_row(c.ags, c.name, c.state_code, f"{c.population:,}".replace(",", "." if lang is Lang.de else ","),
                      _num(c.area_km2, lang.value, digits=2), c.size_class, ", ".join(c.regions))
    _console().print(table)


# ---------------------------------------------------------------------------------------------
# ranking
# ---------------------------------------------------------------------------------------------


def _spans(ranks: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for r in ranks:
        if spans and spans[-1][1] == r - 1:
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
    return spans


def _ranking_table(rk, lang: str) -> Table:
    L = LABELS[lang]
    title = (f"{rk.edition.title_in(lang)} — {rk.scope_name.get(lang, rk.scope)}: "
             f"{rk.known} {L['of']} {rk.n_cities} {_label(rk.edition, lang, 'known')}")
    comparable = "comparable_change" in rk.rows
    columns = [L["rank"], L["city"], L["state"], L["score"], L["change"]] + ([L["comparable"]] if comparable else [])
    table = Table(*columns, title=title, caption=_legend(rk.edition, lang))
    gaps = {} if rk.filtered else {a: b for a, b in _spans(rk.missing)}
    for row in rk.rows.itertuples():
        while gaps and (_missing(row.rank) or min(gaps) < row.rank):
            _gap_row(table, gaps, lang)
        extra = [_num(row.comparable_change, lang, signed=True, digits=0)] if comparable else []
        table.add_row(_num(row.rank, lang, digits=0), row.city, row.state_code or "",
                      _num(row.score, lang, rounding=rk.edition.rounding),
                      _num(row.rank_change, lang, signed=True, digits=0), *extra)
    while gaps:
        _gap_row(table, gaps, lang)
    for name in rk.unpublished:
        table.add_row(DASH, name, "", DASH, DASH, style="dim")
    return table


def _gap_row(table: Table, gaps: dict[int, int], lang: str) -> None:
    start = min(gaps)
    end = gaps.pop(start)
    label = str(start) if start == end else f"{start}–{end}"
    table.add_row(label, f"({LABELS[lang]['missing']})", "", DASH, DASH, style="dim")


@app.command()
def ranking(edition: Annotated[str | None, typer.Option("--edition", help="Edition key: 2019 … 2025, or a computed edition; default: the latest published.")] = None,
            area: Annotated[str, typer.Option("--area", help="overall, verwaltung, it_kommunikation, energie_umwelt, mobilitaet, gesellschaft (2022 also B–E: unassigned tables).")] = "overall",
            state: StateOpt = None, region: RegionOpt = None,
            fmt: FormatOpt = TableFormat.table, lang: LangOpt = Lang.de) -> None:
    """Show the ranking of an edition, overall or for one area; published gaps stay visible.

    The title says how many of the edition's ranks are known. A run of unknown ranks is one
    row reading "(nicht veröffentlicht)" ("(not published)" with --lang en), and every unknown
    number is "—"; nothing is filled in.

    Example:

        cityindex ranking --edition 2022

        cityindex ranking --edition 2022 --region ruhr --format csv
    """
    from cityindex.editions import ranking as get_ranking
    from cityindex.published import EDITION_SIZES

    rk = get_ranking(edition or str(max(EDITION_SIZES)), scope=area, state=state, region=region)
    if fmt is TableFormat.json:
        typer.echo(json.dumps(rk.to_dict(), ensure_ascii=False, indent=2))
        return
    columns = ["edition", "rank", "ags", "city", "state_code", "scope", "score", "rank_change", "source"]
    if "comparable_change" in rk.rows:
        columns.insert(columns.index("rank_change") + 1, "comparable_change")
    if _emit_frame(rk.rows.assign(edition=rk.edition.key)[columns], fmt):
        return
    console = _console()
    console.print(_ranking_table(rk, lang.value))
    for note in rk.to_dict()["notes"]:
        console.print(f"{LABELS[lang.value]['notes']}: {note[lang.value]}", style="dim")


# ---------------------------------------------------------------------------------------------
# city
# ---------------------------------------------------------------------------------------------


def _history_table(story, lang: str) -> Table:
    L = LABELS[lang]
    comparable = any(e.comparable_change is not None for e in story.history)
    columns = [L["edition"], L["rank"], L["of"], L["score"], L["change"]] + ([L["comparable"]] if comparable else [])
    table = Table(*columns, title=story.city.name, caption=_legend(story.edition, lang))
    for e in story.history:
        extra = [_num(e.comparable_change, lang, signed=True, digits=0)] if comparable else []
        table.add_row(e.key, _num(e.rank, lang, digits=0), str(e.n_cities),
                      _num(e.score, lang, rounding=story.edition.rounding),
                      _num(e.rank_change, lang, signed=True, digits=0), *extra)
    return table


def _areas_table(story, lang: str) -> Table:
    L = LABELS[lang]
    table = Table(story.edition.key, L["rank"], L["score"], L["change"])
    for a in story.areas:
        table.add_row(a.name_de if lang == "de" else a.name_en, _num(a.rank, lang, digits=0),
                      _num(a.score, lang, rounding=story.edition.rounding), _num(a.rank_change, lang, signed=True, digits=0))
    return table


def _values_table(values: list[dict], urls: list[str], lang: str) -> Table:
    """Value, unit, source, date, licence and URL reference ([n], listed below) per parameter."""
    from cityindex.report.values import VALUE_LABELS, parameter_text, unit_text, value_text
    from cityindex.web.attribution import licence_text, source_name_text

    V = VALUE_LABELS[lang]
    table = Table(V["parameter"], V["value"], V["unit"], V["source"], V["date"], V["licence"], V["url"],
                  title=V["title"], expand=True, show_lines=True)
    for column, ratio in zip(table.columns, (4, 3, 2, 3, None, 3, None)):
        column.overflow = "fold"  # long names wrap instead of being cut off
        column.ratio, column.no_wrap = ratio, ratio is None
    for v in values:
        ref = f"[{urls.index(v['source_url']) + 1}]" if v["source_url"] else ""
        cells = (parameter_text(v, lang), value_text(v, lang), unit_text(v["unit"], lang),
                 source_name_text(v["source_name"], lang),
                 v["retrieved"] or "", licence_text(v["licence"], lang), ref)
        table.add_row(*(Text(str(c)) for c in cells), style="dim" if v["value"] is None else None)
    return table


def _print_values(console: Console, values: list[dict], lang: str, *, notes: bool) -> None:
    """The values table, its source URLs, the meaning of "nein" and (with --notes) every note."""
    from cityindex.report.values import VALUE_LABELS, has_binary, parameter_text

    if not values:
        return
    V = VALUE_LABELS[lang]
    urls = list(dict.fromkeys(v["source_url"] for v in values if v["source_url"]))
    console.print(_values_table(values, urls, lang))
    for i, url in enumerate(urls, 1):
        console.print(f"[{i}] {url}", soft_wrap=True, markup=False, highlight=False)
    if has_binary(values):
        console.print(V["no_means"], style="dim", soft_wrap=True, markup=False)
    with_notes = [v for v in values if v["note"]]
    if notes:
        for v in with_notes:
            console.print(f"{V['note']} – {parameter_text(v, lang)}: {v['note']}", soft_wrap=True, markup=False)
    elif with_notes:
        console.print(V["notes_hint"], style="dim", markup=False)


@app.command()
def city(name: Annotated[list[str], typer.Argument(help="City name, alias, slug or AGS (e.g. muenchen, Halle Saale, 05119000).")],
         edition: Annotated[str | None, typer.Option("--edition", help="Edition key; default: the latest edition in which the city has a rank.")] = None,
         lang: LangOpt = Lang.de,
         fmt: Annotated[TextFormat, typer.Option("--format", help="text (default) or json.")] = TextFormat.text,
         notes: Annotated[bool, typer.Option("--notes", help="Computed editions: also print the note of every value (e.g. which register entry it rests on).")] = False) -> None:
    """Tell a city's story: rank and score per edition, changes, areas, peers.

    Tables show every unknown number as "—" (never filled in); notes about the city follow.
    For a computed edition (e.g. open-2026) a table "Werte und Quellen" follows: every
    parameter with its value (an unknown one reads "in diesem Datensatz nicht veröffentlicht"),
    unit, source, date, licence and source URL; --format json carries them as "values".

    Example:

        cityindex city Oberhausen --edition 2022

        cityindex city Oberhausen --edition open-2026 --notes

        cityindex city muenchen --lang en --format json
    """
    from cityindex.analysis.story import city_story
    from cityindex.report.narrative import narrate, notes_text

    story = city_story(" ".join(name), edition=edition)
    if fmt is TextFormat.json:
        data = story.to_dict()
        data["narrative"] = {"de": narrate(story, "de"), "en": narrate(story, "en")}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    console = _console()
    console.print(narrate(story, lang.value), soft_wrap=True)
    console.print(_history_table(story, lang.value))
    console.print(_areas_table(story, lang.value))
    if story.current.source:
        source = LABELS[lang.value]["computed_by"] if story.edition.kind == "computed" else story.current.source
        console.print(f"{LABELS[lang.value]['source']} ({story.edition.key}): {source}", soft_wrap=True)
    for line in notes_text(story, lang.value):
        console.print(f"{LABELS[lang.value]['notes']}: {line}", style="dim", soft_wrap=True)
    _print_values(console, story.values, lang.value, notes=notes)


# ---------------------------------------------------------------------------------------------
# validate and score
# ---------------------------------------------------------------------------------------------


@app.command()
def validate(methodology: Annotated[Path, typer.Argument(help="Methodology YAML file.")]) -> None:
    """Check a methodology YAML file; list every problem (exit status 1 when there are any).

    Example:

        cityindex validate src/cityindex/data/methodologies/open-2026.yaml
    """
    from cityindex.methodology import validate_methodology

    problems = validate_methodology(methodology)
    if not problems:
        typer.echo(f"{methodology}: valid")
        return
    for problem in problems:
        typer.echo(f"{methodology}: {problem.message}")
    typer.echo(f"{methodology}: {len(problems)} problem(s); the file is not valid.", err=True)
    raise typer.Exit(1)


def _score_previous(methodology, previous: Path | None, previous_methodology: Path | None):
    """Score the previous edition's data file (with its own methodology if given)."""
    if previous is None:
        if previous_methodology is not None:
            raise CityIndexError("--previous-methodology needs --previous DATA.csv.")
        return None
    from cityindex.engine import score
    from cityindex.io import load_datapoints
    from cityindex.methodology import load_methodology

    prev_m = load_methodology(previous_methodology) if previous_methodology else methodology
    return score(prev_m, load_datapoints(previous, methodology=prev_m))


def _score_frame(result) -> pd.DataFrame:
    """Long result (ags, city name, scope, score, rank, rank_change), overall first."""
    from cityindex.cities import load_register

    long = result.to_long().rename(columns={"city": "ags"})
    names = {c.ags: c.name for c in load_register()}
    long.insert(1, "city", long["ags"].astype(str).map(names).fillna(long["ags"].astype(str)))
    return long.reset_index(drop=True)


def _area_names(result, lang: str) -> dict[str, str]:
    return {a.code: (a.name_de if lang == "de" else a.name_en) for a in result.methodology.areas}


def _score_table(frame: pd.DataFrame, names: dict[str, str], lang: str, rounding: tuple[int, str]) -> Table:
    L = LABELS[lang]
    overall = frame[frame["scope"] == "overall"].sort_values(["rank", "ags"])
    areas = [s for s in dict.fromkeys(frame["scope"]) if s != "overall"]
    wide = frame.pivot_table(index="ags", columns="scope", values="score", aggfunc="first")
    table = Table(L["rank"], L["city"], L["score"], L["change"], *[names.get(a, a) for a in areas])
    for row in overall.itertuples():
        table.add_row(_num(row.rank, lang, digits=0), row.city, _num(row.score, lang, rounding=rounding),
                      _num(row.rank_change, lang, signed=True, digits=0),
                      *[_num(wide.at[row.ags, a], lang, rounding=rounding) for a in areas])
    return table


@app.command()
def score(methodology: Annotated[Path | None, typer.Argument(help="Methodology YAML file (file mode).")] = None,
          data: Annotated[Path | None, typer.Argument(help="Long data file (CSV: city, parameter, value, …).")] = None,
          edition: Annotated[str | None, typer.Option("--edition", "-e", help="Score this edition of the store from its data points and store the result (store mode).")] = None,
          previous: Annotated[Path | None, typer.Option("--previous", help="Data file of the previous edition; its ranks give the rank change.")] = None,
          previous_methodology: Annotated[Path | None, typer.Option("--previous-methodology", help="Methodology of the previous edition (default: the same as METHODOLOGY).")] = None,
          fmt: FormatOpt = TableFormat.table, lang: LangOpt = Lang.de,
          database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Compute an edition from a methodology file and a data file, or from the store.

    File mode (METHODOLOGY DATA): with --previous DATA.csv the previous edition is scored too
    (with --previous-methodology, or else the same methodology) and each city's rank change is
    shown; cities new in the edition have none. Store mode (--edition KEY): the edition's stored
    data points are scored with its stored methodology, the Result is stored, and rank changes
    are taken against the edition's configured previous edition.

    Example:

        cityindex score methodology.yaml data_2026.csv

        cityindex score m2026.yaml data_2026.csv --previous data_2025.csv --format csv

        cityindex score --edition 2026
    """
    from cityindex.engine import score as run_score
    from cityindex.io import load_datapoints
    from cityindex.methodology import load_methodology

    if edition is not None:
        if methodology or data or previous or previous_methodology:
            raise CityIndexError("--edition scores the stored data points; give either --edition or "
                                 "METHODOLOGY DATA, not both.")
        from cityindex.store import score_edition

        with open_cli_store(database_url, data_dir) as store:
            result = score_edition(store, edition)
        spec = result.methodology
    elif methodology is None or data is None:
        raise CityIndexError("Give a methodology file and a data file (cityindex score METHODOLOGY DATA), "
                             "or --edition KEY to score an edition of the store.")
    else:
        spec = load_methodology(methodology)
        prior = _score_previous(spec, previous, previous_methodology)
        result = run_score(spec, load_datapoints(data, methodology=spec), previous=prior)
    frame = _score_frame(result)
    if _emit_frame(frame, fmt):
        return
    console = _console()
    rules = result.methodology.rules
    console.print(_score_table(frame, _area_names(result, lang.value), lang.value, (rules.rounding, rules.rounding_mode)))
    console.print(f"methodology {spec.hash[:12]} · input {result.input_hash[:12]}", style="dim")
