"""Benchmark: full rebuild of the open pilot edition open-2026 from the raw source files.

Steps timed per run: parse + assign all sources (raw files + side files), import the data points
into a fresh SQLite store through the importer, score with cityindex.engine.score via
store.score_edition. Target: ≤ 5 s on one core. The figure is quoted in docs/open-pilot.md.

    taskset -c 0 .venv/bin/python benchmarks/bench_open_pilot.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "tests" / "data" / "connectors" / "open_pilot_raw"


def one_run() -> dict[str, float]:
    from cityindex.connectors.open_pilot import build_open_pilot, bundle_frame, rebuild_values
    from cityindex.store.testing import fresh_store

    times = {}
    start = time.perf_counter()
    rebuilt = rebuild_values(RAW)
    frame = bundle_frame(rebuilt.values)
    times["parse+assign"] = time.perf_counter() - start
    with fresh_store() as store:
        mark = time.perf_counter()
        result = build_open_pilot(store, values=frame)
        times["import+score"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    assert len(result.overall) == 82
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import cityindex.connectors.open_pilot  # noqa: F401  (imports are not part of the figure)

    print_medians([one_run() for _ in range(args.runs)])


def print_medians(runs: list[dict[str, float]]) -> None:
    """One line per timed step: median, min and max over the runs (also used by bench_open_series)."""
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(f"{key:>13}: median {statistics.median(values):.2f} s  (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})")


if __name__ == "__main__":
    main()
