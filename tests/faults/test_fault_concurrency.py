"""Eight importer processes at once, into the same and into different editions of a new store.

Afterwards every data point's history is a gap-free chain 1…k whose old values are the previous
new values, the shared edition ends with the values of one complete import (the last of one
serial order), every other edition holds exactly its file, and no process printed a traceback.
"""

from cityindex.store import create_edition
from fault_helpers import (METHODOLOGY, file_values, import_file_name, revisions, serial_order, start_cli,
                           stored_values, synthetic_file)

SHARED, SEPARATE = "shared", ["own-1", "own-2", "own-3", "own-4"]


def test_eight_concurrent_importers_keep_every_history_a_chain(backend, tmp_path):
    for key in (SHARED, *SEPARATE):  # a new store: no city registered yet, every process adds them
        create_edition(backend.store, key, METHODOLOGY)
    jobs = [(SHARED, synthetic_file(tmp_path / f"shared-{i}.csv", 10.0 * (i + 1))) for i in range(4)]
    jobs += [(key, synthetic_file(tmp_path / f"{key}.csv", 50.0 + i)) for i, key in enumerate(SEPARATE)]
    processes = [start_cli("import", str(path), "--edition", key, "--by", path.stem, "--reason", "race",
                           env=backend.env, cwd=tmp_path) for key, path in jobs]
    outputs = [p.communicate(timeout=300) for p in processes]

    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
        assert "Traceback" not in out + err and "Imported" in out
        assert all(line.startswith("Waiting for ") for line in err.splitlines() if line.strip())

    # the shared edition: every chain 1-2-3-4, written by the four imports in one serial order
    order = serial_order(backend.store, SHARED)
    assert len(order) == len(set(order)) == 4
    assert len(revisions(backend.store, SHARED)) == 4 * len(file_values(jobs[0][1]))
    assert stored_values(backend.store, SHARED) == file_values(tmp_path / import_file_name(backend.store, order[-1]))

    # the other editions: exactly their own file, one first revision each
    for key, path in jobs[4:]:
        assert stored_values(backend.store, key) == file_values(path)
        assert len(serial_order(backend.store, key)) == 1
