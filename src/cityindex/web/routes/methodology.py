"""``/methodik`` (+ ``.json``): how scores are computed, each methodology file's tree, sources and licences."""

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request

from cityindex.paths import METHODOLOGY_DIR
from cityindex.report.values import unit_text
from cityindex.web import intervals
from cityindex.web.attribution import sources
from cityindex.web.envelope import RESPONSES
from cityindex.web.deps import LangDep, api, page
from cityindex.web.auth import PUBLIC

router = APIRouter(tags=["methodology"], responses=RESPONSES, dependencies=[PUBLIC])

PRINCIPLES = {
    "de": [
        "Fünf Themenbereiche: Verwaltung, IT und Kommunikation, Energie und Umwelt, Mobilität, Gesellschaft (ab 2023 Gesellschaft und Bildung).",
        "Jeder Indikator wird relativ zu den Städten der Ausgabe auf 0–100 skaliert: der beste erreichte Wert erhält 100, der schlechteste 0.",
        "Die meisten Indikatoren sind Summen von Parameterpunkten (ja/nein, abgestufte Antworten); einige sind Anteile oder Werte je Einwohner.",
        "Bereichswerte fassen Indikatoren zusammen, der Gesamtwert die fünf Bereiche; die Tendenz vergleicht mit der vorigen Ausgabe.",
        "Nicht öffentlich bekannt: genaue Gewichte, die Regel für fehlende Daten, ob Indikatoren rangbasiert sind. cityindex macht jede dieser Entscheidungen zu einer benannten Einstellung der Methodikdatei.",
        "Veröffentlichte Bitkom-Ausgaben werden nie neu berechnet oder aufgefüllt; was keine Quelle nennt, bleibt „nicht veröffentlicht“.",
    ],
    "en": [
        "Five areas: administration, IT and communication, energy and environment, mobility, society (from 2023 society and education).",
        "Each indicator is scaled 0–100 relative to the edition's cities: the best value reached gets 100, the worst 0.",
        "Most indicators are sums of parameter points (yes/no, graded answers); some are shares or per-capita values.",
        "Area scores combine indicators, the overall score combines the five areas; the rank change compares with the previous edition.",
        "Not publicly known: exact weights, the missing-data rule, whether indicators are rank-based. cityindex makes each of these a named setting of the methodology file.",
        "Published Bitkom editions are never recomputed or filled in; what no source states stays 'not published'.",
    ],
}


def methodology_context(*, lang: str) -> dict[str, Any]:
    """The principles, the methodology file of every shown edition as a tree, and the data sources."""
    return {"principles": PRINCIPLES[lang], "methodologies": _methodologies(lang), "sources": sources(lang)}


def _methodologies(lang: str) -> list[dict[str, Any]]:
    from cityindex.web import data

    shown = {v.key for v in data.editions()} | ({"open-2026"} if data.SHOW_OPEN_PILOT else set())
    shown |= {v.methodology.key for v in data.editions() if v.methodology is not None}  # e.g. open-series
    out = []
    for path in sorted(METHODOLOGY_DIR.glob("*.y*ml")):
        m = _load(path, path.stat().st_mtime_ns)
        if m.key not in shown:  # e.g. the fictional example methodology of the docs
            continue
        out.append({
            "key": m.key, "title": m.title.get(lang), "version": m.version,
            "description": m.description.get(lang),
            "file": path.name, "hash": getattr(m, "hash", None),
            "rules": m.rules.model_dump(mode="json"),
            "areas": [_area(m, a, lang) for a in m.areas],
            "uncertainty": intervals.methodology_part(m.key, lang),
        })
    return out


@lru_cache(maxsize=32)
def _load(path, mtime_ns: int):
    """A methodology file, read again only when it changed."""
    from cityindex.methodology import load_methodology

    return load_methodology(path)


def _name(obj, lang: str) -> str:
    return obj.name_de if lang == "de" else obj.name_en


def _area(m, area, lang: str) -> dict[str, Any]:
    return {
        "code": area.code, "name": _name(area, lang), "weight": area.weight,
        "description": area.description.get(lang),
        "indicators": [
            {"code": i.code, "name": _name(i, lang), "weight": i.weight, "combine": i.combine,
             "normalisation": m.normalisation_of(i).method,  # the indicator's own or the edition's default
             "parameters": [
                 {"code": p.code, "name": _name(p, lang), "kind": p.kind, "unit": unit_text(p.unit, lang),
                  "direction": p.direction, "weight": p.weight, "context_only": p.context_only}
                 for p in i.parameters]}
            for i in area.indicators],
    }


@router.get("/methodik.json", summary="Methodology: principles, methodology files, sources and licences")
def methodology_json(request: Request, lang: LangDep):
    return api(request, methodology_context(lang=lang))


@router.get("/methodik", include_in_schema=False)
def methodology_page(request: Request, lang: LangDep):
    return page(request, "methodology.html", methodology_context(lang=lang), lang=lang)
