"""Benchmark of cityindex.analysis.uncertainty — figures quoted in docs/uncertainty.md.

All units are FICTIONAL (AGS 99xxxxxx) and every value is SYNTHETIC: the methodology and data
generators of benchmarks/bench_score.py (five areas of yes/no, graded and numeric parameters,
sum and weighted-mean indicators, an innovation bonus). The default assumptions vary: area and
indicator weights ± 25 %, arithmetic vs geometric (offset 1) for areas and overall, best_worst vs
percentile_rank.

Cases:

* ``edition`` — 10,000 runs of an 83 × 163 edition in this process (target ≤ 0.5 s of CPU time on
  one core; CPU time is what a shared, loaded machine distorts least), timed as the
  runs alone (chunks through engine/batch.py) and as the whole ``run_uncertainty`` call (scoring the
  edition once, preparing, runs, summary, PAWN); reported per run next to COINr 1.1.14's
  ``get_sensitivity`` (62–94 ms per run measured on this kind of machine, see the issue).
* ``scale`` — local versus a LocalCluster of 1 and 2 worker processes: 1,000,000 runs of the
  83 × 163 edition, and 10,000 runs of 10,800 municipalities × 200 parameters (``--runs`` and
  ``--large-runs`` change the counts).

Run:  .venv/bin/python benchmarks/bench_uncertainty.py [edition|scale] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import synthetic_data, synthetic_methodology  # noqa: E402

from cityindex.analysis.uncertainty import run_uncertainty  # noqa: E402
from cityindex.analysis.uncertainty.runs import prepare  # noqa: E402
from cityindex.analysis.uncertainty.schedulers import monte_carlo_jobs, run_jobs  # noqa: E402
from cityindex.methodology.uncertainty import assumptions_of  # noqa: E402

COINR_MS = (62, 94)


def _edition(n_cities: int, n_parameters: int):
    methodology = synthetic_methodology(n_parameters)
    data, register = synthetic_data(methodology, n_cities, text=False)
    return methodology, data, register


def _timed(call, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``call()``."""
    call()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def edition_case(repeat: int) -> None:
    methodology, data, register = _edition(83, 163)
    prepared, _ = prepare(methodology, data, assumptions_of(methodology), cities=register)
    jobs = monte_carlo_jobs(10_000, 0)
    print(f"83 cities × 163 parameters, {len(prepared.space.labels)} varied inputs, 10,000 runs, one process")
    for label, call in (("runs only", lambda: run_jobs(prepared, jobs)),
                        ("run_uncertainty", lambda: run_uncertainty(methodology, data, cities=register))):
        wall, cpu = _timed(call, repeat)
        per_run = cpu / 10_000
        verdict = "ok" if cpu <= 0.5 else "OVER TARGET"
        print(f"  {label:16}: wall {wall:6.3f} s, cpu {cpu:6.3f} s = {per_run * 1e6:5.1f} µs cpu per run "
              f"(target ≤ 0.5 s on one core: {verdict}; vs COINr {COINR_MS[0]}–{COINR_MS[1]} ms per run: "
              f"{COINR_MS[0] / 1000 / per_run:,.0f}–{COINR_MS[1] / 1000 / per_run:,.0f}× faster)")


def _scaling(label: str, methodology, data, register, runs: int) -> None:
    print(f"{label}: {runs:,} runs")
    base = None
    for scheduler, workers in (("local", None), ("dask", 1), ("dask", 2)):
        start = time.perf_counter()
        run_uncertainty(methodology, data, cities=register, runs=runs, scheduler=scheduler, workers=workers,
                        force=True)
        seconds = time.perf_counter() - start
        base = base or seconds
        where = "local, one process" if scheduler == "local" else f"LocalCluster, {workers} worker(s)"
        print(f"  {where:30}: {seconds:8.1f} s  ({runs / seconds:,.0f} runs/s, speed-up {base / seconds:4.2f}×)")


def scale_case(runs: int, large_runs: int) -> None:
    _scaling("83 cities × 163 parameters", *_edition(83, 163), runs)
    _scaling("10,800 municipalities × 200 parameters", *_edition(10_800, 200), large_runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", default="edition", choices=["edition", "scale"])
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions of the edition case")
    parser.add_argument("--runs", type=int, default=1_000_000, help="runs of the 83-city scale case")
    parser.add_argument("--large-runs", type=int, default=10_000, help="runs of the 10,800-unit scale case")
    args = parser.parse_args()
    print("synthetic data for fictional units only")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    if args.case == "edition":
        edition_case(args.repeat)
    else:
        scale_case(args.runs, args.large_runs)


if __name__ == "__main__":
    main()
