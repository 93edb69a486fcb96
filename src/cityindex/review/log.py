"""The review log and the entries as tables, and their export as CSV or XLSX.

``review_log``: every action of the round in order (opened, invited, confirmed, proposed,
uploaded, submitted, accepted, rejected, asked, answered, reminded, closed, freeze-forced).
``review_entries``: every entry of every city as it stands. Text cells that a spreadsheet would
run as formulas are neutralised as in the open-data export.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cityindex.errors import CityIndexError
from cityindex.io.export import neutralise_frame
from cityindex.io.output import writing
from cityindex.review.campaigns import load_campaign
from cityindex.review.models import ReviewEvent, ReviewItem, ReviewUpload
from cityindex.store.db import Store
from cityindex.store.models import City

FORMATS = ("csv", "xlsx")
LOG_COLUMNS = ["at", "city", "city_name", "parameter", "action", "actor", "old_value", "new_value", "detail",
               "item_id"]
ENTRY_COLUMNS = ["item_id", "city", "city_name", "parameter", "kind", "state", "old_value", "proposed_value",
                 "evidence_url", "upload_file", "upload_sha256", "comment", "updated_at", "updated_by",
                 "decided_at", "decided_by", "decision_reason", "revision_id"]


def _names(session) -> dict[str, str]:
    return dict(session.execute(sa.select(City.ags, City.name)).all())


def review_log(store: Store, *, edition: str) -> pd.DataFrame:
    """Every action of the edition's review round, oldest first."""
    with store.sessions() as session:
        _, campaign = load_campaign(session, edition)
        rows = session.scalars(sa.select(ReviewEvent).where(ReviewEvent.campaign_id == campaign.id)
                               .order_by(ReviewEvent.at, ReviewEvent.id)).all()
        names = _names(session)
    frame = pd.DataFrame([(e.at.isoformat(timespec="seconds"), e.city_ags, names.get(e.city_ags), e.parameter,
                           e.action, e.actor, e.old_value, e.new_value, e.detail, e.item_id) for e in rows],
                         columns=LOG_COLUMNS, dtype=object)
    return frame


def review_entries(store: Store, *, edition: str) -> pd.DataFrame:
    """Every entry of the round as it stands, by city and parameter."""
    with store.sessions() as session:
        _, campaign = load_campaign(session, edition)
        rows = session.execute(sa.select(ReviewItem, ReviewUpload).outerjoin(
            ReviewUpload, ReviewUpload.id == ReviewItem.upload_id).where(ReviewItem.campaign_id == campaign.id)
            .order_by(ReviewItem.city_ags, ReviewItem.parameter)).all()
        names = _names(session)
    stamp = lambda t: t.isoformat(timespec="seconds") if t else None  # noqa: E731
    return pd.DataFrame([(i.id, i.city_ags, names.get(i.city_ags), i.parameter, i.kind, i.state, i.base_value,
                          i.proposed_value, i.evidence_url, u.file_name if u else None, u.sha256 if u else None,
                          i.comment, stamp(i.updated_at), i.updated_by, stamp(i.decided_at), i.decided_by,
                          i.decision_reason, i.revision_id) for i, u in rows], columns=ENTRY_COLUMNS, dtype=object)


def export_review(store: Store, *, edition: str, format: str, out: str | Path) -> list[Path]:
    """Write the log and the entries into directory ``out`` (two CSV files or one workbook)."""
    if format not in FORMATS:
        raise CityIndexError(f"Unknown format {format!r}; use one of {', '.join(FORMATS)}.")
    tables = {"log": review_log(store, edition=edition), "entries": review_entries(store, edition=edition)}
    tables = {name: neutralise_frame(table) for name, table in tables.items()}
    out = Path(out)
    prefix = f"cityindex-{edition}-review"
    with writing(out, expected="a directory (created if missing)"):
        out.mkdir(parents=True, exist_ok=True)
        if format == "xlsx":
            from cityindex.io.xlsx import write_xlsx

            return [write_xlsx(tables, out / f"{prefix}.xlsx")]
        paths = []
        for name, table in tables.items():
            path = out / f"{prefix}-{name}.csv"
            table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            paths.append(path)
        return paths
