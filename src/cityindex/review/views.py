"""What the pages and the CLI show: a city's sheet, the team's queue, the status board.

Plain dicts and lists (JSON-ready), built by a few grouped queries; no page has its own SQL.
An item is *changed since review* when its data point's revision is no longer the one the
city saw (``base_revision``): the value changed by another way than the review itself.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.report.values import unit_text
from cityindex.review.campaigns import city_ags, edition_cities, load_campaign
from cityindex.review.models import ReviewCity, ReviewItem, ReviewMessage, ReviewUpload
from cityindex.review.texts import SCORING, label
from cityindex.store.db import Store
from cityindex.store.editions import edition_methodology
from cityindex.store.models import City, DataPoint

CITY_STATES = ("not_started", "in_progress", "submitted", "decided")
PENDING = ("open", "asked")
PAGE = 100


# --- values for people ----------------------------------------------------------------------

def display_value(text: str | None, kind: str | None, lang: str = "de") -> str | None:
    """A stored value text as a reader sees it: ``ja``/``nein`` for binary, decimal comma in German."""
    if text is None:
        return None
    if kind == "binary" and text in ("1", "0"):
        return label("yes" if text == "1" else "no", lang)
    if kind == "numeric" and lang == "de":
        return text.replace(".", ",")
    return text


def scoring_text(parameter, indicator, area, lang: str = "de") -> str:
    """What a parameter scores, in one sentence from the methodology (``texts.SCORING``)."""
    de = lang != "en"
    where = (indicator.name_de if de else indicator.name_en) if indicator else (area.name_de if de else area.name_en)
    kind = "context" if parameter.context_only else "bonus" if indicator is None else parameter.kind
    answers = ", ".join(f"{a} = {_num(p, lang)}" for a, p in (parameter.answers or {}).items())
    better = label("higher" if parameter.higher_better else "lower", lang)
    return SCORING["de" if de else "en"][kind].format(where=where, points=_num(parameter.points, lang),
                                                      answers=answers, better=better)


def _num(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "de" else text


# --- shared queries ------------------------------------------------------------------------

def _changed(point_revision: int | None, base_revision: int) -> bool:
    return (point_revision or 0) != base_revision


def _messages(session: Session, item_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    if not item_ids:
        return found
    rows = session.execute(sa.select(ReviewMessage).where(ReviewMessage.item_id.in_(item_ids))
                           .order_by(ReviewMessage.at, ReviewMessage.id)).scalars()
    for m in rows:
        found[m.item_id].append({"side": m.side, "author": m.author, "body": m.body,
                                 "at": m.at.isoformat(timespec="seconds")})
    return found


def _uploads(session: Session, ids: list[int]) -> dict[int, dict]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    rows = session.execute(sa.select(ReviewUpload).where(ReviewUpload.id.in_(ids))).scalars()
    return {u.id: {"id": u.id, "file_name": u.file_name, "media_type": u.media_type, "size": u.size,
                   "sha256": u.sha256} for u in rows}


def _item_dict(item: ReviewItem, point_revision: int | None, kind: str | None, lang: str,
               uploads: dict, messages: dict) -> dict:
    changed = _changed(point_revision, item.base_revision)
    return {
        "id": item.id, "city": item.city_ags, "parameter": item.parameter, "kind": item.kind, "state": item.state,
        "state_label": label("state_changed" if changed else f"state_{item.state}", lang), "changed": changed,
        "version": item.version, "base_revision": item.base_revision,
        "old_value": item.base_value, "old_display": display_value(item.base_value, kind, lang),
        "proposed_value": item.proposed_value, "proposed_display": display_value(item.proposed_value, kind, lang),
        "evidence_url": item.evidence_url, "upload": uploads.get(item.upload_id), "comment": item.comment,
        "updated_at": item.updated_at.isoformat(timespec="seconds"), "updated_by": item.updated_by,
        "decided_at": item.decided_at.isoformat(timespec="seconds") if item.decided_at else None,
        "decided_by": item.decided_by, "decision_reason": item.decision_reason, "revision_id": item.revision_id,
        "messages": messages.get(item.id, []),
    }


# --- the city's sheet ----------------------------------------------------------------------

def city_sheet(store: Store, *, edition: str, city: str, lang: str = "de") -> dict:
    """Everything the city's review page shows, grouped area → indicator → parameter."""
    ags = city_ags(city)
    methodology = edition_methodology(store, edition)  # before the session: one connection at a time
    with store.sessions() as session:
        row, campaign = load_campaign(session, edition)
        points = {p.parameter: p for p in session.scalars(sa.select(DataPoint).where(
            DataPoint.edition_id == row.id, DataPoint.city_ags == ags))}
        items = {i.parameter: i for i in session.scalars(sa.select(ReviewItem).where(
            ReviewItem.campaign_id == campaign.id, ReviewItem.city_ags == ags))}
        state = session.get(ReviewCity, (campaign.id, ags))
        uploads = _uploads(session, [i.upload_id for i in items.values()])
        messages = _messages(session, [i.id for i in items.values()])
        name = session.scalar(sa.select(City.name).where(City.ags == ags)) or ags
    areas = _grouped(methodology, points, items, uploads, messages, lang)
    counts = _counts(items.values(), points)
    return {"edition": row.key, "edition_title": row.title, "edition_status": row.status, "city": ags,
            "city_name": name, "deadline": campaign.deadline.isoformat(), "campaign_state": campaign.state,
            "submitted_at": state.submitted_at.isoformat(timespec="seconds") if state and state.submitted_at else None,
            "submitted_by": state.submitted_by if state else None,
            "editable": campaign.state == "open" and row.status == "review" and not (state and state.submitted_at),
            "counts": counts, "areas": areas}


def _grouped(methodology, points, items, uploads, messages, lang: str) -> list[dict]:
    areas: dict[str, dict] = {}
    de = lang != "en"
    for area, indicator, parameter in methodology.parameter_places():
        a = areas.setdefault(area.code, {"code": area.code, "name": area.name_de if de else area.name_en,
                                         "indicators": {}})
        key = indicator.code if indicator else f"{area.code}__bonus"
        i = a["indicators"].setdefault(key, {
            "code": key, "name": (indicator.name_de if de else indicator.name_en) if indicator
            else ("Bonus" if de else "Bonus"),
            "description": indicator.description.get(lang) if indicator else "", "parameters": []})
        i["parameters"].append(_parameter_row(parameter, indicator, area, points.get(parameter.code),
                                              items.get(parameter.code), uploads, messages, lang))
    return [{**a, "indicators": list(a["indicators"].values())} for a in areas.values()]


def _parameter_row(parameter, indicator, area, point, item, uploads, messages, lang) -> dict:
    from cityindex.store.datapoints import value_text

    value = value_text(point.value_num, point.value_text) if point is not None else None
    return {
        "code": parameter.code, "name": parameter.name_de if lang != "en" else parameter.name_en,
        "definition": parameter.description.get(lang), "kind": parameter.kind,
        "unit": unit_text(parameter.unit, lang) or None,
        "answers": list(parameter.answers or {}) if parameter.kind == "points" else None,
        "scores": scoring_text(parameter, indicator, area, lang),
        "value": value, "display": display_value(value, parameter.kind, lang),
        "source_name": point.source_name if point is not None else None,
        "source_url": point.source_url if point is not None else None,
        "retrieved": point.retrieved.isoformat() if point is not None and point.retrieved else None,
        "revision": point.revision if point is not None else 0,
        "item": _item_dict(item, point.revision if point is not None else None, parameter.kind, lang, uploads,
                           messages) if item is not None else None,
    }


def _counts(items, points) -> dict:
    """Entries of a city; ``accepted``, ``rejected`` and ``pending`` count corrections."""
    items = list(items)
    corrections = [i for i in items if i.kind == "correct"]
    return {"datapoints": len(points), "reviewed": len(items),
            "confirmed": len(items) - len(corrections), "corrected": len(corrections),
            "accepted": sum(i.state == "accepted" for i in corrections),
            "rejected": sum(i.state == "rejected" for i in corrections),
            "pending": sum(i.state in PENDING for i in corrections),
            "asked": sum(i.state == "asked" for i in items),
            "drafts": sum(i.state == "draft" for i in items)}


# --- the team's queue ----------------------------------------------------------------------

def queue(store: Store, *, edition: str, city: str | None = None, area: str | None = None,
          state: str | None = None, kind: str | None = "correct", page: int = 1, lang: str = "de") -> dict:
    """Submitted entries for the team, filtered by city, area, state and kind; ``PAGE`` per page.

    ``state`` is an item state or ``changed`` (changed since review); entries still in draft are
    the city's own and never listed.
    """
    methodology = edition_methodology(store, edition)
    with store.sessions() as session:
        row, campaign = load_campaign(session, edition)
        statement = _queue_statement(row, campaign, methodology, city=city, area=area, state=state, kind=kind)
        total = session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
        page = max(1, min(page, max(1, -(-total // PAGE))))
        rows = session.execute(statement.order_by(ReviewItem.city_ags, ReviewItem.parameter)
                               .offset((page - 1) * PAGE).limit(PAGE)).all()
        items = [r[0] for r in rows]
        uploads = _uploads(session, [i.upload_id for i in items])
        messages = _messages(session, [i.id for i in items])
        names = dict(session.execute(sa.select(City.ags, City.name)).all())
    entries = [_queue_row(item, revision, methodology, names, uploads, messages, lang) for item, revision in rows]
    return {"edition": row.key, "total": total, "page": page, "pages": max(1, -(-total // PAGE)),
            "filters": {"city": city, "area": area, "state": state, "kind": kind}, "items": entries}


def _queue_statement(edition, campaign, methodology, *, city, area, state, kind):
    revision = sa.func.coalesce(DataPoint.revision, 0)
    statement = (sa.select(ReviewItem, DataPoint.revision)
                 .outerjoin(DataPoint, sa.and_(DataPoint.edition_id == edition.id,
                                               DataPoint.city_ags == ReviewItem.city_ags,
                                               DataPoint.parameter == ReviewItem.parameter))
                 .where(ReviewItem.campaign_id == campaign.id, ReviewItem.state != "draft"))
    if city:
        statement = statement.where(ReviewItem.city_ags == city_ags(city))
    if area:
        codes = [p.code for a, _, p in methodology.parameter_places() if a.code == area]
        statement = statement.where(ReviewItem.parameter.in_(codes))
    if state == "changed":
        statement = statement.where(revision != ReviewItem.base_revision)
    elif state:
        statement = statement.where(ReviewItem.state == state)
    if kind:
        statement = statement.where(ReviewItem.kind == kind)
    return statement


def _queue_row(item, revision, methodology, names, uploads, messages, lang) -> dict:
    parameter = methodology.parameters.get(item.parameter)
    area = methodology.area_of_indicator.get(methodology.indicator_of_parameter.get(item.parameter, ""), "")
    kind = parameter.kind if parameter else None
    name = (parameter.name_de if lang != "en" else parameter.name_en) if parameter else item.parameter
    return {**_item_dict(item, revision, kind, lang, uploads, messages), "city_name": names.get(item.city_ags),
            "parameter_name": name, "unit": unit_text(parameter.unit, lang) if parameter else None, "area": area}


def get_item(store: Store, *, edition: str, item_id: int, city: str | None = None, lang: str = "de") -> dict:
    """One entry as the queue shows it; with ``city`` only that city's own (``UnknownItem`` otherwise)."""
    from cityindex.review.items import _own_item

    ags = city_ags(city) if city else None
    methodology = edition_methodology(store, edition)
    with store.sessions() as session:
        row, campaign = load_campaign(session, edition)
        item = _own_item(session, campaign, ags, item_id)
        revision = session.scalar(sa.select(DataPoint.revision).where(
            DataPoint.edition_id == row.id, DataPoint.city_ags == item.city_ags,
            DataPoint.parameter == item.parameter))
        uploads = _uploads(session, [item.upload_id])
        messages = _messages(session, [item.id])
        names = dict(session.execute(sa.select(City.ags, City.name).where(City.ags == item.city_ags)).all())
    return _queue_row(item, revision, methodology, names, uploads, messages, lang)


def queue_choices(store: Store, *, edition: str, lang: str = "de") -> dict:
    """What the inbox's filters offer: the edition's cities and areas (cheap: no entry is read)."""
    methodology = edition_methodology(store, edition)
    with store.sessions() as session:
        row, _ = load_campaign(session, edition)
        cities = edition_cities(session, row.id)
        names = dict(session.execute(sa.select(City.ags, City.name).where(City.ags.in_(cities))).all())
    return {"edition_title": row.title, "edition_status": row.status,
            "cities": dict(sorted(((ags, names.get(ags, ags)) for ags in cities), key=lambda c: c[1])),
            "areas": {a.code: a.name_de if lang != "en" else a.name_en for a in methodology.areas}}


# --- the status board ----------------------------------------------------------------------

def status_board(store: Store, *, edition: str, lang: str = "de") -> dict:
    """Per city: not started / in progress / submitted / decided; the share that reviewed;
    open proposals by area; entries changed since review."""
    methodology = edition_methodology(store, edition)
    with store.sessions() as session:
        row, campaign = load_campaign(session, edition)
        cities = edition_cities(session, row.id)
        started = {c.city_ags: c for c in session.scalars(sa.select(ReviewCity).where(
            ReviewCity.campaign_id == campaign.id))}
        counts = _item_counts(session, row, campaign)
        names = dict(session.execute(sa.select(City.ags, City.name)).all())
    board = sorted((_city_status(ags, names.get(ags, ags), started.get(ags), counts.get(ags, {}), lang)
                    for ags in cities), key=lambda c: c["city_name"])
    totals = {s: sum(c["status"] == s for c in board) for s in CITY_STATES}
    reviewed = totals["submitted"] + totals["decided"]
    return {"edition": row.key, "edition_title": row.title, "edition_status": row.status,
            "deadline": campaign.deadline.isoformat(), "campaign_state": campaign.state,
            "cities": board, "totals": totals, "n_cities": len(cities), "reviewed": reviewed,
            "share_reviewed": reviewed / len(cities) if cities else 0.0,
            "open_by_area": _open_by_area(methodology, counts, lang),
            "changed_since_review": sum(c.get("changed", 0) for c in counts.values())}


def _item_counts(session: Session, edition, campaign) -> dict[str, dict]:
    """Per city: entries, corrections, pending ones and changed ones, and pending corrections by parameter."""
    revision = sa.func.coalesce(DataPoint.revision, 0)
    rows = session.execute(
        sa.select(ReviewItem.city_ags, ReviewItem.parameter, ReviewItem.kind, ReviewItem.state,
                  revision != ReviewItem.base_revision)
        .outerjoin(DataPoint, sa.and_(DataPoint.edition_id == edition.id, DataPoint.city_ags == ReviewItem.city_ags,
                                      DataPoint.parameter == ReviewItem.parameter))
        .where(ReviewItem.campaign_id == campaign.id)).all()
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for ags, parameter, kind, state, changed in rows:
        c = counts[ags]
        c["entries"] += 1
        c["corrections"] += kind == "correct"
        c["pending"] += state in PENDING
        c["changed"] += bool(changed)
        if kind == "correct" and state in PENDING:
            c.setdefault("open_parameters", []).append(parameter)
    return counts


def _city_status(ags: str, name: str, started, counts: dict, lang: str) -> dict:
    if started is None or not counts.get("entries"):
        status = "not_started"
    elif started.submitted_at is None:
        status = "in_progress"
    else:
        status = "submitted" if counts.get("pending") else "decided"
    return {"city": ags, "city_name": name, "status": status, "status_label": label(f"city_{status}", lang),
            "entries": counts.get("entries", 0), "corrections": counts.get("corrections", 0),
            "pending": counts.get("pending", 0), "changed": counts.get("changed", 0),
            "submitted_at": started.submitted_at.isoformat(timespec="seconds") if started and started.submitted_at
            else None}


def _open_by_area(methodology, counts: dict, lang: str) -> list[dict]:
    area_of = {p.code: a for a, _, p in methodology.parameter_places()}
    found: dict[str, int] = defaultdict(int)
    for c in counts.values():
        for parameter in c.get("open_parameters", []):
            if parameter in area_of:
                found[area_of[parameter].code] += 1
    return [{"area": a.code, "name": a.name_de if lang != "en" else a.name_en, "open": found.get(a.code, 0)}
            for a in methodology.areas]


def review_summary(store: Store, *, edition: str) -> dict | None:
    """How many cities checked their data (for the published edition page and the export); None without a round."""
    from cityindex.review.errors import NoCampaign

    try:
        board = status_board(store, edition=edition)
    except NoCampaign:
        return None
    return {"cities": board["n_cities"], "reviewed": board["reviewed"], "share": board["share_reviewed"]}
