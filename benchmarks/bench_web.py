"""Benchmark the website under load with wrk on loopback, next to Datasette serving the same table.

What it does (bounded: a few 10-second runs, loopback only):

1. starts ``cityindex`` (uvicorn, one worker, page cache on) in a second process on a free port;
2. warms the pages, then runs ``wrk`` against the 2022 ranking page and the Oberhausen city page,
   and against the ranking page with a unique junk query parameter on every request (cache busting);
3. builds a SQLite file with the same 2022 ranking rows, installs Datasette into a throwaway venv
   under /tmp (NOT a project dependency) and runs ``wrk`` against Datasette's HTML table page;
4. prints a Markdown table (requests/s, p50/p99 latency, errors) and writes JSON next to it.

Run: ``.venv/bin/python benchmarks/bench_web.py [--duration 10] [--connections 32]``
Target (issues #5, #11): cached ranking page, gzip-compressed, ≥ 1,000 requests/s with p99 ≤ 50 ms
and 0 errors on 2 cores.
"""

import argparse
import json
import os
import platform
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path("/tmp/cityindex-bench-web")
DATASETTE_VENV = WORK / "datasette-venv"
BUNDLE = "/static/vendor/vega-bundle.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


def warm(url: str, n: int = 20) -> None:
    for _ in range(n):
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()


def steady(base: str) -> None:
    """Wait for the start-up work: the chart bundle, and the rank intervals of every computed
    edition (the server warms them in the background a few seconds after start; asking for each
    computed ranking waits for them), so that wrk measures the steady state."""
    import json

    warm(base + BUNDLE, 1)
    with urllib.request.urlopen(base + "/index.json", timeout=60) as response:
        editions = json.load(response)["data"]["editions"]
    for edition in editions:
        if edition["kind"] == "computed":
            warm(f"{base}/{edition['key']}/ranking", 1)


JUNK_SCRIPT = """
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/2022/ranking?utm_source=junk-" .. n .. "&ref=" .. n * 7919)
end
"""


def wrk(url: str, *, duration: int, connections: int, script: Path | None = None, gzip: bool = False,
        headers: tuple[str, ...] | list[str] = ()) -> dict:
    """Run wrk once (one thread) and parse requests/s, latency percentiles and errors; with
    *gzip* every request sends ``Accept-Encoding: gzip`` (the site then answers compressed);
    *headers* are further request headers (``"Cookie: …"``)."""
    extra = ["-s", str(script)] if script else []
    extra += ["-H", "Accept-Encoding: gzip"] if gzip else []
    for header in headers:
        extra += ["-H", header]
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", *extra, url],
        check=True, capture_output=True, text=True, timeout=duration + 30,
    ).stdout
    found = re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, flags=re.M)
    pct = {p: _ms(v, u) for p, v, u in found}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    requests = re.search(r"(\d+) requests in", out)
    return {
        "url": url, "requests": int(requests.group(1)) if requests else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": pct.get("50"), "p99_ms": pct.get("99"),
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0),
    }


def _ms(value: str, unit: str) -> float:
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def start(cmd: list[str], env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


# cityindex ------------------------------------------------------------------------------------

def bench_cityindex(args) -> list[dict]:
    port = free_port()
    env = {**os.environ, "CITYINDEX_WEB_CACHE_TTL": "300"}
    proc = start([sys.executable, "-m", "uvicorn", "cityindex.web.app:app_from_env", "--factory",
                  "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"], env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/robots.txt")
        steady(base)
        results = []
        for label, path, gzip in (("cityindex ranking page (cached)", "/2022/ranking", False),
                                  ("cityindex ranking page (cached, gzip)", "/2022/ranking", True),
                                  ("cityindex city page (cached, gzip)", "/staedte/oberhausen", True),
                                  ("cityindex ranking JSON (cached, gzip)", "/2022/ranking.json", True)):
            warm(base + path)
            results.append({"label": label, **wrk(base + path, duration=args.duration,
                                                  connections=args.connections, gzip=gzip)})
        script = WORK / "junk.lua"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(JUNK_SCRIPT)
        results.append({"label": "cityindex ranking page (cached), unique junk parameters on every request",
                        **wrk(base + "/", duration=args.duration, connections=args.connections, script=script)})
        results.append({"label": "cityindex ranking page (cache off: render and gzip per request)",
                        **_uncached(args)})
        return results
    finally:
        stop(proc)


def _uncached(args) -> dict:
    port = free_port()
    env = {**os.environ, "CITYINDEX_WEB_CACHE_TTL": "0"}
    proc = start([sys.executable, "-m", "uvicorn", "cityindex.web.app:app_from_env", "--factory",
                  "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"], env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/robots.txt")
        steady(base)
        warm(base + "/2022/ranking", 5)
        return wrk(base + "/2022/ranking", duration=args.duration, connections=args.connections, gzip=True)
    finally:
        stop(proc)


# Datasette ------------------------------------------------------------------------------------

def ranking_db(path: Path) -> None:
    """The same 2022 ranking rows the cityindex page shows, as a SQLite table."""
    from cityindex.editions import ROW_COLUMNS, get_edition

    rows = get_edition("2022").ranking("overall")[ROW_COLUMNS].astype(object).where(lambda f: f.notna(), None)
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("create table ranking (ags text, city text, scope text, rank integer, score real, "
                   "rank_change integer, source text)")
        db.executemany("insert into ranking values (?, ?, ?, ?, ?, ?, ?)", rows.itertuples(index=False))


def datasette_python() -> Path:
    python = DATASETTE_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
    if subprocess.run([str(python), "-c", "import datasette"], capture_output=True).returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "datasette"],
                       check=True, timeout=600)
    return python


def bench_datasette(args) -> list[dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / "sci.db"
    ranking_db(db)
    python = datasette_python()
    out = subprocess.run([str(python), "-m", "datasette", "--version"], capture_output=True, text=True).stdout
    version = "Datasette " + out.strip().rsplit(" ", 1)[-1]
    results = []
    for variant, settings in (("default settings", []), ("suggest_facets off", ["--setting", "suggest_facets", "off"])):
        port = free_port()
        proc = start([str(python), "-m", "datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
                      "--setting", "num_sql_threads", "3", *settings])
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/sci/ranking")
            for label, path in ((f"{version} ({variant}): table page", "/sci/ranking?_sort=rank"),
                                (f"{version} ({variant}): table JSON", "/sci/ranking.json?_sort=rank")):
                warm(base + path)
                results.append({"label": label, **wrk(base + path, duration=args.duration, connections=args.connections)})
        finally:
            stop(proc)
    return results


# Report ---------------------------------------------------------------------------------------

def markdown(results: list[dict]) -> str:
    lines = ["| server / page | requests/s | p50 (ms) | p99 (ms) | errors |", "|---|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['label']} | {r['rps']:,.0f} | {r['p50_ms']} | {r['p99_ms']} | {r['errors']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="open connections (default 32)")
    parser.add_argument("--skip-datasette", action="store_true", help="only benchmark cityindex")
    parser.add_argument("--json", type=Path, default=WORK / "bench_web.json", help="where to write raw figures")
    args = parser.parse_args()

    results = bench_cityindex(args)
    if not args.skip_datasette:
        results += bench_datasette(args)
    print(f"wrk, 1 thread, {args.connections} connections, {args.duration} s per run, loopback; "
          f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(markdown(results))
    ranking = results[1]  # cached ranking page, compressed
    ok = ranking["rps"] >= 1000 and (ranking["p99_ms"] or 1e9) <= 50 and ranking["errors"] == 0
    print(f"target (cached ranking page with gzip ≥ 1,000 req/s, p99 ≤ 50 ms, 0 errors): {'met' if ok else 'NOT met'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
