"""Benchmark: rebuild the whole open series from the raw files — open-2019 … open-2025 from the dated
versions of the history folder and open-2026 from the open pilot's raw files — import every edition
into a fresh SQLite store through the importer and score it (8 editions × 82 cities × 20 parameters).

Steps timed per run (wall clock): parse + assign (all years), import + score (all editions, in order,
each with its previous edition), total; and the total CPU time of the process, which a shared machine
inflates less than the wall clock. Target: ≤ 20 s on one core. The figure is quoted in docs/series.md.

    taskset -c 0 .venv/bin/python benchmarks/bench_open_series.py [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_open_pilot import RAW, ROOT, print_medians  # noqa: E402

HISTORY = ROOT / "tests" / "data" / "connectors" / "open_history"


def one_run() -> dict[str, float]:
    from cityindex.connectors.open_pilot import build_open_pilot, bundle_frame, rebuild_values
    from cityindex.series.build import build_series, bundle_frames
    from cityindex.store.testing import fresh_store

    times = {}
    start, cpu = time.perf_counter(), time.process_time()
    frames = bundle_frames(HISTORY)
    pilot = bundle_frame(rebuild_values(RAW).values)
    times["parse+assign"] = time.perf_counter() - start
    with fresh_store() as store:
        mark = time.perf_counter()
        results = build_series(store, frames=frames, pilot=False)
        results["open-2026"] = build_open_pilot(store, values=pilot)
        times["import+score"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    times["total CPU"] = time.process_time() - cpu  # this process's CPU time: robust on a shared machine
    assert len(results) == 8 and all(len(r.overall) == 82 for r in results.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import cityindex.series.build  # noqa: F401  (imports are not part of the figure)

    print_medians([one_run() for _ in range(args.runs)])


if __name__ == "__main__":
    main()
