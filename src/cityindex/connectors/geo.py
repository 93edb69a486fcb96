"""Point in polygon against the bundled index-city polygons (data/geo/cities.geojson).

Vectorised with numpy: for every polygon ring, the even–odd crossing test runs over all
points at once, edge by edge (ring sizes are a few hundred vertices, points up to 100,000s).
A bounding-box prefilter keeps the work per city small.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np

from cityindex.paths import GEO_DIR


@lru_cache(maxsize=1)
def city_polygons() -> list[tuple[str, list[list[np.ndarray]]]]:
    """``[(ags, [polygon = [exterior, *holes] as (n, 2) arrays]), ...]``."""
    data = json.loads((GEO_DIR / "cities.geojson").read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        out.append((feature["properties"]["AGS"],
                    [[np.asarray(ring, dtype=float) for ring in poly] for poly in polys]))
    return out


def points_in_ring(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even–odd rule: True where the point lies inside the closed ring."""
    inside = np.zeros(lon.shape, dtype=bool)
    x1, y1 = ring[:-1, 0], ring[:-1, 1]
    x2, y2 = ring[1:, 0], ring[1:, 1]
    for ax, ay, bx, by in zip(x1, y1, x2, y2):
        crosses = (ay > lat) != (by > lat)
        if not crosses.any():
            continue
        x_at = ax + (lat - ay) * (bx - ax) / ((by - ay) or 1e-300)
        inside ^= crosses & (lon < x_at)
    return inside


def assign_points(lon, lat) -> np.ndarray:
    """AGS of the index city containing each point, '' where none (object array)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    result = np.full(lon.shape, "", dtype=object)
    valid = np.isfinite(lon) & np.isfinite(lat)
    for ags, polys in city_polygons():
        for poly in polys:
            ext = poly[0]
            box = (valid & (lon >= ext[:, 0].min()) & (lon <= ext[:, 0].max())
                   & (lat >= ext[:, 1].min()) & (lat <= ext[:, 1].max()) & (result == ""))
            idx = np.flatnonzero(box)
            if idx.size == 0:
                continue
            hit = points_in_ring(lon[idx], lat[idx], ext)
            for hole in poly[1:]:
                hit &= ~points_in_ring(lon[idx], lat[idx], hole)
            result[idx[hit]] = ags
    return result
