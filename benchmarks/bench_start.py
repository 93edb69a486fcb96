"""Start-up and cold-path benchmark — figures quoted in docs/web.md ("Start-up and cold pages").

Four measurements, each the median of several runs:

1. ``cityindex city Oberhausen`` as a new process (wall time), next to ``python -c "import pandas"``
   (target: ≤ 0.5 s and no slower than importing pandas);
2. ``cityindex serve``: seconds from starting the process until the start page answers 200
   (target ≤ 3 s; the store already exists — the very first start also builds the open pilot);
3. pages that are not in the page cache, rendered in process through the whole ASGI stack (cache
   off, gzip on; target ≤ 10 ms);
4. loading a methodology of 163 parameters (the size of the 2025 Bitkom edition; FICTIONAL, the
   synthetic methodology of bench_score.py) and the bundled open-2026.yaml (target ≤ 20 ms).

Run:  .venv/bin/python benchmarks/bench_start.py [--runs 7]
(set CITYINDEX_DATA_DIR to a scratch folder to keep the benchmark's store apart from your own)
Each row gives the median wall time and the median CPU time (user + system of the process; for
``serve`` the server process until it answered). On a busy machine the wall time waits for the
cores and the CPU time is what a quiet machine's wall time comes close to; report the load
average (printed before and after) with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("cityindex")
PAGES = ["/2022/ranking", "/open-2026/ranking", "/", "/staedte/oberhausen", "/staedte/oberhausen?edition=open-2026",
         "/karte", "/methodik", "/open-2026/bewegung", "/open-2026/statistik", "/quellen",
         "/staedte/oberhausen/was-waere-wenn?edition=open-2026&gbfs_feeds_city=7"]


def median_of(runs: int, fn) -> float | tuple[float, float]:
    """Median of ``fn()`` over *runs* calls; for (wall, cpu) pairs the median of each."""
    values = [fn() for _ in range(runs)]
    if isinstance(values[0], tuple):
        return tuple(statistics.median(v[k] for v in values) for k in range(len(values[0])))
    return statistics.median(values)


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of *cmd* as a new process."""
    start, cpu = time.perf_counter(), _child_cpu()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _child_cpu() - cpu


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_until_answer() -> tuple[float, float]:
    """(wall, CPU) seconds from starting ``cityindex serve`` until ``/`` answers 200."""
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([str(CLI), "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
                    response.read()
                return time.perf_counter() - start, _process_cpu(proc.pid)
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("cityindex serve exited") from None
                time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds a running process used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def asgi_get(app, path: str) -> bytes:
    """One GET through the ASGI app in this process (no network), like a browser asking for gzip."""
    target, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": target, "raw_path": target.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"bench"), (b"accept-encoding", b"gzip")], "client": ("127.0.0.1", 1),
             "server": ("bench", 80)}
    body, status = [], {}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status["code"] = message["status"]
        else:
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    assert status["code"] == 200, (path, status)
    return b"".join(body)


def uncached_pages(runs: int) -> dict[str, float]:
    from cityindex.web.app import create_app

    app = create_app(cache_ttl=0, warm=False)
    out = {}
    for path in PAGES:
        for _ in range(3):  # first requests load the editions and fill per-edition caches
            asyncio.run(asgi_get(app, path))

        def once(path=path):
            start, cpu = time.perf_counter(), time.process_time()
            asyncio.run(asgi_get(app, path))
            return time.perf_counter() - start, time.process_time() - cpu

        out[path] = median_of(max(runs, 15), once)
    return out


def methodology_loads(runs: int) -> dict[str, float]:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_score import synthetic_methodology

    from cityindex.methodology import dump_methodology, load_methodology
    from cityindex.paths import METHODOLOGY_DIR

    texts = {"163 parameters (synthetic)": dump_methodology(synthetic_methodology(163)),
             "open-2026.yaml (bundled)": (METHODOLOGY_DIR / "open-2026.yaml").read_text(encoding="utf-8")}
    out = {}
    for label, text in texts.items():
        load_methodology(text)

        def once(text=text):
            start, cpu = time.perf_counter(), time.process_time()
            load_methodology(text)
            return time.perf_counter() - start, time.process_time() - cpu

        out[label] = median_of(max(runs, 30), once)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    # Bytecode as a normal machine has it after the first start (even where PYTHONDONTWRITEBYTECODE
    # is set, as on the build machine: compileall writes it regardless).
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src"), quiet=1)
    wall([str(CLI), "city", "Oberhausen"])  # the store and caches exist before timing
    city = median_of(args.runs, lambda: wall([str(CLI), "city", "Oberhausen"]))
    pandas = median_of(args.runs, lambda: wall([sys.executable, "-c", "import pandas"]))
    print("| what | wall (median) | CPU (median) | target |\n|---|---:|---:|---|")
    print(f"| `cityindex city Oberhausen` (new process) | {city[0]:.2f} s | {city[1]:.2f} s | ≤ 0.5 s, ≤ pandas import |")
    print(f"| `python -c 'import pandas'` | {pandas[0]:.2f} s | {pandas[1]:.2f} s | |")
    serve = median_of(min(args.runs, 5), serve_until_answer)
    print(f"| `cityindex serve` until the start page answers | {serve[0]:.2f} s | {serve[1]:.2f} s | ≤ 3 s |")
    for path, (seconds, cpu) in uncached_pages(args.runs).items():
        print(f"| uncached page `{path}` | {seconds * 1000:.1f} ms | {cpu * 1000:.1f} ms | ≤ 10 ms |")
    for label, (seconds, cpu) in methodology_loads(args.runs).items():
        print(f"| load methodology: {label} | {seconds * 1000:.1f} ms | {cpu * 1000:.1f} ms | ≤ 20 ms |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
