"""The server-rendered SVG map of Germany: state borders and one marker per city.

Geometry comes from the bundled ``data/geo/laender.geojson`` (© GeoBasis-DE / BKG,
dl-de/by-2-0); city markers use the register's latitude/longitude. Coordinates are
projected once (equirectangular, scaled by cos 51°) and thinned to whole pixels, so the
map is a few dozen kilobytes and readable without JavaScript.
"""

import json
import math
from functools import lru_cache

from cityindex.paths import GEO_DIR

WIDTH = 560.0
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 5.8, 15.1, 47.2, 55.1
KX = math.cos(math.radians(51.0))
SCALE = WIDTH / ((LON_MAX - LON_MIN) * KX)
HEIGHT = round((LAT_MAX - LAT_MIN) * SCALE)

ATTRIBUTION = "© GeoBasis-DE / BKG (2017), dl-de/by-2-0"


def project(lon: float, lat: float) -> tuple[float, float]:
    """Longitude/latitude → SVG x/y in the map's pixel space."""
    return round((lon - LON_MIN) * KX * SCALE, 1), round((LAT_MAX - lat) * SCALE, 1)


@lru_cache(maxsize=1)
def state_paths() -> tuple[tuple[str, str], ...]:
    """(state name, SVG path ``d``) for the 16 states, thinned to ~1 px steps."""
    data = json.loads((GEO_DIR / "laender.geojson").read_text(encoding="utf-8"))
    paths = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        d = "".join(_ring_path(ring) for polygon in polygons for ring in polygon)
        paths.append((feature["properties"]["name"], d))
    return tuple(paths)


def _ring_path(ring: list[list[float]]) -> str:
    points = [project(lon, lat) for lon, lat in ring]
    kept = [points[0]]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 2.0:
            kept.append((x, y))
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:g} {y:g}" for x, y in kept) + "Z"


SCORE_STEPS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
UNKNOWN = "#9e9e9e"


def score_colour(score: float | None) -> str:
    """A sequential blue scale (six bands of 100/6 points); grey for unknown."""
    if score is None or score != score:
        return UNKNOWN
    return SCORE_STEPS[min(len(SCORE_STEPS) - 1, max(0, int(float(score) // (100 / len(SCORE_STEPS)))))]


def legend(colour: str, unknown_label: str) -> list[dict[str, str]]:
    """Legend entries (fill, label) for the map's colouring."""
    if colour == "score":
        width = 100 / len(SCORE_STEPS)
        items = [{"fill": f, "label": f"{i * width:.0f}–{(i + 1) * width:.0f}"} for i, f in enumerate(SCORE_STEPS)]
    else:
        items = [{"fill": "#1a7f37", "label": "≥ +5"}, {"fill": "#74c476", "label": "+1 … +4"}, {"fill": "#ffffff", "label": "±0"},
                 {"fill": "#f4a582", "label": "−1 … −4"}, {"fill": "#b42318", "label": "≤ −5"}]
    return items + [{"fill": UNKNOWN, "label": unknown_label}]


def change_colour(change: float | None) -> str:
    """Green for places gained, red for places lost, white for unchanged, grey for unknown."""
    if change is None or change != change:
        return UNKNOWN
    if change == 0:
        return "#ffffff"
    if change > 0:
        return "#1a7f37" if change >= 5 else "#74c476"
    return "#b42318" if change <= -5 else "#f4a582"
