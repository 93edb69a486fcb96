"""Benchmark: import ≈13,500 data points and export every format.

The issue asks for 83 cities × 163 parameters = 13,529 data points. The city register holds the
82 cities with published data, so the benchmark uses 82 cities × 165 parameters = 13,530 data
points (the same volume). Everything here is SYNTHETIC: a fictional methodology with generated
parameters and random values; no real city reported these numbers. Run:

    .venv/bin/python benchmarks/bench_import_export.py [--repeat 5] [--postgres URL]

Prints the median wall-clock time per step for SQLite (a file in a temporary directory) and,
when a PostgreSQL URL is given (or CITYINDEX_TEST_POSTGRES_URL is set), for PostgreSQL.
docs/store.md quotes the figures. Target: ≤ 1 s per step on SQLite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from cityindex.cities import load_register
from cityindex.io.export import FORMATS, export_edition
from cityindex.io.importer import import_file
from cityindex.io.template import write_template
from cityindex.methodology import load_methodology
from cityindex.store import create_edition, score_edition
from cityindex.store.testing import fresh_store

AREAS = ["verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"]
N_PARAMETERS, N_CITIES = 165, 82


def fictional_methodology():
    """165 generated parameters in 5 areas × 7 indicators: binary, points and numeric."""
    areas = []
    for a, area in enumerate(AREAS):
        indicators = []
        for i in range(7):
            codes = [n for n in range(N_PARAMETERS) if n % 35 == a * 7 + i]
            indicators.append({"code": f"{area}_i{i}", "name_de": f"Indikator {i}", "name_en": f"Indicator {i}",
                               "parameters": [_parameter(n) for n in codes]})
        areas.append({"code": area, "name_de": area.title(), "name_en": area.title(), "indicators": indicators})
    spec = {"key": "bench", "title": "Benchmark index (fictional)", "version": "1.0", "areas": areas}
    import yaml
    return load_methodology(yaml.safe_dump(spec, sort_keys=False))


_CACHE: dict = {}


def fictional_methodology_cached():
    if "m" not in _CACHE:
        _CACHE["m"] = fictional_methodology()
    return _CACHE["m"]


def _parameter(n: int) -> dict:
    base = {"code": f"p{n:03d}", "name_de": f"Parameter {n}", "name_en": f"Parameter {n}"}
    if n % 3 == 0:
        return {**base, "kind": "binary"}
    if n % 3 == 1:
        return {**base, "kind": "points", "answers": {"keine": 0, "teilweise": 1, "voll": 2}}
    return {**base, "kind": "numeric", "unit": "%", "valid_range": {"min": 0, "max": 100}}


def synthetic_csv(methodology, path: Path, seed: int = 1) -> int:
    """A long CSV (semicolon, decimal comma, as Excel writes in Germany) with random values."""
    rng = np.random.default_rng(seed)
    cities = [c.ags for c in load_register()][:N_CITIES]
    lines = ["city;parameter;value;unit;source_url;source_name;retrieved;note"]
    for ags in cities:
        for p in methodology.parameters.values():
            if p.kind == "binary":
                value = rng.choice(["ja", "nein"])
            elif p.kind == "points":
                value = rng.choice(["keine", "teilweise", "voll"])
            else:
                value = f"{rng.uniform(0, 100):.2f}".replace(".", ",")
            lines.append(f"{ags};{p.code};{value};{p.unit};https://example.org/{p.code};Synthetic;"
                         "01.03.2026;synthetic benchmark value")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def synthetic_workbook(methodology, path: Path, seed: int = 2) -> Path:
    """The collection template filled with random values (and a source per value)."""
    from openpyxl import load_workbook

    rng = np.random.default_rng(seed)
    write_template(methodology, path, edition="bench", cities=list(load_register())[:N_CITIES])
    workbook = load_workbook(path)
    params = methodology.parameters
    for sheet in workbook.worksheets[1:]:
        codes = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=3):
            for cell, code in zip(row, codes):
                if code in params:
                    p = params[code]
                    cell.value = (str(rng.choice(["ja", "nein"])) if p.kind == "binary" else
                                  str(rng.choice(["keine", "teilweise", "voll"])) if p.kind == "points" else
                                  round(float(rng.uniform(0, 100)), 2))
                elif code and code.endswith("__source"):
                    cell.value = "https://example.org/synthetic"
    workbook.save(path)
    return path


def _timed_import(store, path: Path, key: str) -> float:
    create_edition(store, key, fictional_methodology_cached())
    started = time.perf_counter()
    report = import_file(store, path, edition=key, by="benchmark", reason="benchmark")
    elapsed = time.perf_counter() - started
    assert report.valid and report.stats["added"] == N_CITIES * N_PARAMETERS, report.summary(5)
    return elapsed


def bench(store, methodology, data: Path, repeat: int, out: Path) -> dict[str, float]:
    times: dict[str, list[float]] = {"import csv": [], "import xlsx": [], "score": [], **{f: [] for f in FORMATS}}
    for run in range(repeat):
        key = f"bench-{run}"
        times["import xlsx"].append(_timed_import(store, data.with_suffix(".xlsx"), f"{key}-xlsx"))
        times["import csv"].append(_timed_import(store, data, key))
        started = time.perf_counter()
        score_edition(store, key)
        times["score"].append(time.perf_counter() - started)
        for fmt in FORMATS:
            started = time.perf_counter()
            export_edition(store, key, format=fmt, out=out / f"{key}-{fmt}")
            times[fmt].append(time.perf_counter() - started)
    return {step: statistics.median(values) for step, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default=os.environ.get("CITYINDEX_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    methodology = fictional_methodology_cached()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = synthetic_csv(methodology, tmp / "data.csv")
        synthetic_workbook(methodology, tmp / "data.xlsx")
        print(f"{rows} synthetic data points, {len(methodology.parameters)} fictional parameters, "
              f"median of {args.repeat} runs (seconds)")
        backends = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
        results = {}
        for name, url in backends:
            with fresh_store(url) as store:
                results[name] = bench(store, methodology, tmp / "data.csv", args.repeat, tmp / name)
        steps = list(next(iter(results.values())))
        print("| step | " + " | ".join(results) + " |")
        print("|---|" + "---|" * len(results))
        for step in steps:
            print(f"| {step} | " + " | ".join(f"{results[b][step]:.2f}" for b in results) + " |")


if __name__ == "__main__":
    main()
