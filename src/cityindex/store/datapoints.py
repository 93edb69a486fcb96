"""Data points in the store: write with append-only revisions, read as long data, history, revise.

Every writer here runs inside ``store.transaction()`` after ``lock_edition``: concurrent imports of
one edition run one after the other, so revision numbers form a gap-free chain per data point
(the database also refuses a duplicate (data point, revision)).
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.floats import number_text
from cityindex.store.db import Store
from cityindex.store.editions import (EditionInfo, add_edition_row, check_by, check_mutable, edition_info, get_row,
                                      lock_edition, new_edition_row)
from cityindex.store.models import City, DataPoint, Edition, Revision, utcnow

PROVENANCE = ("unit", "source_name", "source_url", "retrieved", "collected_by", "note", "licence")
LONG_COLUMNS = ["city", "parameter", "value", "unit", "source_url", "source_name", "retrieved", "note",
                "licence", "collected_by", "review_status", "revision", "updated_at"]


def value_text(number: float | None, text: str | None) -> str | None:
    """One value as text for the history (``12.5``, ``ja``; None = no value), numbers without loss."""
    if number is not None and not (isinstance(number, float) and math.isnan(number)):
        return number_text(number)
    return text


def _blank(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return value


def _fields(row, by: str) -> dict:
    value = row.value
    number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    retrieved = _blank(row.retrieved)
    return {
        "value_num": number, "value_text": None if number is not None else _blank(str(value)),
        "unit": _blank(row.unit), "source_name": _blank(row.source_name), "source_url": _blank(row.source_url),
        "retrieved": dt.date.fromisoformat(retrieved) if isinstance(retrieved, str) else retrieved,
        "collected_by": _blank(row.collected_by) or by, "note": _blank(row.note), "licence": _blank(row.licence),
    }


def ensure_cities(session: Session, ags_codes) -> None:
    """Copy the register's entries for these AGS into the cities table (once).

    ``INSERT … ON CONFLICT DO NOTHING`` in AGS order: two writers adding the same city at once
    (imports into different editions of a new store) both succeed, on SQLite and PostgreSQL.
    """
    from cityindex.cities import load_register

    present = set(session.scalars(sa.select(City.ags)))
    missing = sorted(set(ags_codes) - present)
    if not missing:
        return
    register = load_register()
    insert = _dialect_insert(session)(City).values([_city_row(register.get(ags)) for ags in missing])
    session.execute(insert.on_conflict_do_nothing(index_elements=["ags"]))


def _dialect_insert(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _city_row(city) -> dict:
    population = getattr(city, "population", None)
    return {"ags": city.ags, "name": city.name, "state": getattr(city, "state", None),
            "population": int(population) if population and not pd.isna(population) else None}


def write_datapoints(session: Session, edition: Edition, frame: pd.DataFrame, *, by: str,
                     reason: str | None, import_id: int | None = None) -> dict[str, int]:
    """Insert or change data points; every insert and change appends a revision.

    ``edition`` must come from ``lock_edition`` in the same transaction (the rows read here are
    then the last writer's).
    """
    check_mutable(edition)
    ensure_cities(session, frame["city"].unique())
    existing = {(d.city_ags, d.parameter): d for d in
                session.scalars(sa.select(DataPoint).where(DataPoint.edition_id == edition.id))}
    inserts, updates, revisions = [], [], []
    now = utcnow()
    for row in frame.itertuples(index=False):
        fields = _fields(row, by)
        old = existing.get((row.city, row.parameter))
        if old is not None and _blank(row.collected_by) is None:
            fields["collected_by"] = old.collected_by
        if old is None:
            inserts.append({"edition_id": edition.id, "city_ags": row.city, "parameter": row.parameter,
                            "revision": 1, "updated_at": now, **fields})
        elif any(getattr(old, k) != v for k, v in fields.items()):
            updates.append({"id": old.id, "revision": old.revision + 1, "updated_at": now, **fields})
            revisions.append(_revision(old, fields, edition, by, reason, import_id, now))
    ids = _insert(session, inserts)
    revisions += [_first_revision(i, fields, edition, by, reason, import_id, now) for i, fields in zip(ids, inserts)]
    if updates:
        session.execute(sa.update(DataPoint), updates)
    if revisions:
        bulk_insert(session, Revision.__table__, revisions)
    return {"added": len(inserts), "changed": len(updates),
            "unchanged": len(frame) - len(inserts) - len(updates)}


def bulk_insert(session: Session, table: sa.Table, rows: list[dict]) -> None:
    """Insert many rows in the session's transaction: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(sa.insert(table), rows)
        return
    defaults = {c.name: c.default for c in table.columns
                if c.default is not None and c.name not in rows[0] and c.name != "id"}
    if defaults:
        fill = {name: d.arg if d.is_scalar else d.arg(None) for name, d in defaults.items()}
        rows = [{**fill, **row} for row in rows]
    columns = list(rows[0])
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(
            f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _insert(session: Session, rows: list[dict]) -> list[int]:
    """Insert in one executemany (no RETURNING: it runs row by row); read the new ids back."""
    if not rows:
        return []
    bulk_insert(session, DataPoint.__table__, rows)
    edition_id = rows[0]["edition_id"]
    found = session.execute(sa.select(DataPoint.city_ags, DataPoint.parameter, DataPoint.id)
                            .where(DataPoint.edition_id == edition_id)).all()
    ids = {(city, parameter): id_ for city, parameter, id_ in found}
    return [ids[(row["city_ags"], row["parameter"])] for row in rows]


def _first_revision(datapoint_id, fields, edition, by, reason, import_id, now) -> dict:
    return {"datapoint_id": datapoint_id, "edition_id": edition.id, "city_ags": fields["city_ags"],
            "parameter": fields["parameter"], "revision": 1, "old_value": None,
            "new_value": value_text(fields["value_num"], fields["value_text"]), "old_source": None,
            "new_source": fields["source_url"] or fields["source_name"], "changed_by": by,
            "changed_at": now, "reason": reason, "import_id": import_id, "changes": None}


def _revision(old: DataPoint, fields, edition, by, reason, import_id, now) -> dict:
    return {"datapoint_id": old.id, "edition_id": edition.id, "city_ags": old.city_ags,
            "parameter": old.parameter, "revision": old.revision + 1,
            "old_value": value_text(old.value_num, old.value_text),
            "new_value": value_text(fields["value_num"], fields["value_text"]),
            "old_source": old.source_url or old.source_name,
            "new_source": fields["source_url"] or fields["source_name"], "changed_by": by,
            "changed_at": now, "reason": reason, "import_id": import_id,
            "changes": changes_json({k: (getattr(old, k), v) for k, v in fields.items()
                                     if k not in ("value_num", "value_text")})}


def changes_json(pairs: dict) -> str | None:
    """``{field: (old, new)}`` → JSON of the fields whose value differs (dates as ISO text), or None."""
    changed = {k: [_plain(old), _plain(new)] for k, (old, new) in pairs.items() if old != new}
    return json.dumps(changed, ensure_ascii=False, sort_keys=True) if changed else None


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def copy_rows(session: Session, edition: Edition, rows: list[dict], *, by: str, reason: str) -> None:
    """Copy data point rows (of another edition) into ``edition``, each with a first revision."""
    now = utcnow()
    copies = [{**{k: v for k, v in row.items() if k != "id"}, "edition_id": edition.id, "revision": 1,
               "updated_at": now} for row in rows]
    ids = _insert(session, copies)
    revisions = [_first_revision(i, c, edition, by, reason, None, now) for i, c in zip(ids, copies)]
    if revisions:
        bulk_insert(session, Revision.__table__, revisions)


def get_datapoints(store: Store, *, edition: str) -> pd.DataFrame:
    """The edition's current data points as long data with provenance (value: float or text)."""
    with store.sessions() as session:
        return datapoints_frame(session, get_row(session, edition).id)


def datapoints_frame(session: Session, edition_id: int) -> pd.DataFrame:
    """``get_datapoints`` inside a session (a scorer reads them under the edition's lock)."""
    rows = session.execute(sa.select(*DataPoint.__table__.columns).where(
        DataPoint.edition_id == edition_id).order_by(DataPoint.city_ags, DataPoint.parameter)).all()
    # plain tuples: pandas reads them about three times faster than SQLAlchemy rows
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(DataPoint.__table__.columns.keys()))
    frame["value"] = frame["value_num"].astype(object).where(frame["value_num"].notna(), frame["value_text"])
    frame["retrieved"] = frame["retrieved"].map(lambda d: d.isoformat() if d else None)
    frame = frame.rename(columns={"city_ags": "city"})
    return frame[LONG_COLUMNS].reset_index(drop=True)


def history(store: Store, *, edition: str, city: str, parameter: str | None = None) -> pd.DataFrame:
    """Every revision of a city's data points (optionally one parameter), oldest first.

    ``changes`` holds ``{field: [old, new]}`` for every other field the revision changed (unit,
    note, retrieved, licence, collected_by, review_status, source …); ``{}`` when none.
    ``review_item_id`` names the review entry (a city's proposal or confirmation) whose acceptance
    made the revision; None otherwise.
    """
    from cityindex.cities import load_register

    ags = load_register().get(city).ags
    with store.sessions() as session:
        edition_id = get_row(session, edition).id
        statement = sa.select(Revision.parameter, Revision.revision, Revision.old_value, Revision.new_value,
                              Revision.old_source, Revision.new_source, Revision.changed_by,
                              Revision.changed_at, Revision.reason, Revision.import_id, Revision.changes,
                              Revision.review_item_id).where(
            Revision.edition_id == edition_id, Revision.city_ags == ags)
        if parameter:
            statement = statement.where(Revision.parameter == parameter)
        rows = session.execute(statement.order_by(Revision.parameter, Revision.revision)).all()
    columns = ["parameter", "revision", "old_value", "new_value", "old_source", "new_source", "changed_by",
               "changed_at", "reason", "import_id", "changes", "review_item_id"]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns, dtype=object)
    frame["changes"] = [json.loads(c) if c else {} for c in frame["changes"]]
    frame["revision"] = frame["revision"].astype(int)
    frame["changed_at"] = pd.to_datetime(frame["changed_at"])
    return frame


def set_review_status(store: Store, *, edition: str, city: str, parameter: str, status: str, by: str,
                      reason: str | None = None) -> None:
    """Record the review round's verdict on one data point (collected/checked/confirmed/disputed).

    The change is kept in the history like a value change (same value, reason names the status).
    """
    from cityindex.cities import load_register
    from cityindex.errors import CityIndexError
    from cityindex.store.models import REVIEW_STATUSES

    if status not in REVIEW_STATUSES:
        raise CityIndexError(f"Unknown review status {status!r}; use one of {', '.join(REVIEW_STATUSES)}.")
    check_by(by)
    ags = load_register().get(city).ags
    with store.transaction() as session:
        row = lock_edition(session, edition)
        check_mutable(row)
        point = session.scalars(sa.select(DataPoint).where(DataPoint.edition_id == row.id,
                                DataPoint.city_ags == ags, DataPoint.parameter == parameter)).one_or_none()
        if point is None:
            raise CityIndexError(f"Edition {edition!r} has no data point {parameter!r} for {city}.")
        old_status, value = point.review_status, value_text(point.value_num, point.value_text)
        source = point.source_url or point.source_name
        point.review_status, point.revision, point.updated_at = status, point.revision + 1, utcnow()
        note = f"review status {old_status} → {status}" + (f": {reason}" if reason else "")
        session.add(Revision(datapoint_id=point.id, edition_id=row.id, city_ags=ags, parameter=parameter,
                             revision=point.revision, old_value=value, new_value=value, old_source=source,
                             new_source=source, changed_by=by, reason=note,
                             changes=changes_json({"review_status": (old_status, status)})))


def revise_edition(store: Store, key: str, new_key: str, *, by: str, reason: str) -> EditionInfo:
    """A new draft edition that copies a frozen/published one, for corrections after publication.

    The new edition and its copied data points are written in one transaction: all or nothing.
    """
    with store.sessions() as session:
        source = get_row(session, key)
    edition = new_edition_row(store, new_key, source.methodology_yaml, title=f"{source.title} (revision)",
                              previous=source.previous_key, by=by)
    edition.revision_of = key
    with store.transaction() as session:
        old = lock_edition(session, key)
        add_edition_row(session, edition)
        rows = session.execute(sa.select(*DataPoint.__table__.columns).where(DataPoint.edition_id == old.id)).all()
        copy_rows(session, edition, [row._asdict() for row in rows], by=by,
                  reason=f"copied from edition {key}: {reason}")
    return edition_info(store, new_key)
