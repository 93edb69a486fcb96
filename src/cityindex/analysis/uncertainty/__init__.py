"""Rank uncertainty: how far each rank moves when the methodology's uncertain choices vary.

    from cityindex.analysis.uncertainty import run_uncertainty
    result = run_uncertainty(methodology, data)            # 10,000 runs, seed 0 by default
    result.interval("05119000")  # {'rank': 52, 'median': 52, 'low': 45, 'high': 58, ...}
    result.variant(17)           # run 17's Methodology: score() reproduces it exactly

Only the methodology varies (the ``uncertainty:`` section, or its defaults), never the data.
Runs are evaluated in chunks through ``cityindex.engine.batch`` (the engine's plan, stages and
kernels on stacked arrays), in this process or on Dask. Reference: docs/uncertainty.md.
"""

from __future__ import annotations

import pandas as pd

from cityindex.analysis.uncertainty.result import UncertaintyResult, summarise
from cityindex.analysis.uncertainty.runs import UncertaintyError, prepare
from cityindex.analysis.uncertainty.schedulers import Progress, monte_carlo_jobs, run_jobs, unit_jobs
from cityindex.analysis.uncertainty.sensitivity import pawn_indices, sobol_of
from cityindex.methodology import Methodology
from cityindex.methodology.uncertainty import assumptions_of, section_of

MAX_RUNS = 100_000  # more runs (Monte Carlo plus Sobol) need force=True (--force)


class TooManyRuns(UncertaintyError):
    """That many runs take long and much memory; confirm with --force."""


def run_uncertainty(
    methodology: Methodology,
    data: pd.DataFrame,
    *,
    cities: pd.DataFrame | None = None,
    runs: int | None = None,
    seed: int | None = None,
    sobol: int = 0,
    scheduler: str = "local",
    address: str | None = None,
    workers: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> UncertaintyResult:
    """Monte Carlo rank intervals of every city and scope, and the sensitivity of the ranks.

    ``data`` and ``cities`` as for ``score()``. ``runs`` and ``seed`` default to the
    methodology's ``uncertainty`` section (10,000 and 0). ``sobol``: base sample N (a power of
    two) for Sobol indices, 0 = only the cheap PAWN estimate. ``scheduler``: ``local`` or
    ``dask`` (``address`` of a running scheduler, else a LocalCluster of ``workers`` processes).
    ``progress(done, total)`` is called after each chunk of runs.
    """
    section = section_of(methodology)
    runs = section.runs if runs is None else runs
    seed = section.seed if seed is None else seed
    _check_counts(runs, seed, sobol, force, len(assumptions_of(methodology)))
    assumptions = assumptions_of(methodology)
    prepared, nominal = prepare(methodology, data, assumptions, cities=cities)
    options = {"scheduler": scheduler, "address": address, "workers": workers}
    tally = run_jobs(prepared, monte_carlo_jobs(runs, seed), progress=progress, **options)
    labels = list(prepared.space.labels)
    sobol_table = None
    if sobol:
        sobol_table = sobol_of(labels, lambda unit: run_jobs(prepared, unit_jobs(unit), **options).output,
                               sobol, seed=seed)
    summary, groups = summarise(prepared, tally)
    return UncertaintyResult(
        methodology=methodology, input_hash=nominal.input_hash, runs=runs, seed=seed, assumptions=assumptions,
        space=prepared.space, unit=tally.unit, output=tally.output, summary=summary, groups=groups,
        pawn=pawn_indices(labels, prepared.space.slices, tally.unit, tally.output, seed=seed), sobol=sobol_table,
        bin_width=prepared.bin_width,
    )


def _check_counts(runs: int, seed: int, sobol: int, force: bool, groups: int) -> None:
    if runs < 1:
        raise UncertaintyError(f"runs must be at least 1, not {runs} (--runs)")
    if seed < 0:
        raise UncertaintyError(f"seed must be 0 or more, not {seed} (--seed)")
    if sobol < 0 or (sobol and (sobol < 2 or sobol & (sobol - 1))):
        raise UncertaintyError(f"the Sobol base sample must be a power of two such as 1024, not {sobol} (--sobol)")
    total = runs + sobol * (groups + 2)
    if total > MAX_RUNS and not force:
        raise TooManyRuns(f"{total:,} runs are more than {MAX_RUNS:,}: they take long and need much memory; "
                          "confirm with --force (force=True)")


__all__ = ["MAX_RUNS", "TooManyRuns", "UncertaintyError", "UncertaintyResult", "run_uncertainty"]
