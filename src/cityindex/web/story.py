"""What a city page shows, derived from the edition rows: history, areas vs median/best, peers.

Only known numbers are used: medians and best values are over the cities whose value was
published (or computed) in that edition, and the page says so. Strengths, weaknesses, peers and
the narrative come from ``cityindex.analysis`` and ``cityindex.report``.
"""

from functools import lru_cache
from typing import Any

import pandas as pd

from cityindex.analysis import city_story
from cityindex.cities import City
from cityindex.report import narrate
from cityindex.rounding import round_value
from cityindex.report.narrative import notes_text
from cityindex.report.values import has_binary, unit_text, value_text
from cityindex.web import data
from cityindex.web.attribution import licence_text, source_name_text


def city_records(city: City) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Every edition with the city's rows as records — read once per request, shared by
    :func:`history` and :func:`sources`."""
    return [(view, view.city_records(city.ags)) for view in data.editions()]


def history(city: City, *, records: list | None = None, lang: str = "de") -> list[dict[str, Any]]:
    """One entry per edition: overall rank/score/change and area rows; ``known`` False when the
    data set has no number at all for the city in that edition (shown as "not published")."""
    out = []
    for view, rows in (city_records(city) if records is None else records):
        by_scope = {r["scope"]: r for r in rows}
        overall = by_scope.get("overall", {})
        out.append({
            "key": view.key, "year": view.year, "title": view.title_in(lang), "kind": view.kind, "series": view.series, "known": bool(rows),
            "n_cities": view.n_cities, "previous": view.previous, "url": f"/{view.key}/ranking",
            "rank": data.clean(overall.get("rank")), "score": data.clean(overall.get("score")),
            "rank_change": data.clean(overall.get("rank_change")), "source": data.clean(overall.get("source")),
            "comparable_change": data.clean(overall.get("comparable_change")),
            "areas": {s: {"rank": data.clean(r["rank"]), "score": data.clean(r["score"]),
                          "rank_change": data.clean(r["rank_change"]), "source": data.clean(r["source"]),
                          "comparable_change": data.clean(r.get("comparable_change"))}
                      for s, r in by_scope.items() if s != "overall"},
        })
    return out


def current(history_rows: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """The selected edition's entry of the history."""
    return next((h for h in history_rows if h["key"] == key), None)


def areas_vs(city: City, view, lang: str) -> list[dict[str, Any]]:
    """Per area: the city's score and rank, the median and the best of the known scores."""
    out = []
    for scope in (s for s in view.scopes if s != "overall"):
        own = view.get(city.ags, scope) or {}
        score, rank = data.clean(own.get("score")), data.clean(own.get("rank"))
        median, best, best_cities, n_known = _scope_stats(view, scope)
        out.append({
            "code": scope, "name": view.scope_name(scope, lang), "score": score, "rank": rank,
            "median": round_value(median, *view.rounding), "n_known": n_known,
            "best": best, "best_count": len(best_cities),
            # a tie for the best value names no city: the page says how many share it
            "best_city": best_cities[0] if len(best_cities) == 1 else None,
            "versus_median": _versus(score, median),
        })
    return out


@lru_cache(maxsize=256)
def _scope_stats(view, scope: str) -> tuple[float | None, float | None, tuple[str, ...], int]:
    """(median, best, cities with the best score, number of known scores) of one scope, once per view."""
    rows = view.ranking(scope)
    scores = rows["score"].dropna().astype(float)
    if not len(scores):
        return None, None, (), 0
    best = float(scores.max())
    return float(scores.median()), best, tuple(rows.loc[scores.index[scores == best], "city"]), int(len(scores))


def _versus(score, median) -> str | None:
    if score is None or median is None:
        return None
    return "above" if score > median else ("below" if score < median else "equal")


@lru_cache(maxsize=256)
def _story(ags: str, view, universe: tuple):
    """A city's story in one edition view among the editions the visitor sees. Views are immutable
    and kept while their edition is unchanged (a re-scored edition is a new view), so the story is
    told once per view, city and set of visible editions."""
    return city_story(ags, edition=view, editions=list(universe))


def analysed(city: City, view, lang: str) -> dict[str, Any]:
    """Strengths, weaknesses, peers, notes and the narrative from ``cityindex.analysis``/``report``."""
    story = _story(city.ags, view, tuple(data.editions()))
    name = "name_de" if lang == "de" else "name_en"
    reg = data.register()

    def peer_list(peers) -> list[dict[str, Any]]:
        return [{"name": p.name, "url": data.city_url(reg.get(p.ags)), "rank": p.rank, "score": p.score}
                for p in peers]

    def area_list(items) -> list[dict[str, Any]]:
        return [{"code": a.scope, "name": getattr(a, name), "rank": a.rank, "score": a.score, "basis": a.basis}
                for a in items]

    return {
        "sw_known": any(a.position for a in story.areas),
        "strengths": area_list(story.strengths),
        "weaknesses": area_list(story.weaknesses),
        "peers": {
            "state": peer_list(story.state_peers),
            "region": peer_list([p for peers in story.region_peers.values() for p in peers]),
            "neighbours": peer_list(story.neighbours),
        },
        "narrative": narrate(story, lang),
        "notes": notes_text(story, lang),
        "values": values(story.values, lang),
        "values_binary": has_binary(story.values),
    }


def values(rows: list[dict], lang: str) -> list[dict[str, Any]]:
    """Computed editions: every parameter with value and provenance (``analysis.values``), plus
    ``name`` and ``value_text`` in *lang* (unknown: "not published in this data set")."""
    return [{**row, "name": row["name_de"] if lang == "de" else row["name_en"],
             "value_text": value_text(row, lang), "unit_text": unit_text(row["unit"], lang),
             "licence_text": licence_text(row["licence"], lang),
             "source_name": source_name_text(row["source_name"], lang)} for row in rows]


def sources(city: City, *, records: list | None = None) -> list[dict[str, Any]]:
    """Every number of the city with the URL it comes from (published editions) or its origin."""
    out = []
    for view, rows in (city_records(city) if records is None else records):
        for rec in rows:
            for field in ("rank", "score", "rank_change"):
                value = data.clean(rec[field])
                if value is None:
                    continue
                out.append({"edition": view.key, "scope": rec["scope"], "field": field,
                            "value": value, "source": data.clean(rec.get(f"{field}_source")) or data.clean(rec["source"])})
    return out


def long_rows(city: City) -> pd.DataFrame:
    """The city's rows of every edition, long, for the CSV download (unknown cells stay empty)."""
    frames = []
    for view in data.editions():
        rows = view.city_rows(city.ags)
        if not rows.empty:
            frames.append(rows.assign(edition=view.key, kind=view.kind))
    if not frames:
        return pd.DataFrame(columns=["edition", "kind", "ags", "city", "scope", "rank", "score", "rank_change", "source"])
    frame = pd.concat(frames, ignore_index=True)
    return frame[["edition", "kind", "ags", "city", "scope", "rank", "score", "rank_change", "source"]]
