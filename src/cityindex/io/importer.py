"""Importing data points into an edition: validate everything first, then write in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from cityindex.io.issues import Report
from cityindex.io.read import read_datapoints
from cityindex.io.validate import FIELDS, cell_text, validate_long
from cityindex.store.datapoints import write_datapoints
from cityindex.store.db import Store
from cityindex.store.editions import check_by, check_mutable, edition_methodology, get_row, lock_edition
from cityindex.store.models import ImportBatch


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that everything is rolled back."""


def import_file(store: Store, path: str | Path, *, edition: str, by: str, reason: str | None = None,
                dry_run: bool = False) -> Report:
    """Import a long CSV or collection workbook into ``edition``.

    Every problem is collected in the returned Report; if there is any error nothing is
    written. ``dry_run`` validates and counts what would change, then rolls back.
    """
    path = Path(path)
    methodology = _mutable_methodology(store, edition, by=by)
    frame, report = read_datapoints(path, methodology=methodology)
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return _write(store, frame, report, edition=edition, by=by, reason=reason, dry_run=dry_run,
                  file_name=path.name, sha256=sha)


def import_frame(store: Store, frame: pd.DataFrame, *, edition: str, by: str, reason: str | None = None,
                 source: str = "data frame", dry_run: bool = False) -> Report:
    """Import long data held in a DataFrame (``city, parameter, value`` + provenance columns).

    The frame goes through the same validation as a file; ``source`` names it in the report.
    """
    methodology = _mutable_methodology(store, edition, by=by)
    report = Report(stats={"file": source})
    raw = frame_to_raw(frame)
    valid = validate_long(raw, file=source, report=report, methodology=methodology, decimal=".")
    return _write(store, valid, report, edition=edition, by=by, reason=reason, dry_run=dry_run,
                  file_name=source, sha256=None)


def frame_to_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed long frame → the raw string frame the validator reads (numbers with a point)."""
    raw = pd.DataFrame(index=range(len(frame)))
    for name in FIELDS:
        if name in frame:
            raw[name] = [cell_text(v) for v in frame[name].tolist()]
    raw["_row"] = range(2, len(frame) + 2)
    return raw


def _mutable_methodology(store: Store, edition: str, *, by: str):
    check_by(by)
    with store.sessions() as session:
        check_mutable(get_row(session, edition))
    return edition_methodology(store, edition)


def _write(store: Store, frame: pd.DataFrame, report: Report, *, edition: str, by: str,
           reason: str | None, dry_run: bool, file_name: str, sha256: str | None) -> Report:
    report.stats.update(edition=edition, dry_run=dry_run, written=False)
    if not report.valid:
        return report
    try:
        with store.transaction() as session:
            row = lock_edition(session, edition)  # concurrent imports of this edition wait here
            batch = ImportBatch(edition_id=row.id, file_name=file_name[:255], file_sha256=sha256,
                                imported_by=by, reason=reason)
            session.add(batch)
            session.flush()
            counts = write_datapoints(session, row, frame, by=by, reason=reason, import_id=batch.id)
            batch.added, batch.changed, batch.unchanged = counts["added"], counts["changed"], counts["unchanged"]
            report.stats.update(counts)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return report
    report.stats["written"] = True
    return report
