"""Chart specs (Vega-Lite via Altair) for city pages, and their SVG/PNG rendering.

The browser renders the same spec with the app-served vega-embed bundle; downloads render
it server-side with vl-convert. Unknown values are simply absent from a chart (never 0),
and every chart on a page sits next to a table with the same numbers.

A chart's layout depends only on its labels (and the editions on its axis), so it is built
with Altair once per set of labels (``lru_cache``); each page adds its numbers as the named
data set ``points`` (Vega-Lite's top-level ``datasets``). Building it anew costs ~10 ms a page.
"""

from functools import lru_cache
from typing import Any

BLUE, GREY, ORANGE = "#08519c", "#6b6b6b", "#c2410c"
BREAK = "break-paths-show-domains"  # a null value breaks a line instead of bridging the gap
POINTS = {"name": "points"}  # the named data set each page fills in

# Altair and vl-convert are imported when the first chart is built (not at server start).


def _with_points(skeleton: dict, points: list[dict[str, Any]]) -> dict:
    return {**skeleton, "datasets": {"points": points}}


def history_spec(points: list[dict[str, Any]], *, title: str, rank_label: str, edition_label: str,
                 score_label: str = "score") -> dict:
    """Rank (rank 1 at the top) and score per edition, one panel each; ``points``: ``{edition,
    rank, score, n_cities}``. An unknown value (null) breaks the line: no gap is bridged."""
    editions = tuple(p["edition"] for p in points)
    return _with_points(_history(editions, title, rank_label, edition_label, score_label), points)


@lru_cache(maxsize=64)
def _history(editions: tuple[str, ...], title: str, rank_label: str, edition_label: str, score_label: str) -> dict:
    import altair as alt

    x = alt.X("edition:O", title=edition_label, sort=list(editions), scale=alt.Scale(domain=list(editions)),
              axis=alt.Axis(labelAngle=0))
    rank_chart = (
        alt.Chart(alt.NamedData(**POINTS))
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True, color=BLUE), color=BLUE, invalid=BREAK)
        .encode(x=x, y=alt.Y("rank:Q", title=rank_label, scale=alt.Scale(reverse=True, domainMin=1, nice=False, zero=False)),
                tooltip=[alt.Tooltip("edition:O", title=edition_label), alt.Tooltip("rank:Q", title=rank_label),
                         alt.Tooltip("n_cities:Q", title="n")])
        .properties(width="container", height=180)
    )
    score_chart = (
        alt.Chart(alt.NamedData(**POINTS))
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True, color=ORANGE), color=ORANGE, invalid=BREAK)
        .encode(x=x, y=alt.Y("score:Q", title=score_label, scale=alt.Scale(domain=[0, 100])),
                tooltip=[alt.Tooltip("edition:O", title=edition_label), alt.Tooltip("score:Q", title=score_label, format=".1f")])
        .properties(width="container", height=140)
    )
    return _spec(alt.vconcat(rank_chart, score_chart, title=title))


def areas_spec(rows: list[dict[str, Any]], *, title: str, labels: dict[str, str]) -> dict:
    """City score per area as bars, with the median (tick) and the best value (tick) per area."""
    long = []
    for row in rows:
        for series in ("score", "median", "best"):
            if row.get(series) is not None:
                long.append({"area": row["name"], "series": labels[series], "value": row[series]})
    return _with_points(_areas(title, labels["score"], labels["median"], labels["best"]), long)


@lru_cache(maxsize=256)
def _areas(title: str, score: str, median: str, best: str) -> dict:
    import altair as alt

    bars = alt.Chart(alt.NamedData(**POINTS)).transform_filter(alt.datum.series == score)
    ticks = alt.Chart(alt.NamedData(**POINTS)).transform_filter(alt.datum.series != score)
    y = alt.Y("area:N", title=None, sort=None)
    x = alt.X("value:Q", title=score, scale=alt.Scale(domain=[0, 100]))
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=[score, median, best], range=[BLUE, GREY, ORANGE]))
    tooltip = [alt.Tooltip("area:N"), alt.Tooltip("series:N"), alt.Tooltip("value:Q", format=".1f")]
    chart = alt.layer(
        bars.mark_bar(height=14).encode(y=y, x=x, color=colour, tooltip=tooltip),
        ticks.mark_tick(thickness=3, size=22).encode(y=y, x=x, color=colour, tooltip=tooltip),
        title=title,
    ).properties(width="container", height=alt.Step(30))
    return _spec(chart)


def compare_spec(points: list[dict[str, Any]], *, title: str, rank_label: str, edition_label: str,
                 editions: list[str] | None = None) -> dict:
    """Rank per edition for several cities, one coloured line each; ``points``: ``{city, edition,
    rank}``. A null rank breaks that city's line: no gap is bridged."""
    order = tuple(editions or dict.fromkeys(p["edition"] for p in points))
    return _with_points(_compare(order, title, rank_label, edition_label), points)


@lru_cache(maxsize=64)
def _compare(order: tuple[str, ...], title: str, rank_label: str, edition_label: str) -> dict:
    import altair as alt

    chart = (
        alt.Chart(alt.NamedData(**POINTS), title=title)
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True), invalid=BREAK)
        .encode(
            x=alt.X("edition:O", title=edition_label, sort=list(order), scale=alt.Scale(domain=list(order)),
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("rank:Q", title=rank_label, scale=alt.Scale(reverse=True, zero=False)),
            color=alt.Color("city:N", title=None, scale=alt.Scale(scheme="dark2")),
            tooltip=["city:N", alt.Tooltip("edition:O", title=edition_label), alt.Tooltip("rank:Q", title=rank_label)],
        )
        .properties(width="container", height=240)
    )
    return _spec(chart)


def _spec(chart) -> dict:
    spec = chart.to_dict(validate=False)  # validated in tests (test_charts.py)
    spec["config"] = {"font": "sans-serif", "view": {"stroke": None}}
    return spec


def to_svg(spec: dict) -> str:
    """Render a spec to SVG on the server (fixed width: 'container' has no meaning here)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_fixed_width(spec), vl_version=_vl_version())


def to_png(spec: dict) -> bytes:
    """Render a spec to PNG on the server."""
    import vl_convert

    return vl_convert.vegalite_to_png(_fixed_width(spec), vl_version=_vl_version(), scale=2)


def _vl_version() -> str:
    """The Vega-Lite version Altair writes, e.g. "6.4"."""
    import altair as alt

    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def _fixed_width(spec: dict) -> dict:
    spec = dict(spec)
    if spec.get("width") == "container":
        spec["width"] = 560
    for key in ("vconcat", "layer"):
        if key in spec:
            spec[key] = [_fixed_width(part) for part in spec[key]]
    return spec


def whisker_spec(points: list[dict[str, Any]], *, rank_label: str, city_label: str, interval_label: str,
                 median_label: str) -> dict:
    """Rank intervals as whiskers, one per city in ranking order: the 5–95 % range of its rank over
    the uncertainty runs (line), its median (tick) and its own rank (dot); rank 1 at the top.
    ``points``: ``{city, rank, low, median, high}``."""
    order = tuple(p["city"] for p in points)
    top = max((p["high"] for p in points), default=1)
    return _with_points(_whiskers(order, top, rank_label, city_label, interval_label, median_label), points)


@lru_cache(maxsize=64)
def _whiskers(order: tuple[str, ...], top: int, rank_label: str, city_label: str, interval_label: str,
              median_label: str) -> dict:
    import altair as alt

    x = alt.X("city:N", title=None, sort=list(order), axis=alt.Axis(labelAngle=-60, labelOverlap=True, labelFontSize=9))
    y = alt.Y("low:Q", title=rank_label, scale=alt.Scale(reverse=True, zero=False, nice=False, domain=[1, top]))
    tooltip = [alt.Tooltip("city:N", title=city_label), alt.Tooltip("rank:Q", title=rank_label),
               alt.Tooltip("low:Q", title=f"{interval_label} ≥"), alt.Tooltip("high:Q", title=f"{interval_label} ≤"),
               alt.Tooltip("median:Q", title=median_label)]
    base = alt.Chart(alt.NamedData(**POINTS))
    chart = alt.layer(
        base.mark_rule(color=BLUE, strokeWidth=2).encode(x=x, y=y, y2="high:Q", tooltip=tooltip),
        base.mark_tick(color=GREY, thickness=2, size=8).encode(x=x, y=alt.Y("median:Q"), tooltip=tooltip),
        base.mark_point(color=ORANGE, filled=True, size=30).encode(x=x, y=alt.Y("rank:Q"), tooltip=tooltip),
    ).properties(width="container", height=260)
    return _spec(chart)
