"""Review campaigns: open (the edition moves to review), close, look up; the review log.

Every write runs in one transaction with its log entry (``review_events``, append-only).
``by`` is who acts: a user's e-mail address on the web, ``cli:<login>`` on the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.cities import load_register
from cityindex.review.errors import CampaignClosed, CampaignExists, InvalidEntry, NoCampaign
from cityindex.review.models import ACTIONS, ReviewCampaign, ReviewEvent
from cityindex.store.db import Store
from cityindex.store.editions import NEXT_STATUS, StatusError, check_by, get_row
from cityindex.store.models import DataPoint, Edition, utcnow


@dataclass(frozen=True)
class CampaignInfo:
    """A review round as a plain value."""

    edition: str
    edition_title: str
    edition_status: str
    deadline: dt.date
    state: str
    opened_at: dt.datetime
    opened_by: str
    closed_at: dt.datetime | None
    closed_by: str | None
    cities: tuple[str, ...]

    @property
    def open(self) -> bool:
        return self.state == "open"

    def as_dict(self) -> dict:
        return {**self.__dict__, "cities": list(self.cities)}


def city_ags(city: str) -> str:
    """The AGS of a city given by name, alias or AGS (``UnknownCity`` with suggestions otherwise)."""
    return load_register().get(city).ags


def edition_cities(session: Session, edition_id: int) -> tuple[str, ...]:
    """The cities (AGS) that have data points in the edition: the cities asked to review."""
    return tuple(session.scalars(sa.select(DataPoint.city_ags).where(DataPoint.edition_id == edition_id)
                                 .distinct().order_by(DataPoint.city_ags)))


def find_campaign(session: Session, edition: Edition) -> ReviewCampaign | None:
    return session.scalars(sa.select(ReviewCampaign).where(ReviewCampaign.edition_id == edition.id)).one_or_none()


def load_campaign(session: Session, key: str, *, for_update: bool = False) -> tuple[Edition, ReviewCampaign]:
    """The edition row and its campaign (``NoCampaign`` when it has none); optionally row-locked."""
    edition = get_row(session, key)
    statement = sa.select(ReviewCampaign).where(ReviewCampaign.edition_id == edition.id)
    campaign = session.scalars(statement.with_for_update() if for_update else statement).one_or_none()
    if campaign is None:
        raise NoCampaign(f"Edition {key!r} has no review round; open one with "
                         f"`cityindex review open --edition {key} --deadline DATE`.")
    return edition, campaign


def require_open(edition: Edition, campaign: ReviewCampaign) -> None:
    """Cities may change their entries only while the round is open and the edition in review."""
    if campaign.state != "open" or edition.status != "review":
        raise CampaignClosed(f"The review round of edition {edition.key!r} is closed "
                             f"(edition status: {edition.status}).")


def log_event(session: Session, campaign: ReviewCampaign, *, actor: str, action: str, **fields) -> None:
    """Append one entry to the review log in the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown review log action {action!r}")
    session.add(ReviewEvent(campaign_id=campaign.id, at=utcnow(), actor=actor, action=action, **fields))


def open_campaign(store: Store, *, edition: str, deadline: dt.date, by: str,
                  today: dt.date | None = None) -> CampaignInfo:
    """Open the review round: a draft edition moves to ``review``; the deadline lies ahead."""
    check_by(by)
    with store.transaction() as session:
        row = get_row(session, edition)
        check_openable(session, row, deadline, today=today)
        row.status = "review"
        campaign = ReviewCampaign(edition_id=row.id, deadline=deadline, state="open", opened_at=utcnow(),
                                  opened_by=by)
        session.add(campaign)
        session.flush()
        log_event(session, campaign, actor=by, action="opened", detail=f"deadline {deadline.isoformat()}")
    return campaign_info(store, edition=edition)


def check_openable(session: Session, row: Edition, deadline: dt.date, *, today: dt.date | None = None) -> None:
    """A round opens once per edition, on a draft (or review) edition with data, with a deadline ahead."""
    today = today or dt.date.today()
    if deadline < today:
        raise InvalidEntry(f"The deadline {deadline.isoformat()} has passed; give a date from "
                           f"{today.isoformat()} on.", field="deadline")
    if find_campaign(session, row) is not None:
        raise CampaignExists(f"Edition {row.key!r} has a review round already; `cityindex review status` shows it.")
    if row.status != "review" and "review" not in NEXT_STATUS.get(row.status, ()):
        raise StatusError(f"Edition {row.key!r} is {row.status}; only a draft edition can go to review.")
    if not edition_cities(session, row.id):
        raise InvalidEntry(f"Edition {row.key!r} has no data points to review; import them first.")


def close_campaign(store: Store, *, edition: str, by: str) -> CampaignInfo:
    """End the round: cities can no longer change entries; the team may still decide them."""
    check_by(by)
    with store.transaction() as session:
        _, campaign = load_campaign(session, edition, for_update=True)
        if campaign.state == "closed":
            raise CampaignClosed(f"The review round of edition {edition!r} is closed already.")
        campaign.state, campaign.closed_at, campaign.closed_by = "closed", utcnow(), by
        log_event(session, campaign, actor=by, action="closed")
    return campaign_info(store, edition=edition)


def campaign_keys(store: Store) -> set[str]:
    """The keys of the editions that have a review round."""
    with store.sessions() as session:
        joined = sa.select(Edition.key).join(ReviewCampaign, ReviewCampaign.edition_id == Edition.id)
        return set(session.scalars(joined))


def campaign_info(store: Store, *, edition: str) -> CampaignInfo:
    with store.sessions() as session:
        row, campaign = load_campaign(session, edition)
        return CampaignInfo(edition=row.key, edition_title=row.title, edition_status=row.status,
                            deadline=campaign.deadline, state=campaign.state, opened_at=campaign.opened_at,
                            opened_by=campaign.opened_by, closed_at=campaign.closed_at,
                            closed_by=campaign.closed_by, cities=edition_cities(session, row.id))
