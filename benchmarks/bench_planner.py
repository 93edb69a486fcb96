"""Benchmark of the planner — figures quoted in docs/planner.md (target: a plan with 60 measures
on the open pilot edition in ≤ 1 s).

The edition is the real open pilot edition open-2026 (bundled data points, scored offline). The
60 measures are FICTIONAL and their costs SYNTHETIC, drawn from a seeded random generator: 20
measures set one of the five yes/no parameters a city can change, 40 raise one of the three
numeric parameters (GBFS feeds, charging points per 1,000 inhabitants, GovData publishers) by
varied amounts; some require or exclude others. No real plan or price is implied.
The machine may be shared: the script prints the load average, and CPU time next to wall time.

Each case (city, target) is timed end to end: baseline, the model (scoring every reachable state
with score()), the solve with scipy.optimize.milp and the check of the plan by score().

Run:  .venv/bin/python benchmarks/bench_planner.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from cityindex.analysis.catalogue import Catalogue, Measure
from cityindex.analysis.planner import plan
from cityindex.analysis.scenario import baseline
from cityindex.connectors.open_pilot import open_pilot_result, read_bundle
from cityindex.editions import EditionView

BINARY = ["freifunk_directory_entry", "opendata_listed_odg", "oklab_any", "oklab_active", "onleihe_public_library"]
RAISES = {"gbfs_feeds_city": [1, 2], "charging_points_per_1000_2019": [0.05, 0.1, 0.2],
          "govdata_publishers_mdk": [1, 2, 3, 5]}
CASES = [("Oberhausen", 5), ("Gelsenkirchen", 10), ("Bottrop", 20), ("Salzgitter", 40), ("Ulm", 1)]


def synthetic_catalogue(n: int = 60, seed: int = 2026) -> Catalogue:
    rng = np.random.default_rng(seed)
    measures = []
    for i in range(n):
        if i < n // 3:
            effect = {"sets": {BINARY[i % len(BINARY)]: "yes"}}
        else:
            code = list(RAISES)[i % len(RAISES)]
            effect = {"raises": {code: float(rng.choice(RAISES[code]))}}
        requires = (f"m{i - 3}",) if i >= 3 and rng.random() < 0.15 else ()
        excludes = (f"m{i - 1}",) if i >= 1 and rng.random() < 0.1 and f"m{i - 1}" not in requires else ()
        measures.append(Measure(id=f"m{i}", name_de=f"Maßnahme {i}", name_en=f"measure {i}",
                                euros=float(rng.integers(5, 500)) * 1000, requires=requires, excludes=excludes,
                                **effect))
    return Catalogue(key="synthetic", methodology="open-2026", title_de="synthetisch", title_en="synthetic",
                     description_de="", description_en="", example=True, measures=tuple(measures))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    view = EditionView.from_result(open_pilot_result(), key="open-2026", title="Open pilot 2026", series="open",
                                   year=2026, datapoints=read_bundle())
    catalogue = synthetic_catalogue()
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min); {os.cpu_count()} cores")
    for city, target in CASES:
        times, cpu, result = [], [], None
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = plan(baseline(view, city), catalogue, target_rank=target)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        s = result.stats
        outcome = result.status if result.status != "planned" else f"{len(result.measures)} measures, rank {result.after.rank}"
        print(f"{city:14s} target rank {target:2d}: median {statistics.median(times) * 1000:7.1f} ms wall "
              f"(min {min(times) * 1000:.1f}), {statistics.median(cpu) * 1000:6.1f} ms CPU · {outcome} · "
              f"{s.get('variables', 0)} variables, "
              f"{s.get('score_calls', 0)} score() calls, {s.get('solves', 0)} solve(s)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
