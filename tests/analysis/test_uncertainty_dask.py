"""The same seed gives the same result locally and on a Dask cluster of two worker processes."""

from __future__ import annotations

import numpy as np
import pytest

from cityindex.analysis.uncertainty import UncertaintyError, run_uncertainty
from uncertainty_cases import rich_edition


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as running:
        yield running


def test_dask_and_local_give_identical_results(cluster) -> None:
    m, data, register = rich_edition(n_cities=20)
    options = {"cities": register, "runs": 2500, "seed": 9}  # three chunks of runs
    local = run_uncertainty(m, data, **options)
    remote = run_uncertainty(m, data, scheduler="dask", address=cluster.scheduler_address, **options)
    assert np.array_equal(local.unit, remote.unit)
    assert np.array_equal(local.output, remote.output, equal_nan=True)
    assert local.summary.equals(remote.summary) and local.groups.equals(remote.groups)
    assert local.pawn.equals(remote.pawn)
    assert len(cluster.scheduler_info["workers"]) == 2


def test_an_unreachable_scheduler_is_one_clear_error() -> None:
    m, data, register = rich_edition(n_cities=8)
    with pytest.raises(UncertaintyError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_uncertainty(m, data, cities=register, runs=10, scheduler="dask", address="tcp://127.0.0.1:9")
