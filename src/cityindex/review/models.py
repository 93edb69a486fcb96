"""Table models of the review round: campaigns, per-city state, items, messages, uploads, the log.

They share the store's declarative ``Base`` (one metadata, one Alembic history); migration 0010
creates them. Timestamps are naive UTC like the rest of the store. Who acted is a user
reference (the e-mail address of a signed-in user, ``cli:<login>`` on the command line).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cityindex.store.models import Base, utcnow

CAMPAIGN_STATES = ("open", "closed")
ITEM_KINDS = ("confirm", "correct")
#: draft: saved by the city, not submitted · open: submitted, waiting for the team ·
#: accepted / rejected: decided · asked: the team asked back, the city may answer
ITEM_STATES = ("draft", "open", "accepted", "rejected", "asked")
SIDES = ("city", "team")
#: Every action the review log records.
ACTIONS = ("opened", "invited", "reminded", "confirmed", "proposed", "uploaded", "submitted", "accepted", "rejected",
           "asked", "answered", "closed", "freeze-forced")


class ReviewCampaign(Base):
    """One review round of an edition: from ``review open`` to ``review close``."""

    __tablename__ = "review_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"), unique=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(8), default="open")
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(254))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(254))


class ReviewCity(Base):
    """A city's part of a campaign: when it started and when it submitted its review."""

    __tablename__ = "review_cities"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("review_campaigns.id"), primary_key=True)
    city_ags: Mapped[str] = mapped_column(String(8), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(254))


class ReviewItem(Base):
    """A city's verdict on one data point (or on a parameter without one): confirm or correct.

    ``version`` is the optimistic lock of the item: every change names the version it saw.
    ``base_revision`` is the data point's revision the city looked at (0: no data point); when
    the data point's revision moves on without the review writing it, the item is *changed
    since review*.
    """

    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("campaign_id", "city_ags", "parameter", name="uq_review_item"),
                      Index("ix_review_items_state", "campaign_id", "state"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("review_campaigns.id"))
    city_ags: Mapped[str] = mapped_column(String(8))
    parameter: Mapped[str] = mapped_column(String(80))
    datapoint_id: Mapped[int | None] = mapped_column(ForeignKey("datapoints.id"))
    kind: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(8), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    base_revision: Mapped[int] = mapped_column(Integer, default=0)
    base_value: Mapped[str | None] = mapped_column(Text)
    proposed_value: Mapped[str | None] = mapped_column(Text)
    proposed_num: Mapped[float | None] = mapped_column(Float)
    evidence_url: Mapped[str | None] = mapped_column(Text)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("review_uploads.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))


class ReviewMessage(Base):
    """One message of the thread on an item (ask back, answers, reasons of decisions)."""

    __tablename__ = "review_messages"
    __table_args__ = (Index("ix_review_messages_item", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"))
    side: Mapped[str] = mapped_column(String(4))
    author: Mapped[str] = mapped_column(String(254))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewUpload(Base):
    """An evidence file a city uploaded; the bytes live content-addressed under the data directory."""

    __tablename__ = "review_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("review_campaigns.id"))
    city_ags: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(120))
    uploaded_by: Mapped[str] = mapped_column(String(254))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewEvent(Base):
    """The review log: one row per action, append-only (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_campaign", "campaign_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("review_campaigns.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(24))
    city_ags: Mapped[str | None] = mapped_column(String(8))
    parameter: Mapped[str | None] = mapped_column(String(80))
    item_id: Mapped[int | None] = mapped_column(Integer)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
