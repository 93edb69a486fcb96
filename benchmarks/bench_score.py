"""Benchmark of cityindex.engine.score() — figures quoted in docs/scoring.md.

Two cases, single process:

* one edition: 83 cities × 163 parameters (the size of the 2025 Bitkom edition; target ≤ 5 ms);
* scale: 10,800 municipalities × 200 parameters (target ≤ 1 s).

All units are FICTIONAL (AGS 99xxxxxx, no German state has code 99) and every value is
SYNTHETIC, drawn from a seeded random generator; no real city's data is used. The methodology
is synthetic too: five areas of yes/no, graded and numeric parameters (some per capita), with
sum and weighted-mean indicators and an innovation bonus.

Each case is timed twice: with values already numeric (answers as 0/1 and points), and with every
value as text ("ja", "nein", "teilweise", "12.3456") as a CSV data file delivers them.

Run:  .venv/bin/python benchmarks/bench_score.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import pandas as pd
import yaml

from cityindex.engine import score
from cityindex.methodology import load_methodology

AREAS = ["verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft"]
ANSWERS = {"nein": 0, "teilweise": 1, "ja": 2}


def _parameter(code: str, kind: str) -> dict:
    p = {"code": code, "name_de": code, "name_en": code, "kind": kind}
    if kind == "points":
        p["answers"] = ANSWERS
    return p


def synthetic_methodology(n_parameters: int, per_indicator: int = 5):
    """Five areas; binary 60 %, points 20 %, numeric 20 % (half of them per capita)."""
    kinds = (["binary"] * 3 + ["points", "numeric"]) * (n_parameters // 5 + 1)
    params = [_parameter(f"p{k:03d}", kinds[k]) for k in range(n_parameters)]
    for k, p in enumerate(params):
        if p["kind"] == "numeric" and k % 2:
            p["transforms"] = [{"type": "per_capita", "denominator": "population", "factor": 1000}]
    bonus = [params.pop()] if n_parameters > 10 else []
    chunks = [params[k : k + per_indicator] for k in range(0, len(params), per_indicator)]
    areas = []
    for a, code in enumerate(AREAS):
        inds = [
            {"code": f"i{j:03d}", "name_de": f"i{j}", "name_en": f"i{j}", "parameters": chunk,
             **({"combine": "weighted_mean"} if j % 4 == 3 else {})}
            for j, chunk in enumerate(chunks) if j % len(AREAS) == a
        ]
        area = {"code": code, "name_de": code, "name_en": code, "indicators": inds}
        if a == 0 and bonus:
            area["bonus"] = {"parameters": bonus, "cap": 0.05}
        areas.append(area)
    doc = {"key": "bench", "title": "Benchmark (fictional)", "version": "1", "areas": areas}
    return load_methodology(yaml.safe_dump(doc))


def synthetic_data(methodology, n_cities: int, *, text: bool, seed: int = 42):
    """Long data and a register of fictional units; every value is random."""
    rng = np.random.default_rng(seed)
    cities = np.array([f"99{k:06d}" for k in range(1, n_cities + 1)])
    params = list(methodology.parameters.values())
    columns = []
    for p in params:
        if p.kind == "binary":
            draw = rng.integers(0, 2, n_cities)
            columns.append(np.where(draw == 1, "ja", "nein") if text else draw.astype(float))
        elif p.kind == "points":
            draw = rng.integers(0, 3, n_cities)
            columns.append(np.array(list(ANSWERS))[draw] if text else draw.astype(float))
        else:
            draw = rng.gamma(2.0, 50.0, n_cities)
            columns.append(np.char.mod("%.4f", draw) if text else draw)
    values = np.concatenate([np.asarray(c, dtype=str if text else float) for c in columns])
    data = pd.DataFrame({
        "city": np.tile(cities, len(params)),
        "parameter": np.repeat([p.code for p in params], n_cities),
        "value": values,
    })
    register = pd.DataFrame(
        {"population": rng.integers(5_000, 2_000_000, n_cities), "area_km2": rng.uniform(10, 900, n_cities)},
        index=pd.Index(cities, name="ags"),
    )
    return data, register


def median_seconds(methodology, data, register, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (CPU time is what a shared,
    loaded machine distorts least)."""
    score(methodology, data, cities=register)  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        score(methodology, data, cities=register)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=0, help="timed runs per case (default 200 / 7)")
    args = parser.parse_args()
    cases = [("edition", 83, 163, 5e-3, args.repeat or 200), ("scale", 10_800, 200, 1.0, args.repeat or 7)]
    print("synthetic data for fictional units only; single process; medians of score() wall and CPU time")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    for name, n_cities, n_parameters, target, repeat in cases:
        methodology = synthetic_methodology(n_parameters)
        for text in (False, True):
            data, register = synthetic_data(methodology, n_cities, text=text)
            seconds, cpu = median_seconds(methodology, data, register, repeat)
            label = "text values" if text else "numeric values"
            verdict = "ok" if seconds <= target else "OVER TARGET"
            print(f"{name:8} {n_cities:>6} cities × {n_parameters} parameters, {label:14}: "
                  f"wall {seconds * 1000:8.2f} ms, cpu {cpu * 1000:8.2f} ms (target ≤ {target * 1000:g} ms) {verdict}"
                  f"  [{len(data):,} rows, {repeat} runs]")


if __name__ == "__main__":
    main()
