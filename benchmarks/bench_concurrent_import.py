"""Benchmark: import throughput with 1, 2 and 8 concurrent importer processes, SQLite and PostgreSQL.

Each importer is the real CLI (``cityindex import FILE --edition KEY``, start-up included) and
imports its own file of 13,530 SYNTHETIC data points (82 register cities × 165 generated parameters
of the fictional benchmark methodology of bench_import_export.py; no real city reported them).
Two layouts: every importer into its *own* edition, and all into the *same* edition (each file
with other values, so every import changes every data point and appends a revision each).

Throughput = data points written by all importers ÷ wall-clock time from the first start to the
last exit; median of ``--repeat`` runs. Writers of one edition (SQLite: of one store) run one
after the other, so the figures show what that serialisation costs. Run:

    .venv/bin/python benchmarks/bench_concurrent_import.py [--repeat 3] [--postgres URL]

docs/operations.md quotes the figures, with the machine's load average (``uptime``) at the time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import_export import N_CITIES, N_PARAMETERS, fictional_methodology_cached, synthetic_csv  # noqa: E402

from cityindex.store import create_edition  # noqa: E402
from cityindex.store.testing import fresh_store  # noqa: E402

CLI = str(Path(sys.executable).parent / "cityindex")
POINTS = N_CITIES * N_PARAMETERS


def _run(store, files: list[Path], *, same_edition: bool, run: int) -> float:
    """Start one importer per file at once; seconds until the last one exits."""
    keys = [f"r{run}-shared"] * len(files) if same_edition else [f"r{run}-own-{i}" for i in range(len(files))]
    for key in dict.fromkeys(keys):
        create_edition(store, key, fictional_methodology_cached())
    env = {**os.environ, "CITYINDEX_DATABASE_URL": store.engine.url.render_as_string(hide_password=False),
           "CITYINDEX_OPEN_PILOT": "false", "CITYINDEX_LOCK_TIMEOUT": "600"}
    started = time.perf_counter()
    processes = [subprocess.Popen([CLI, "import", str(path), "--edition", key, "--by", "benchmark"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for path, key in zip(files, keys)]
    errors = [p.communicate()[1] for p in processes]
    elapsed = time.perf_counter() - started
    failed = [e for p, e in zip(processes, errors) if p.returncode != 0]
    assert not failed, failed[0]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("CITYINDEX_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = [tmp / f"data-{i}.csv" for i in range(8)]
        for seed, path in enumerate(files, start=1):
            synthetic_csv(fictional_methodology_cached(), path, seed=seed)
        print(f"load average before: {os.getloadavg()[0]:.2f} (1 min); {os.cpu_count()} cores; "
              f"{POINTS:,} synthetic data points per importer; median of {args.repeat} runs")
        print("| database | layout | importers | wall time (s) | data points/s |")
        print("|---|---|---:|---:|---:|")
        backends = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
        for name, url in backends:
            for same in (False, True):
                for n in (1, 2, 8):
                    with fresh_store(url) as store:
                        times = [_run(store, files[:n], same_edition=same, run=r) for r in range(args.repeat)]
                    wall = statistics.median(times)
                    layout = "same edition" if same else "own editions"
                    print(f"| {name} | {layout} | {n} | {wall:.2f} | {n * POINTS / wall:,.0f} |", flush=True)
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
