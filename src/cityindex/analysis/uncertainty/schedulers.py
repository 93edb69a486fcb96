"""Where the chunks of runs are evaluated: in this process, or on a Dask distributed cluster.

A job is one chunk: either Monte Carlo chunk ``index`` of a seed (its random stream is derived
from the seed and the index only) or an explicit block of the unit sample (Sobol). Jobs are the
same on every scheduler and their tallies are added in job order, so a seed gives the same result
locally and on any cluster. ``address=None`` with ``scheduler="dask"`` starts a LocalCluster of
``workers`` processes for the duration of the call; an address (``tcp://host:8786``) uses a
running scheduler. Interrupting (Ctrl-C) cancels the jobs and returns nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cityindex.analysis.uncertainty.runs import CHUNK, Prepared, Tally, UncertaintyError, chunk_unit, run_chunk

SCHEDULERS = ("local", "dask")
#: glibc settings of the worker processes. Dask's default (MALLOC_TRIM_THRESHOLD_=65536) hands every
#: freed block back to the system, so each of the many medium-sized temporaries of a block of runs
#: costs fresh page faults: four times the CPU time of this process. Keep the heap instead.
WORKER_MALLOC = {"MALLOC_TRIM_THRESHOLD_": str(1 << 30), "MALLOC_MMAP_THRESHOLD_": str(1 << 26)}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    size: int
    seed: int = 0
    index: int = 0
    unit: np.ndarray | None = None  # explicit unit rows (Sobol); else Monte Carlo chunk `index`


def monte_carlo_jobs(runs: int, seed: int) -> list[Job]:
    return [Job(min(CHUNK, runs - start), seed, k) for k, start in enumerate(range(0, runs, CHUNK))]


def unit_jobs(unit: np.ndarray) -> list[Job]:
    return [Job(len(unit[s:s + CHUNK]), unit=unit[s:s + CHUNK]) for s in range(0, len(unit), CHUNK)]


def do_job(prepared: Prepared, job: Job) -> Tally:
    """Evaluate one job (runs on a worker)."""
    unit = chunk_unit(prepared, job.seed, job.index, job.size) if job.unit is None else job.unit
    return run_chunk(prepared, unit)


def run_jobs(prepared: Prepared, jobs: list[Job], *, scheduler: str = "local", address: str | None = None,
             workers: int | None = None, progress: Progress | None = None) -> Tally:
    """Evaluate every job and add up the tallies in job order."""
    if scheduler not in SCHEDULERS:
        raise UncertaintyError(f"unknown scheduler {scheduler!r}; use local or dask")
    if address and scheduler != "dask":
        raise UncertaintyError("--address needs --scheduler dask")
    total = _Total(prepared, jobs)
    if scheduler == "local":
        for k, job in enumerate(jobs):
            total.put(k, do_job(prepared, job), progress)
    else:
        _on_dask(prepared, jobs, total, address=address, workers=workers, progress=progress)
    return total.tally


def _on_dask(prepared: Prepared, jobs: list[Job], total: "_Total", *, address: str | None, workers: int | None,
             progress: Progress | None) -> None:
    from dask.distributed import as_completed

    client, cluster = _client(address, workers)
    futures = []
    try:
        remote = client.scatter(prepared, broadcast=True)
        futures = [client.submit(do_job, remote, job, pure=False) for job in jobs]
        position = {f.key: k for k, f in enumerate(futures)}
        for future in as_completed(futures):
            total.put(position[future.key], future.result(), progress)
    finally:
        if futures:
            client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()


def _client(address: str | None, workers: int | None):
    import dask
    from dask.distributed import Client, LocalCluster

    if address:
        try:
            return Client(address, timeout="5s"), None
        except (OSError, TimeoutError) as exc:
            raise UncertaintyError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with dask.config.set({f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in WORKER_MALLOC.items()}):
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=50)
    return Client(cluster), cluster


class _Total:
    """Tallies added up as they arrive; each job's runs keep their place."""

    def __init__(self, prepared: Prepared, jobs: list[Job]):
        self.offsets = np.concatenate([[0], np.cumsum([j.size for j in jobs])])
        runs = int(self.offsets[-1])
        self.tally = Tally.empty(prepared, np.empty((runs, prepared.space.width)))
        self.done = 0

    def put(self, k: int, part: Tally, progress: Progress | None) -> None:
        t, lo, hi = self.tally, self.offsets[k], self.offsets[k + 1]
        t.counts += part.counts
        t.bands += part.bands
        t.output[lo:hi] = part.output
        t.unit[lo:hi] = part.unit
        self.done += hi - lo
        if progress is not None:
            progress(self.done, len(t.output))
