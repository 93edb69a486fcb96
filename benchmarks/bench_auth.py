"""Benchmark accounts: the cost of one argon2id password hash, and the website with the account layer on.

1. argon2id: median time of one hash (= one sign-in's verification) for the default parameters of
   ``cityindex.settings`` and a few alternatives, so the defaults can be checked against the target
   of 50–250 ms per hash on this machine.
2. The website with ``accounts`` on (uvicorn, one worker, page cache on): ``wrk`` against the cached
   public ranking page (anonymous), and the same page for a signed-in visitor (each request loads
   the session from the store and renders: never cached).

Run: ``.venv/bin/python benchmarks/bench_auth.py [--duration 10] [--connections 32]``
Targets (issue #12): one hash 50–250 ms; cached ranking page ≥ 1,000 requests/s with the account
layer in place.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import free_port, markdown, start, steady, stop, wait_until_up, warm, wrk  # noqa: E402

WORK = Path("/tmp/cityindex-bench-auth")
SECRET = "benchmark-secret-" + "b" * 32


def bench_argon2(repeats: int) -> list[dict]:
    from argon2 import PasswordHasher

    from cityindex.settings import Settings

    defaults = Settings.model_fields
    variants = [("default", defaults["argon2_time_cost"].default, defaults["argon2_memory_kib"].default,
                 defaults["argon2_parallelism"].default),
                ("t=2", 2, 65536, 4), ("t=4", 4, 65536, 4), ("m=128 MiB", 3, 131072, 4), ("p=1", 3, 65536, 1)]
    rows = []
    for label, t, m, p in variants:
        hasher = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)
        hasher.hash("warm up the allocator")
        times = []
        for _ in range(repeats):
            start_at = time.perf_counter()
            hasher.hash("violet tractor sings loudly")
            times.append((time.perf_counter() - start_at) * 1000)
        rows.append({"label": f"argon2id {label} (t={t}, m={m // 1024} MiB, p={p})",
                     "median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
                     "max_ms": round(max(times), 1)})
    return rows


def _session_cookie(env: dict) -> str:
    """A signed-in analyst's session in the benchmark's store (made through the library)."""
    from cityindex.auth.sessions import open_session
    from cityindex.auth.testing import make_user
    from cityindex.settings import get_settings
    from cityindex.store import open_store

    settings = get_settings(data_dir=Path(env["CITYINDEX_DATA_DIR"]), accounts=True, secret_key=SECRET)
    with open_store(settings=settings) as store:
        user = make_user(store, f"bench-{time.time_ns()}@example.org", role="analyst", settings=settings)
        return "cityindex_session=" + open_session(store, user.id, settings=settings)


def bench_web(args) -> list[dict]:
    """The cached ranking page without and with the account layer (same moment, same load), then signed in."""
    WORK.mkdir(parents=True, exist_ok=True)
    data_dir = tempfile.mkdtemp(prefix="data-", dir=WORK)
    env = {**os.environ, "CITYINDEX_WEB_CACHE_TTL": "300", "CITYINDEX_SECRET_KEY": SECRET,
           "CITYINDEX_DATA_DIR": data_dir, "CITYINDEX_OPEN_PILOT": "false"}
    return _run_server(args, {**env, "CITYINDEX_ACCOUNTS": "false"}, signed_in=False) + \
        _run_server(args, {**env, "CITYINDEX_ACCOUNTS": "true"}, signed_in=True)


def _run_server(args, env: dict, *, signed_in: bool) -> list[dict]:
    port = free_port()
    proc = start([sys.executable, "-m", "uvicorn", "cityindex.web.app:app_from_env", "--factory", "--host",
                  "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"], env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/robots.txt")
        steady(base)  # the start-up work (chart bundle, rank intervals) is done before wrk measures
        warm(base + "/2022/ranking")
        layer = "on" if signed_in else "off"
        results = [{"label": f"ranking page, anonymous (cached), accounts {layer}",
                    **wrk(base + "/2022/ranking", duration=args.duration, connections=args.connections)}]
        if signed_in:
            cookie = _session_cookie(env)
            results.append({"label": "ranking page, signed in (session loaded, rendered, never cached; "
                                     "4 connections)",
                            **wrk(base + "/2022/ranking", duration=args.duration, connections=4,
                                  headers=[f"Cookie: {cookie}"])})
        return results
    finally:
        stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="open connections (default 32)")
    parser.add_argument("--repeats", type=int, default=15, help="hashes per argon2 variant (default 15)")
    parser.add_argument("--json", type=Path, default=WORK / "bench_auth.json", help="where to write raw figures")
    args = parser.parse_args()

    load = os.getloadavg()
    hashes = bench_argon2(args.repeats)
    web = bench_web(args)
    print(f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| argon2id parameters | median (ms) | min | max |\n|---|---:|---:|---:|")
    for row in hashes:
        print(f"| {row['label']} | {row['median_ms']} | {row['min_ms']} | {row['max_ms']} |")
    print()
    print(markdown(web))
    default = hashes[0]["median_ms"]
    cached = web[1]
    print(f"target one hash 50–250 ms: {'met' if 50 <= default <= 250 else 'NOT met'} ({default} ms); "
          f"cached ranking with accounts on ≥ 1,000 req/s: "
          f"{'met' if cached['rps'] >= 1000 and cached['errors'] == 0 else 'NOT met'}; "
          f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"argon2": hashes, "web": web}, indent=2))


if __name__ == "__main__":
    main()
