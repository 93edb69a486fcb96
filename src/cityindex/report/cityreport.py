"""The city report: a printable document of a few pages for a city council, as HTML or PDF.

    html = city_report("Oberhausen", edition="open-2026", lang="de", target_rank=10)
    write_report(html, Path("oberhausen.pdf"), fmt="pdf")

Contents, all from the library: the headline and narrative (``narrate``), the rank history of the
published Bitkom editions and of the edition's own series, the areas against comparable cities
(charts with the same numbers as tables), the top levers, what comparable cities already do (with
sources), a plan when a target rank is given, and every value with its source. The HTML is one
self-contained file (inline CSS and SVG charts, no script); the PDF is printed from it by
Chromium (``report/pdf.py``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup

from cityindex import __version__
from cityindex.analysis.learning import peer_learning, sentence
from cityindex.analysis.levers import levers
from cityindex.analysis.peers import peer_groups
from cityindex.analysis.scenario import Baseline, baseline
from cityindex.analysis.story import city_story
from cityindex.cities import load_register
from cityindex.errors import CityIndexError
from cityindex.report.narrative import LANGS, fmt_number, narrate, notes_text
from cityindex.report.planning import (cost_text, effect_text, lever_line, note_lines, passed_sentence, points,
                                       plan_summary, rescaling_sentence)
from cityindex.report.values import has_binary, parameter_text, value_text
from cityindex.rounding import DEFAULT_RULE
from cityindex.web.attribution import licence_text, source_name_text

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
FORMATS = ("html", "pdf")
TOP_LEVERS = 5

LABELS = {
    "de": {"title": "Bericht für {city}", "subtitle": "{edition} – Platz {rank} von {n} mit {score} Punkten",
           "summary": "Zusammenfassung", "history": "Platzierung im Zeitverlauf", "published": "Bitkom Smart City Index (veröffentlicht)",
           "edition": "Ausgabe", "rank": "Platz", "score": "Punkte", "areas": "Bereiche im Vergleich",
           "areas_caption": "Punkte je Bereich: {city} und der Median vergleichbarer Städte ({edition})",
           "area": "Bereich", "levers": "Größte Hebel", "levers_intro": "Was der beste Wert vergleichbarer Städte "
           "bzw. der Ausgabe brächte – jeweils neu berechnet mit score(); die übrigen Städte behalten ihre Werte.",
           "learning": "Von vergleichbaren Städten lernen", "learning_intro": "Was {city} in diesem Datensatz fehlt "
           "und vergleichbare Städte (gleiches Land, gleiche Größenklasse, gleiche Region) haben – mit Quelle.",
           "plan": "Plan: günstigster Weg zu Platz {rank}", "measure": "Maßnahme", "effect": "Wirkung", "cost": "Kosten",
           "values": "Werte und Quellen", "parameter": "Parameter", "value": "Wert", "source": "Quelle", "as_of": "Stand",
           "licence": "Lizenz", "notes": "Hinweise", "made": "Erstellt mit cityindex {version} aus der Ausgabe {edition} "
           "(Methodik {method}, Eingaben {inputs}).", "none": "Keine.", "unknown": "nicht veröffentlicht",
           "unknown_history": "Ausgaben ohne Wert sind in diesem Datensatz nicht veröffentlicht; nichts ist geschätzt.",
           "peers_of": "Median {group}"},
    "en": {"title": "Report for {city}", "subtitle": "{edition} – rank {rank} of {n} with {score} points",
           "summary": "Summary", "history": "Rank over time", "published": "Bitkom Smart City Index (published)",
           "edition": "Edition", "rank": "Rank", "score": "Score", "areas": "Areas compared",
           "areas_caption": "Score per area: {city} and the median of comparable cities ({edition})",
           "area": "Area", "levers": "Biggest levers", "levers_intro": "What the best value among comparable cities "
           "or in the edition would give – each re-scored with score(); every other city keeps its values.",
           "learning": "Learning from comparable cities", "learning_intro": "What {city} lacks in this data set and "
           "comparable cities (same state, size class or region) have – with the source.",
           "plan": "Plan: the cheapest way to rank {rank}", "measure": "Measure", "effect": "Effect", "cost": "Cost",
           "values": "Values and sources", "parameter": "Parameter", "value": "Value", "source": "Source",
           "as_of": "As of", "licence": "Licence", "notes": "Notes", "made": "Made with cityindex {version} from the "
           "edition {edition} (methodology {method}, inputs {inputs}).", "none": "None.", "unknown": "not published",
           "unknown_history": "Editions without a value are not published in this data set; nothing is estimated.",
           "peers_of": "median {group}"},
}


class ReportError(CityIndexError):
    """The report could not be made."""


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _number
    return env


@pass_context
def _number(context, value, lang: str, rule: tuple[int, str] | None = None) -> str:
    """A score rounded by *rule* (decimals, mode), by default the rule of the report's edition."""
    if value is None:
        return ""
    digits, mode = rule or context.get("rounding") or DEFAULT_RULE
    return fmt_number(float(value), lang, digits=digits, mode=mode)


# Sections -----------------------------------------------------------------------------------------


def _history(story, lang: str) -> list[dict[str, Any]]:
    """Published Bitkom editions and the editions of the report's own series, one row each."""
    from cityindex.analysis.history import history
    from cityindex.editions import published_editions

    rows = []
    for label, entries, rule in ((LABELS[lang]["published"], history(published_editions(), story.city.ags), DEFAULT_RULE),
                                 (story.edition.title_in(lang), story.history, story.edition.rounding)):
        rows += [{"series": label, "edition": e.key, "rank": e.rank, "score": e.score, "n_cities": e.n_cities,
                  "rounding": rule} for e in entries]
    return rows


def _chart(spec: dict) -> Markup:
    from cityindex.web.charts import to_svg

    return Markup(to_svg(spec))  # noqa: S704 - SVG rendered by vl-convert from our own spec


def _history_chart(rows: list[dict], lang: str) -> Markup | None:
    from cityindex.web.charts import history_spec

    published = [r for r in rows if r["series"] == LABELS[lang]["published"]]
    if not any(r["rank"] is not None for r in published):
        return None
    L = LABELS[lang]
    return _chart(history_spec(published, title=L["published"], rank_label=L["rank"], edition_label=L["edition"],
                               score_label=L["score"]))


def _areas(base: Baseline, lang: str) -> tuple[list[dict], list[str]]:
    """Per area: the city's score and rank, and the median score of each peer group."""
    groups = peer_groups(base.city, load_register())
    areas = base.result.areas
    rows = []
    for area in base.methodology.areas:
        column = areas[area.code]
        medians = {g.key: float(np.nanmedian(column.reindex([c.ags for c in g.members]).to_numpy(dtype=float)))
                   for g in groups if g.members}
        rows.append({"code": area.code, "name": area.name_de if lang == "de" else area.name_en,
                     "score": float(column[base.ags]), "rank": int(base.result.ranks.at[base.ags, area.code]),
                     "medians": medians})
    return rows, [g for g in groups if g.members]


def _areas_chart(rows: list[dict], groups: dict[str, str], city: str, lang: str) -> Markup:
    """City score per area as bars, the peer groups' medians as ticks (``groups``: key → label)."""
    import altair as alt

    L = LABELS[lang]
    labels = {key: L["peers_of"].format(group=label) for key, label in groups.items()}
    long = [{"area": r["name"], "series": city, "value": r["score"]} for r in rows]
    long += [{"area": r["name"], "series": labels[k], "value": v} for r in rows for k, v in r["medians"].items()]
    domain = [city, *labels.values()]
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=["#08519c", "#c2410c", "#6b6b6b",
                                                                                       "#2f855a"][:len(domain)]),
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=320))
    y, x = alt.Y("area:N", title=None, sort=None), alt.X("value:Q", title=L["score"], scale=alt.Scale(domain=[0, 100]))
    data = alt.Data(values=long)
    chart = alt.layer(
        alt.Chart(data).transform_filter(alt.datum.series == city).mark_bar(height=14).encode(y=y, x=x, color=colour),
        alt.Chart(data).transform_filter(alt.datum.series != city).mark_tick(thickness=3, size=22)
        .encode(y=y, x=x, color=colour),
    ).properties(width=520, height=alt.Step(30))
    spec = chart.to_dict(validate=False)
    spec["config"] = {"font": "sans-serif", "view": {"stroke": None}}
    return _chart(spec)


def _plan(base: Baseline, target_rank: int, catalogue: Path | str | None, lang: str) -> dict:
    from cityindex.analysis.catalogue import default_catalogue_path, load_catalogue
    from cityindex.analysis.planner import plan

    result = plan(base, load_catalogue(catalogue or default_catalogue_path(base.methodology.key)),
                  target_rank=target_rank)
    shown = result if result.status == "planned" else result.best
    measures = [{"name": m.name(lang), "effect": effect_text(m, base.methodology, lang),
                 "cost": cost_text(m.euros, m.person_days, lang)} for m in (shown.measures if shown else [])]
    whatif = shown.whatif if shown else None
    return {"rank": target_rank, "summary": plan_summary(result, base.city.name, lang, base.edition.rounding),
            "measures": measures,
            "passed": passed_sentence(whatif, lang) if whatif else "",
            "rescaled": [rescaling_sentence(r, lang) for r in whatif.rescaled] if whatif else [],
            "notes": note_lines(result, lang)}


def _values(story, lang: str) -> list[dict]:
    return [{**v, "name": parameter_text(v, lang), "value_text": value_text(v, lang),
             "source_name": source_name_text(v["source_name"], lang), "licence": licence_text(v["licence"], lang)}
            for v in story.values]


def report_context(name: str, *, edition: str, lang: str = "de", target_rank: int | None = None,
                   catalogue: Path | str | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain data (the JSON twin of the report)."""
    if lang not in LANGS:
        raise ReportError(f"--lang: unknown language {lang!r}; use de or en")
    base = baseline(edition, name)
    story = city_story(base.ags, edition=base.edition)
    L = LABELS[lang]
    area_rows, groups = _areas(base, lang)
    lever_result = levers(base)
    lessons = peer_learning(base)
    history = _history(story, lang)
    return {
        "lang": lang, "city": base.city.name, "ags": base.ags, "edition": base.edition.key,
        "rounding": base.edition.rounding, "rounding_mode": base.edition.rounding[1],
        "edition_title": base.edition.title_in(lang),
        "title": L["title"].format(city=base.city.name),
        "subtitle": L["subtitle"].format(edition=base.edition.title_in(lang), rank=base.rank, n=base.n_ranked,
                                         score=points(base.overall, lang, base.edition.rounding)),
        "rank": base.rank, "score": base.overall, "n_ranked": base.n_ranked,
        "narrative": narrate(story, lang), "notes": notes_text(story, lang),
        "history": history, "areas": area_rows,
        "groups": [{"key": g.key, "label": g.label(lang), "n": len(g.members)} for g in groups],
        "levers": [{"line": lever_line(lv, lang, base.edition.rounding), "parameter": lv.parameter}
                   for lv in lever_result.top(TOP_LEVERS)],
        "learning": [{"parameter": ls.parameter, "sentence": sentence(ls, lang),
                      "sources": [{"name": p.name, "source_name": source_name_text(p.source_name, lang),
                                   "source_url": p.source_url} for p in ls.peers[:3]]} for ls in lessons],
        "plan": _plan(base, target_rank, catalogue, lang) if target_rank is not None else None,
        "values": _values(story, lang), "values_binary": has_binary(story.values),
        "methodology_hash": base.methodology.hash[:12], "input_hash": base.result.input_hash[:12],
        "version": __version__,
    }


def render_report(ctx: dict[str, Any]) -> str:
    """The report HTML of a context (one self-contained file)."""
    lang = ctx["lang"]
    charts = {"history": _history_chart(ctx["history"], lang),
              "areas": _areas_chart(ctx["areas"], {g["key"]: g["label"] for g in ctx["groups"]}, ctx["city"], lang)}
    css = (TEMPLATE_DIR / "city_report.css").read_text(encoding="utf-8")
    return _environment().get_template("city_report.html").render(**ctx, ctx=ctx, L=LABELS[lang], charts=charts,
                                                                   css=Markup(css))  # noqa: S704 - our own file


def city_report(name: str, *, edition: str, lang: str = "de", target_rank: int | None = None,
                catalogue: Path | str | None = None) -> str:
    """The report of one city in one computed edition, as HTML."""
    return render_report(report_context(name, edition=edition, lang=lang, target_rank=target_rank,
                                        catalogue=catalogue))


def write_report(html: str, out: Path, *, fmt: str = "html") -> Path:
    """Write the report as HTML, or print it to PDF with Chromium; the file appears only when complete."""
    from cityindex.report.pdf import print_pdf

    if fmt not in FORMATS:
        raise ReportError(f"--format: unknown format {fmt!r}; use html or pdf")
    out = Path(out)
    if not out.parent.is_dir():
        raise ReportError(f"--out: the folder {out.parent} does not exist")
    data = html.encode("utf-8") if fmt == "html" else print_pdf(html)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(data)
    partial.replace(out)
    return out
