"""Cache busting: 10,000 requests with unique junk parameters against a real server process.

``wrk`` (C, 8 connections, runs of 3 s until 10,000 are answered) sends them, every 50th with a
60 kB query string (the attack that once grew the server from 372 MB to 1,022 MB); then 60
one-off pages are asked for through a *known* parameter, more than the cache's 40 pages. Stated bound (also in docs/operations.md): the server's
resident memory grows by less than its cache budget (``web_cache_max_mb``, 8 MB here) plus 40 MB,
and the pages visitors keep asking for stay cached.
"""

import re
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from fault_helpers import cli_env

CACHE_MB, SLACK_MB, JUNK = 8, 40, 10_000
POPULAR = ["/2022/ranking", "/staedte/oberhausen"]
WRK_SCRIPT = """
local n, threads = 0, {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) run, answers, hits, ok = args[1], 0, 0, 0 end
request = function()
  n = n + 1
  local size = (n % 50 == 0) and 60000 or 16
  return wrk.format("GET", "/2022/ranking?utm_" .. run .. "_" .. n .. "=" .. string.rep("x", size))
end
response = function(status, headers, body)
  answers = answers + 1
  if status == 200 then ok = ok + 1 end
  if headers["x-cache"] == "hit" then hits = hits + 1 end
end
done = function(summary, latency, requests)
  for _, t in ipairs(threads) do
    io.write(string.format("answers=%d ok=%d hits=%d\\n", t:get("answers"), t:get("ok"), t:get("hits")))
  end
end
"""


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _start(tmp_path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = cli_env(CITYINDEX_WEB_CACHE_MAX_MB=str(CACHE_MB), CITYINDEX_WEB_CACHE_MAX_ENTRIES="40",
                  CITYINDEX_WEB_CACHE_TTL="600")
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "cityindex.web.app:app_from_env", "--factory",
                               "--port", str(port), "--log-level", "warning"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/robots.txt", timeout=5)
            return server, base
        except httpx.TransportError:
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.2)


def _steady(client: httpx.Client) -> None:
    """Wait for the server's start-up work (the chart bundle a few seconds after start, the rank
    intervals of every computed edition): memory grown by it is not the junk's doing."""
    assert client.get("/static/vendor/vega-bundle.js").status_code == 200
    for edition in client.get("/index.json").json()["data"]["editions"]:
        if edition["kind"] == "computed":
            assert client.get(f"/{edition['key']}/ranking").status_code == 200


def _junk(base: str, tmp_path) -> Counter:
    """wrk runs of 3 s (each with its own junk names) until at least JUNK requests were answered."""
    script, totals = tmp_path / "junk.lua", Counter()
    script.write_text(WRK_SCRIPT)
    for run in range(1, 100):
        out = subprocess.run(["wrk", "-t1", "-c8", "-d3s", "-s", str(script), base + "/", "--", str(run)],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        totals.update({k: int(v) for k, v in re.findall(r"(answers|ok|hits)=(\d+)", out)})
        if totals["answers"] >= JUNK:
            break
    return totals


def test_junk_parameters_keep_memory_bounded_and_real_pages_cached(tmp_path):
    server, base = _start(tmp_path)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(3):
                for url in POPULAR:
                    assert client.get(url).status_code == 200
            _steady(client)
            before = _rss_mb(server.pid)
            counts = _junk(base, tmp_path)
            assert counts["answers"] >= JUNK and counts["ok"] == counts["answers"]
            assert counts["hits"] >= counts["answers"] - 1  # junk names never reach the key: one cached page
            for i in range(60):  # one-off pages through a known parameter: more than the cache holds
                assert client.get(f"/2022/ranking.json?sort=junk-{i}").status_code == 200
            after = _rss_mb(server.pid)
            assert after - before < CACHE_MB + SLACK_MB, (before, after)
            for url in POPULAR:
                assert client.get(url).headers["x-cache"] == "hit"
    finally:
        server.terminate()
        server.wait(timeout=20)
