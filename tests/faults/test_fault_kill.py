"""SIGKILL an importer at random moments and inside its write step: the store stays all-or-nothing.

After every kill each data point's history is still one chain written by whole imports in one
order, the values are exactly those of the last import that committed, and an import started
afterwards succeeds (no lock or half-written file is left behind).
"""

import random
import time

from cityindex.store import create_edition
from fault_helpers import (METHODOLOGY, cli, file_values, held, import_file_name, serial_order, start_cli,
                           stored_values, synthetic_file)

SEED = 20261129


def _kill_at_random(backend, path, rng) -> None:
    process = start_cli("import", str(path), "--edition", "e", env=backend.env, cwd=path.parent)
    time.sleep(rng.uniform(0.2, 2.5))  # start-up, reading, validation or writing, whatever it is doing
    process.kill()
    process.wait()


def _kill_while_writing(backend, path, rng) -> None:
    """Hold the edition until the importer waits for it (validation done), then let it write and kill it."""
    with held(backend.store, "e"):
        process = start_cli("import", str(path), "--edition", "e", env=backend.env, cwd=path.parent)
        assert process.stderr.readline().startswith("Waiting for ")
    time.sleep(rng.uniform(0, 0.08))
    process.kill()
    process.wait()


def _assert_all_or_nothing(backend, tmp_path) -> None:
    order = serial_order(backend.store, "e")
    assert stored_values(backend.store, "e") == file_values(tmp_path / import_file_name(backend.store, order[-1]))


def test_sigkill_during_import_leaves_the_store_consistent(backend, tmp_path):
    rng = random.Random(SEED)
    create_edition(backend.store, "e", METHODOLOGY)
    first = synthetic_file(tmp_path / "round-0.csv", 1.0, n_cities=80)
    assert cli("import", str(first), "--edition", "e", env=backend.env, cwd=tmp_path).returncode == 0
    for round_ in range(1, 4):  # write step, random moment, write step
        path = synthetic_file(tmp_path / f"round-{round_}.csv", 10.0 * round_, n_cities=80)
        (_kill_while_writing if round_ % 2 else _kill_at_random)(backend, path, rng)
        _assert_all_or_nothing(backend, tmp_path)
    last = synthetic_file(tmp_path / "after.csv", 75.0, n_cities=80)
    result = cli("import", str(last), "--edition", "e", env=backend.env, cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    _assert_all_or_nothing(backend, tmp_path)
    assert stored_values(backend.store, "e") == file_values(last)
