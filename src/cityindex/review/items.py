"""A city's entries: confirm or correct its data points, submit the review, answer questions.

Optimistic locking: every entry names the item version and the data point revision it saw;
an entry whose item or data point moved on meanwhile is a ``VersionConflict`` and nothing of
the request is written (two reviewers of one city never overwrite each other silently).
An entry equal to the stored one writes nothing and keeps its version.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.review.campaigns import city_ags, load_campaign, log_event, require_open
from cityindex.review.errors import AlreadySubmitted, InvalidEntry, NotDecidable, UnknownItem, VersionConflict
from cityindex.review.models import ReviewCampaign, ReviewCity, ReviewEvent, ReviewItem, ReviewMessage, ReviewUpload
from cityindex.review.texts import problem_text
from cityindex.review.values import ValueProblem, parse_values
from cityindex.store.datapoints import bulk_insert, value_text
from cityindex.store.db import Store
from cityindex.store.editions import check_by, edition_methodology
from cityindex.store.models import DataPoint, utcnow

MAX_TEXT = 2000
MAX_URL = 2000


@dataclass(frozen=True)
class Entry:
    """What a city sends for one parameter: confirm the value, or correct it with evidence."""

    parameter: str
    kind: str  # confirm | correct
    value: str | None = None
    evidence_url: str | None = None
    upload_id: int | None = None
    comment: str | None = None
    version: int = 0  # the item version seen (0: no entry yet)
    base_revision: int = 0  # the data point revision seen (0: no data point)


@dataclass(frozen=True)
class Problem:
    """Why one entry was refused: a code (``review.texts``) and its details."""

    parameter: str
    code: str
    details: dict

    def text(self, lang: str = "en") -> str:
        return problem_text(self.code, self.details, lang)


def _refuse(problems: list[Problem], error=InvalidEntry):
    message = "; ".join(f"{p.parameter}: {p.text('en')}" for p in problems)
    return error(message, problems=problems)


# --- saving entries ------------------------------------------------------------------------

def save_entries(store: Store, *, edition: str, city: str, entries: list[Entry], by: str,
                 lang: str = "de") -> dict[str, tuple[int, int]]:
    """Store a city's entries, all or nothing; returns ``{parameter: (item id, version)}``."""
    check_by(by)
    ags = city_ags(city)
    methodology = edition_methodology(store, edition)
    with store.transaction() as session:
        row, campaign = load_campaign(session, edition)
        require_open(row, campaign)
        _require_not_submitted(session, campaign, ags)
        params = [e.parameter for e in entries]
        twice = sorted({p for p in params if params.count(p) > 1})
        if twice:
            raise _refuse([Problem(p, "duplicate-entry", {}) for p in twice])
        points = _points(session, row.id, ags, params)
        items = _items(session, campaign.id, ags, params)
        _check_versions(entries, points, items)
        uploads = _uploads(session, campaign.id, ags, [e.upload_id for e in entries if e.upload_id])
        parsed = _parse(methodology, ags, entries, lang)
        changes = [_fields(e, p, methodology, points.get(e.parameter), uploads) for e, p in zip(entries, parsed)]
        problems = [c for c in changes if isinstance(c, Problem)]
        if problems:
            raise _refuse(problems)
        _ensure_city(session, campaign, ags)
        events = _write(session, campaign, ags, entries, changes, points, items, by)
        saved = _items(session, campaign.id, ags, params)
        bulk_insert(session, ReviewEvent.__table__, [{**e, "item_id": saved[e["parameter"]].id} for e in events])
        return {p: (i.id, i.version) for p, i in saved.items()}


def _require_not_submitted(session: Session, campaign: ReviewCampaign, ags: str) -> None:
    state = session.get(ReviewCity, (campaign.id, ags))
    if state is not None and state.submitted_at is not None:
        raise AlreadySubmitted()


def _points(session: Session, edition_id: int, ags: str, params: list[str]) -> dict[str, DataPoint]:
    rows = session.scalars(sa.select(DataPoint).where(DataPoint.edition_id == edition_id, DataPoint.city_ags == ags,
                                                      DataPoint.parameter.in_(params)))
    return {p.parameter: p for p in rows}


def _items(session: Session, campaign_id: int, ags: str, params: list[str] | None = None) -> dict[str, ReviewItem]:
    statement = (sa.select(ReviewItem).where(ReviewItem.campaign_id == campaign_id, ReviewItem.city_ags == ags)
                 .execution_options(populate_existing=True))
    if params is not None:
        statement = statement.where(ReviewItem.parameter.in_(params))
    return {i.parameter: i for i in session.scalars(statement)}


def _uploads(session: Session, campaign_id: int, ags: str, ids: list[int]) -> set[int]:
    """The ids among ``ids`` that are this city's uploads in this campaign (others do not exist for it)."""
    if not ids:
        return set()
    return set(session.scalars(sa.select(ReviewUpload.id).where(
        ReviewUpload.id.in_(ids), ReviewUpload.campaign_id == campaign_id, ReviewUpload.city_ags == ags)))


def _check_versions(entries: list[Entry], points: dict, items: dict) -> None:
    """Refuse every entry whose item or data point is not the one the reviewer saw."""
    stale = []
    for e in entries:
        point, item = points.get(e.parameter), items.get(e.parameter)
        revision = point.revision if point is not None else 0
        version = item.version if item is not None else 0
        if e.base_revision != revision or e.version != version:
            stale.append(Problem(e.parameter, "version-conflict", {"version": version, "revision": revision}))
    if stale:
        raise _refuse(stale, VersionConflict)


def _parse(methodology, ags: str, entries: list[Entry], lang: str) -> list:
    """The proposed values of the corrections (one validator run); None for other entries."""
    wanted = [n for n, e in enumerate(entries) if e.kind == "correct" and e.parameter in methodology.parameters]
    found = parse_values(methodology, city=ags, values=[(entries[n].parameter, entries[n].value) for n in wanted],
                         lang=lang)
    parsed = [None] * len(entries)
    for n, value in zip(wanted, found):
        parsed[n] = value
    return parsed


def _fields(e: Entry, parsed, methodology, point: DataPoint | None, uploads: set[int]):
    """The item columns an entry sets (``parsed``: its proposed value, read), or the Problem with it."""
    def problem(code: str, **details) -> Problem:
        return Problem(e.parameter, code, details)

    if e.parameter not in methodology.parameters:
        return problem("unknown-parameter", value=e.parameter)
    base = value_text(point.value_num, point.value_text) if point is not None else None
    comment = _clean(e.comment)
    if comment and len(comment) > MAX_TEXT:
        return problem("text-too-long", limit=MAX_TEXT)
    if e.kind == "confirm":
        if point is None:
            return problem("nothing-to-confirm")
        return {"kind": "confirm", "base_value": base, "proposed_value": None, "proposed_num": None,
                "evidence_url": None, "upload_id": None, "comment": comment}
    if e.kind != "correct":
        return problem("unknown-kind", value=e.kind)
    if isinstance(parsed, ValueProblem):
        return problem(parsed.code, **parsed.details)
    if point is not None and parsed.text == base:
        return problem("same-value")
    url = _clean(e.evidence_url)
    if url and (len(url) > MAX_URL or not url.lower().startswith(("https://", "http://"))):
        return problem("bad-url")
    if e.upload_id is not None and e.upload_id not in uploads:
        return problem("unknown-upload")
    if not url and e.upload_id is None:
        return problem("evidence-missing")
    return {"kind": "correct", "base_value": base, "proposed_value": parsed.text, "proposed_num": parsed.number,
            "evidence_url": url, "upload_id": e.upload_id, "comment": comment}


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _ensure_city(session: Session, campaign: ReviewCampaign, ags: str) -> None:
    """The city's row of the campaign (started now); two first entries at once both succeed."""
    if session.get(ReviewCity, (campaign.id, ags)) is not None:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(ReviewCity).values(campaign_id=campaign.id, city_ags=ags, started_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["campaign_id", "city_ags"]))


def _same(item: ReviewItem, fields: dict) -> bool:
    return all(getattr(item, k) == v for k, v in fields.items() if k != "base_value")


def _write(session, campaign, ags, entries, changes, points, items, by) -> list[dict]:
    """Insert new items, update changed ones; returns their log entries (without item ids yet)."""
    now = utcnow()
    inserts, events = [], []
    for e, fields in zip(entries, changes):
        point, item = points.get(e.parameter), items.get(e.parameter)
        if item is not None and _same(item, fields):
            continue
        values = {**fields, "base_revision": e.base_revision, "updated_at": now, "updated_by": by}
        if item is None:
            inserts.append({"campaign_id": campaign.id, "city_ags": ags, "parameter": e.parameter,
                            "datapoint_id": point.id if point is not None else None, "state": "draft",
                            "version": 1, **values})
        else:
            _update_item(session, item, e.version, values)
        events.append(_event(campaign, by, now, ags, e.parameter, fields))
    if inserts:
        try:
            session.execute(sa.insert(ReviewItem), inserts)
        except sa.exc.IntegrityError:
            raise _refuse([Problem(r["parameter"], "version-conflict", {}) for r in inserts], VersionConflict) from None
    return events


def _update_item(session: Session, item: ReviewItem, version: int, values: dict) -> None:
    """Change an item only if it still has ``version``; otherwise someone else was faster."""
    done = session.execute(sa.update(ReviewItem).where(ReviewItem.id == item.id, ReviewItem.version == version)
                           .values(**values, version=version + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise _refuse([Problem(item.parameter, "version-conflict", {})], VersionConflict)


def _event(campaign, by, now, ags, parameter, fields) -> dict:
    evidence = " ".join(x for x in (fields["evidence_url"], f"upload #{fields['upload_id']}"
                                    if fields["upload_id"] else None) if x)
    detail = " · ".join(x for x in (evidence, fields["comment"]) if x) or None
    return {"campaign_id": campaign.id, "at": now, "actor": by,
            "action": "confirmed" if fields["kind"] == "confirm" else "proposed", "city_ags": ags,
            "parameter": parameter, "item_id": None, "old_value": fields["base_value"],
            "new_value": fields["proposed_value"] if fields["kind"] == "correct" else fields["base_value"],
            "detail": detail}


def confirm_remaining(store: Store, *, edition: str, city: str, by: str) -> int:
    """Confirm every data point of the city that has no entry yet; returns how many."""
    ags = city_ags(city)
    with store.sessions() as session:
        row, campaign = load_campaign(session, edition)
        done = set(_items(session, campaign.id, ags))
        points = session.execute(sa.select(DataPoint.parameter, DataPoint.revision).where(
            DataPoint.edition_id == row.id, DataPoint.city_ags == ags)).all()
    entries = [Entry(p, "confirm", base_revision=r) for p, r in points if p not in done]
    if entries:
        save_entries(store, edition=edition, city=ags, entries=entries, by=by)
    return len(entries)


# --- submitting and answering --------------------------------------------------------------

def submit_review(store: Store, *, edition: str, city: str, by: str) -> int:
    """"Prüfung abschließen": the city's entries go to the team; returns how many were submitted."""
    check_by(by)
    ags = city_ags(city)
    with store.transaction() as session:
        row, campaign = load_campaign(session, edition)
        require_open(row, campaign)
        drafts = session.scalar(sa.select(sa.func.count()).select_from(ReviewItem).where(
            ReviewItem.campaign_id == campaign.id, ReviewItem.city_ags == ags, ReviewItem.state == "draft"))
        _require_not_submitted(session, campaign, ags)
        if not drafts:
            raise InvalidEntry("Confirm or correct at least one value before submitting.",
                               problems=[Problem("", "nothing-submitted", {})])
        now = utcnow()
        done = session.execute(sa.update(ReviewCity).where(
            ReviewCity.campaign_id == campaign.id, ReviewCity.city_ags == ags, ReviewCity.submitted_at.is_(None))
            .values(submitted_at=now, submitted_by=by).execution_options(synchronize_session=False))
        if done.rowcount != 1:
            raise AlreadySubmitted()
        session.execute(sa.update(ReviewItem).where(
            ReviewItem.campaign_id == campaign.id, ReviewItem.city_ags == ags, ReviewItem.state == "draft")
            .values(state="open", version=ReviewItem.version + 1).execution_options(synchronize_session=False))
        log_event(session, campaign, actor=by, action="submitted", city_ags=ags, detail=f"{drafts} entries")
    return drafts


def answer_question(store: Store, *, edition: str, city: str, item_id: int, version: int, body: str, by: str,
                    entry: Entry | None = None, lang: str = "de") -> int:
    """The city answers the team's question on an item (optionally with a new proposal); returns the new version."""
    check_by(by)
    ags = city_ags(city)
    body = _clean(body)
    methodology = edition_methodology(store, edition) if entry is not None else None
    with store.transaction() as session:
        row, campaign = load_campaign(session, edition)
        require_open(row, campaign)
        item = _own_item(session, campaign, ags, item_id)
        if item.state != "asked":
            raise NotDecidable("Only entries the team asked about can be answered.", state=item.state)
        if not body or len(body) > MAX_TEXT:
            raise _refuse([Problem(item.parameter, "answer-missing" if not body else "text-too-long",
                                   {"limit": MAX_TEXT})])
        values = {"state": "open", "updated_at": utcnow(), "updated_by": by}
        if entry is not None:
            point = session.get(DataPoint, item.datapoint_id) if item.datapoint_id else None
            uploads = _uploads(session, campaign.id, ags, [entry.upload_id] if entry.upload_id else [])
            entry = replace(entry, parameter=item.parameter)
            fields = _fields(entry, _parse(methodology, ags, [entry], lang)[0], methodology, point, uploads)
            if isinstance(fields, Problem):
                raise _refuse([fields])
            values.update(fields, base_revision=point.revision if point is not None else 0)
        _update_item(session, item, version, values)
        session.add(ReviewMessage(item_id=item.id, side="city", author=by, body=body, at=utcnow()))
        log_event(session, campaign, actor=by, action="answered", city_ags=ags, parameter=item.parameter,
                  item_id=item.id, new_value=values.get("proposed_value"), detail=body)
    return version + 1


def _own_item(session: Session, campaign: ReviewCampaign, ags: str | None, item_id: int) -> ReviewItem:
    """The item if it belongs to the campaign (and to the city, when one is named); else UnknownItem."""
    item = session.get(ReviewItem, item_id)
    if item is None or item.campaign_id != campaign.id or (ags is not None and item.city_ags != ags):
        raise UnknownItem(f"No review entry #{item_id} here.")
    return item
