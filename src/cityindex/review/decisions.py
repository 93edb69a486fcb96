"""The team's decisions: accept, reject or ask back; bulk accept of confirmations.

Accepting writes the data point like an import does — the data point changes and the
append-only history gets a revision — and the revision names the review item
(``revisions.review_item_id``) and the reason. A data point whose revision moved on after the
city looked at it (*changed since review*) cannot be accepted: ask the city back or reject.
Every decision names the item version it saw (optimistic locking).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.review.campaigns import load_campaign, log_event
from cityindex.review.errors import ChangedSinceReview, InvalidEntry, NotDecidable, VersionConflict
from cityindex.review.items import MAX_TEXT, Problem, _own_item
from cityindex.review.models import ReviewCampaign, ReviewEvent, ReviewItem, ReviewMessage
from cityindex.store.datapoints import bulk_insert, changes_json, value_text
from cityindex.store.db import Store
from cityindex.store.editions import check_by, check_mutable, lock_edition
from cityindex.store.models import City, DataPoint, Edition, Revision, utcnow

DECISIONS = ("accept", "reject", "ask")
DECIDABLE = ("open", "asked")
LOGGED = {"accept": "accepted", "reject": "rejected", "ask": "asked"}


def decide(store: Store, *, edition: str, item_id: int, decision: str, version: int, by: str,
           reason: str | None = None) -> int:
    """Accept, reject or ask back on one item; returns the item's new version."""
    check_by(by)
    reason = (reason or "").strip() or None
    if decision not in DECISIONS:
        raise InvalidEntry(f"Unknown decision {decision!r}; use one of {', '.join(DECISIONS)}.")
    if decision in ("reject", "ask") and not reason:
        raise InvalidEntry("Give a reason: the city reads it.", problems=[Problem("", "reason-missing", {})])
    if reason and len(reason) > MAX_TEXT:
        raise InvalidEntry(f"The reason is too long (at most {MAX_TEXT} characters).")
    with store.transaction() as session:
        row, campaign = load_campaign(session, edition)
        row = lock_edition(session, row.key)  # after imports and other writers of the edition's data points
        check_mutable(row)
        item = _own_item(session, campaign, None, item_id)
        _check_decidable(item, decision, version)
        now = utcnow()
        values = {"decided_at": now, "decided_by": by, "decision_reason": reason}
        if decision == "accept":
            revision = _write_point(session, row, item, by=by, reason=reason, now=now)
            values.update(state="accepted", revision_id=revision["id"], base_revision=revision["revision"])
        elif decision == "reject":
            revision = _mark_disputed(session, row, item, by=by, reason=reason, now=now)
            values.update(state="rejected", **({"base_revision": revision["revision"]} if revision else {}))
        else:
            values = {"state": "asked"}
        _set_item(session, item, version, values)
        if reason:
            session.add(ReviewMessage(item_id=item.id, side="team", author=by, body=reason, at=now))
        log_event(session, campaign, actor=by, action=LOGGED[decision], city_ags=item.city_ags,
                  parameter=item.parameter, item_id=item.id, old_value=item.base_value,
                  new_value=item.proposed_value if item.kind == "correct" else item.base_value, detail=reason)
    return version + 1


def _check_decidable(item: ReviewItem, decision: str, version: int) -> None:
    if item.version != version:
        raise VersionConflict(problems=[Problem(item.parameter, "version-conflict", {})])
    if item.state not in DECIDABLE:
        raise NotDecidable(f"Entry #{item.id} is {item.state}; only open entries or entries asked back can be "
                           "decided.", state=item.state)
    if decision == "reject" and item.kind == "confirm":
        raise NotDecidable("A confirmation cannot be rejected; accept it, ask back, or change the value by import.")


def _set_item(session: Session, item: ReviewItem, version: int, values: dict) -> None:
    done = session.execute(sa.update(ReviewItem).where(ReviewItem.id == item.id, ReviewItem.version == version)
                           .values(**values, version=version + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise VersionConflict(problems=[Problem(item.parameter, "version-conflict", {})])


def _current_point(session: Session, edition: Edition, item: ReviewItem) -> DataPoint | None:
    """The item's data point, row-locked until the end of the transaction (PostgreSQL)."""
    return session.scalars(sa.select(DataPoint).where(
        DataPoint.edition_id == edition.id, DataPoint.city_ags == item.city_ags,
        DataPoint.parameter == item.parameter).with_for_update()).one_or_none()


def _require_unchanged(item: ReviewItem, point: DataPoint | None) -> None:
    current = point.revision if point is not None else 0
    if current != item.base_revision:
        raise ChangedSinceReview(f"{item.parameter} of {item.city_ags} changed after the city reviewed it "
                                 f"(revision {item.base_revision} → {current}); ask the city back or reject.")


def _write_point(session, edition, item, *, by, reason, now) -> dict:
    """Accepting: the proposed value (correction) or the status ``confirmed`` (confirmation)."""
    point = _current_point(session, edition, item)
    _require_unchanged(item, point)
    note = f"review #{item.id} ({'correction' if item.kind == 'correct' else 'confirmation'} by {item.updated_by}) " \
           "accepted" + (f": {reason}" if reason else "")
    if item.kind == "confirm":
        return _revise(session, edition, point, {"review_status": "confirmed"}, item=item, by=by, reason=note, now=now)
    fields = _proposal_fields(session, edition, item)
    if point is None:
        return _create(session, edition, item, fields, by=by, reason=note, now=now)
    return _revise(session, edition, point, fields, item=item, by=by, reason=note, now=now)


def _proposal_fields(session: Session, edition: Edition, item: ReviewItem) -> dict:
    """The data point fields of an accepted correction: the city's value, its evidence as source."""
    city = session.get(City, item.city_ags)
    name = city.name if city is not None else item.city_ags
    text = item.proposed_value if item.proposed_num is None else None
    return {"value_num": item.proposed_num, "value_text": text,
            "source_name": f"Angabe der Stadt {name} in der Prüfung der Ausgabe {edition.key}",
            "source_url": item.evidence_url, "retrieved": item.updated_at.date(), "collected_by": item.updated_by,
            "note": item.comment, "licence": None, "review_status": "confirmed"}


def _revise(session, edition, point: DataPoint, fields: dict, *, item, by, reason, now) -> dict:
    """Change the data point if it still has the revision read; append the revision that says so."""
    changed = {k: v for k, v in fields.items() if getattr(point, k) != v}
    revision = point.revision + 1
    done = session.execute(sa.update(DataPoint).where(DataPoint.id == point.id, DataPoint.revision == point.revision)
                           .values(**changed, revision=revision, updated_at=now)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise ChangedSinceReview(f"{item.parameter} of {item.city_ags} changed meanwhile; reload and decide again.")
    old_value = value_text(point.value_num, point.value_text)
    new_value = value_text(fields.get("value_num", point.value_num), fields.get("value_text", point.value_text))
    others = {k: (getattr(point, k), v) for k, v in changed.items() if k not in ("value_num", "value_text")}
    new_source = fields.get("source_url", point.source_url) or fields.get("source_name", point.source_name)
    return _add_revision(session, point.id, edition, item, revision=revision, old_value=old_value,
                         new_value=new_value, old_source=point.source_url or point.source_name,
                         new_source=new_source, by=by, reason=reason, now=now, changes=changes_json(others))


def _create(session, edition, item, fields, *, by, reason, now) -> dict:
    """A value for a parameter that had none: a new data point with its first revision."""
    point = DataPoint(edition_id=edition.id, city_ags=item.city_ags, parameter=item.parameter, revision=1,
                      updated_at=now, **fields)
    session.add(point)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        raise ChangedSinceReview(f"{item.parameter} of {item.city_ags} got a value meanwhile; reload.") from None
    return _add_revision(session, point.id, edition, item, revision=1, old_value=None,
                         new_value=value_text(point.value_num, point.value_text), old_source=None,
                         new_source=point.source_url or point.source_name, by=by, reason=reason, now=now,
                         changes=None)


def _add_revision(session, point_id, edition, item, *, revision, **fields) -> dict:
    row = Revision(datapoint_id=point_id, edition_id=edition.id, city_ags=item.city_ags, parameter=item.parameter,
                   revision=revision, changed_by=fields.pop("by"), changed_at=fields.pop("now"),
                   review_item_id=item.id, **fields)
    session.add(row)
    session.flush()
    return {"id": row.id, "revision": revision}


def _mark_disputed(session, edition, item, *, by, reason, now) -> dict | None:
    """A rejected correction: the value stays, the data point's review status becomes ``disputed``."""
    point = _current_point(session, edition, item)
    if point is None or point.revision != item.base_revision or point.review_status == "disputed":
        return None
    note = f"review #{item.id} (correction by {item.updated_by}) rejected: {reason}"
    return _revise(session, edition, point, {"review_status": "disputed"}, item=item, by=by, reason=note, now=now)


# --- bulk ------------------------------------------------------------------------------------

def accept_confirmations(store: Store, *, edition: str, by: str, city: str | None = None) -> int:
    """Accept every open confirmation (of one city or all) whose data point is unchanged; returns how many.

    Confirmations of changed data points stay open for a look of their own.
    """
    from cityindex.review.campaigns import city_ags

    check_by(by)
    ags = city_ags(city) if city else None
    with store.transaction() as session:
        row, campaign = load_campaign(session, edition)
        row = lock_edition(session, row.key)  # after imports and other writers of the edition's data points
        check_mutable(row)
        pairs = _open_confirmations(session, row, campaign, ags)
        if not pairs:
            return 0
        now = utcnow()
        _bulk_confirm(session, row, pairs, by=by, now=now)
        log = [{"campaign_id": campaign.id, "at": now, "actor": by, "action": "accepted", "city_ags": i.city_ags,
                "parameter": i.parameter, "item_id": i.id, "old_value": i.base_value, "new_value": i.base_value,
                "detail": "bulk accept of confirmations"} for i, _ in pairs]
        bulk_insert(session, ReviewEvent.__table__, log)
    return len(pairs)


def _open_confirmations(session, edition, campaign: ReviewCampaign, ags: str | None) -> list[tuple]:
    """(item, data point) of open, unchanged confirmations, both row-locked (PostgreSQL)."""
    statement = (sa.select(ReviewItem, DataPoint).join(DataPoint, DataPoint.id == ReviewItem.datapoint_id)
                 .where(ReviewItem.campaign_id == campaign.id, ReviewItem.kind == "confirm",
                        ReviewItem.state == "open", DataPoint.revision == ReviewItem.base_revision)
                 .order_by(ReviewItem.id).with_for_update())
    if ags:
        statement = statement.where(ReviewItem.city_ags == ags)
    return [tuple(r) for r in session.execute(statement).all()]


def _bulk_confirm(session: Session, edition: Edition, pairs: list[tuple], *, by: str, now: dt.datetime) -> None:
    """Status ``confirmed`` for each data point (one revision each) and the items accepted, in bulk."""
    points, revisions, items = [], [], []
    for item, point in pairs:
        if point.review_status == "confirmed":
            items.append({"id": item.id, "state": "accepted", "version": item.version + 1, "decided_at": now,
                          "decided_by": by})
            continue
        value, source = value_text(point.value_num, point.value_text), point.source_url or point.source_name
        points.append({"id": point.id, "review_status": "confirmed", "revision": point.revision + 1,
                       "updated_at": now})
        revisions.append({"datapoint_id": point.id, "edition_id": edition.id, "city_ags": point.city_ags,
                          "parameter": point.parameter, "revision": point.revision + 1, "old_value": value,
                          "new_value": value, "old_source": source, "new_source": source, "changed_by": by,
                          "changed_at": now,
                          "reason": f"review #{item.id} (confirmation by {item.updated_by}) accepted",
                          "import_id": None, "review_item_id": item.id,
                          "changes": changes_json({"review_status": (point.review_status, "confirmed")})})
        items.append({"id": item.id, "state": "accepted", "version": item.version + 1, "decided_at": now,
                      "decided_by": by, "base_revision": point.revision + 1})
    if points:
        session.execute(sa.update(DataPoint), points)
        bulk_insert(session, Revision.__table__, revisions)
    _link_revisions(session, items, revisions)
    session.execute(sa.update(ReviewItem), items)


def _link_revisions(session: Session, items: list[dict], revisions: list[dict]) -> None:
    """Each accepted item names the revision written for it."""
    if not revisions:
        return
    ids = dict(session.execute(sa.select(Revision.review_item_id, Revision.id).where(
        Revision.review_item_id.in_([r["review_item_id"] for r in revisions]))).all())
    for item in items:
        if item["id"] in ids:
            item["revision_id"] = ids[item["id"]]
