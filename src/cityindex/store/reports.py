"""Reports stored with a Result: the statistical audit and the rank uncertainty of a published edition.

``publish_edition(store, key, reports=…)`` writes them in the same transaction that publishes
the edition (cityindex.analysis.reports computes them beforehand); ``load_report`` reads the
report of an edition's latest Result back. Payloads are JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.errors import CityIndexError
from cityindex.store.db import Store
from cityindex.store.editions import get_row
from cityindex.store.models import Edition, ResultReport
from cityindex.store.results import _latest

REPORT_KINDS = ("stats-audit", "uncertainty")


class StaleReports(CityIndexError):
    """The reports were computed from another result than the edition's latest one."""


def add_reports(session: Session, edition: Edition, reports: Mapping[str, dict], *, input_hash: str) -> None:
    """Store reports for the edition's latest Result (computed from inputs with ``input_hash``)."""
    stored = _latest(session, edition)
    if stored.input_hash != input_hash:
        raise StaleReports(f"Edition {edition.key!r} was scored again while its reports were computed; "
                           f"publish it again.")
    unknown = sorted(set(reports) - set(REPORT_KINDS))
    if unknown:
        raise CityIndexError(f"Unknown report kind(s) {', '.join(unknown)}; known: {', '.join(REPORT_KINDS)}.")
    session.add_all([ResultReport(result_id=stored.id, kind=kind, payload=json.dumps(payload, ensure_ascii=False))
                     for kind, payload in reports.items()])


def load_report(store: Store, *, edition: str, kind: str) -> dict | None:
    """The stored report of that kind for the edition's latest Result, or None."""
    with store.sessions() as session:
        stored = _latest(session, get_row(session, edition))
        payload = session.scalar(sa.select(ResultReport.payload)
                                 .where(ResultReport.result_id == stored.id, ResultReport.kind == kind))
    return None if payload is None else json.loads(payload)
