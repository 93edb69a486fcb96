"""Benchmark: the review round at full size — 82 cities × 165 parameters = 13,530 data points.

Everything here is SYNTHETIC: the fictional 165-parameter methodology and random values of
bench_import_export.py; no real city reported these numbers or proposals. Steps:

* **city submission** — one city's whole review stored: 165 entries (150 confirmations and 15
  corrections with an evidence link) saved in one request, then submitted;
* **team queue** — with one open correction for *each* of the 13,530 data points, the team's
  queue (first page of 100, the total count and the filters) is read, and the inbox page is
  rendered as HTML through the whole app for a signed-in analyst.

Run:

    .venv/bin/python benchmarks/bench_review.py [--repeat 7] [--postgres URL]

Prints medians in milliseconds for SQLite and, with a PostgreSQL URL (or
CITYINDEX_TEST_POSTGRES_URL), PostgreSQL, and the machine load (``uptime``). docs/review.md
quotes the figures. Targets: submission ≤ 300 ms, queue page ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import_export import N_CITIES, fictional_methodology_cached, synthetic_csv  # noqa: E402

from cityindex.io.importer import import_file  # noqa: E402
from cityindex.review import Entry, open_campaign, queue, save_entries, submit_review  # noqa: E402
from cityindex.store import create_edition, get_datapoints  # noqa: E402
from cityindex.store.testing import fresh_store  # noqa: E402

TEAM = "bench@index.example"


def _edition(store, key: str, data: Path) -> list[str]:
    create_edition(store, key, fictional_methodology_cached())
    assert import_file(store, data, edition=key, by="benchmark").valid
    open_campaign(store, edition=key, deadline=dt.date.today() + dt.timedelta(days=30), by=TEAM)
    return sorted(get_datapoints(store, edition=key)["city"].unique())


def _entries(store, key: str, ags: str, corrections: int) -> list[Entry]:
    """Confirm every data point of the city; correct the first ``corrections`` numeric ones."""
    points = get_datapoints(store, edition=key)
    points = points[points["city"] == ags]
    methodology = fictional_methodology_cached()
    entries, corrected = [], 0
    for row in points.itertuples(index=False):
        numeric = methodology.parameters[row.parameter].kind == "numeric"
        if corrected < corrections and numeric:
            value = f"{(float(row.value) + 1) % 100:.3f}".replace(".", ",")
            entries.append(Entry(row.parameter, "correct", value=value, evidence_url=f"https://example.org/{ags}",
                                 comment="synthetic benchmark correction", base_revision=int(row.revision)))
            corrected += 1
        else:
            entries.append(Entry(row.parameter, "confirm", base_revision=int(row.revision)))
    return entries


def bench_submission(store, data: Path, repeat: int) -> float:
    cities = _edition(store, "submit", data)
    times = []
    for ags in cities[:repeat]:
        entries = _entries(store, "submit", ags, corrections=15)
        started = time.perf_counter()
        save_entries(store, edition="submit", city=ags, entries=entries, by=f"r@{ags}.example")
        submit_review(store, edition="submit", city=ags, by=f"r@{ags}.example")
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def bench_queue(store, data: Path, repeat: int) -> float:
    """One correction per data point (every parameter proposed as a new value) for every city."""
    cities = _edition(store, "queue", data)
    methodology = fictional_methodology_cached()
    points = get_datapoints(store, edition="queue")
    for ags in cities:
        rows = points[points["city"] == ags]
        entries = [Entry(r.parameter, "correct", value=_other(methodology.parameters[r.parameter], r.value),
                         evidence_url="https://example.org/evidence", base_revision=int(r.revision))
                   for r in rows.itertuples(index=False)]
        save_entries(store, edition="queue", city=ags, entries=entries, by=f"r@{ags}.example")
        submit_review(store, edition="queue", city=ags, by=f"r@{ags}.example")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = queue(store, edition="queue", state="open")
        times.append(time.perf_counter() - started)
    assert found["total"] == len(points) and len(found["items"]) == 100
    return statistics.median(times) * 1000, _page_ms(store, repeat)


def _page_ms(store, repeat: int) -> float:
    """The inbox page as the signed-in analyst gets it (HTML, whole app in process)."""
    from fastapi.testclient import TestClient

    from cityindex.auth.testing import account_settings, make_user, sign_in
    from cityindex.web.app import create_app

    make_user(store, TEAM, role="analyst")
    app = create_app(cache_ttl=0, warm=False, settings=account_settings(), store=store)
    with TestClient(app) as client:
        sign_in(client, TEAM)
        client.get("/team/pruefung/queue/eingang?stand=open")  # templates and methodology loaded once
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get("/team/pruefung/queue/eingang?stand=open")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200 and response.text.count('class="queue-item"') == 100
    return statistics.median(times) * 1000


def _other(parameter, value) -> str:
    """A valid value different from the current one (the proposal)."""
    if parameter.kind == "binary":
        return "nein" if float(value) == 1.0 else "ja"
    if parameter.kind == "points":
        return "voll" if value != "voll" else "keine"
    return f"{(float(value) + 1) % 100:.3f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", default=os.environ.get("CITYINDEX_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.csv"
        rows = synthetic_csv(fictional_methodology_cached(), data)
        print(f"{rows} synthetic data points of {N_CITIES} cities; medians of {args.repeat} runs (ms)")
        backends = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
        results = {}
        for name, url in backends:
            with fresh_store(url) as store:
                results[name] = {"city submission (165 entries)": bench_submission(store, data, args.repeat)}
            with fresh_store(url) as store:
                query, page = bench_queue(store, data, args.repeat)
                results[name]["team queue query (13,530 open proposals, page of 100)"] = query
                results[name]["team inbox page rendered (HTML, signed in)"] = page
        steps = list(next(iter(results.values())))
        print("| step | " + " | ".join(results) + " |")
        print("|---|" + "---|" * len(results))
        for step in steps:
            print(f"| {step} | " + " | ".join(f"{results[b][step]:.0f}" for b in results) + " |")
        print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
