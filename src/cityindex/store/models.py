"""SQLAlchemy 2 table models of the store. Schema changes go through Alembic migrations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from cityindex.errors import CityIndexError

STATUSES = ("draft", "review", "frozen", "published")
REVIEW_STATUSES = ("collected", "checked", "confirmed", "disputed")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def check_length(value: str | None, column, what: str) -> None:
    """Refuse text longer than its column: SQLite would keep it, PostgreSQL refuses it mid-write."""
    limit = column.type.length
    if value is not None and limit is not None and len(value) > limit:
        raise CityIndexError(f"{what} is {len(value)} characters long; at most {limit} are stored. "
                             "Use a shorter one.")


class Base(DeclarativeBase):
    pass


class Edition(Base):
    """One edition: a methodology, its data points and a status draft → review → frozen → published."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    methodology_yaml: Mapped[str] = mapped_column(Text)
    methodology_version: Mapped[str | None] = mapped_column(String(40))
    methodology_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    previous_key: Mapped[str | None] = mapped_column(String(40))
    revision_of: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))
    frozen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class City(Base):
    """A city as known to the store (copied from the city register on first use)."""

    __tablename__ = "cities"

    ags: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(60))
    population: Mapped[int | None] = mapped_column(Integer)


class ImportBatch(Base):
    """One import of one file: who, when, why, and what it changed."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)


class DataPoint(Base):
    """The current value of one parameter for one city in one edition, with provenance."""

    __tablename__ = "datapoints"
    __table_args__ = (UniqueConstraint("edition_id", "city_ags", "parameter", name="uq_datapoint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"))
    city_ags: Mapped[str] = mapped_column(ForeignKey("cities.ags"))
    parameter: Mapped[str] = mapped_column(String(80))
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(40))
    source_name: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    retrieved: Mapped[dt.date | None] = mapped_column(Date)
    collected_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(String(100))
    review_status: Mapped[str] = mapped_column(String(12), default="collected")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Revision(Base):
    """Append-only history: every change of a data point (including its creation)."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_lookup", "edition_id", "city_ags", "parameter"),
                      Index("uq_revisions_datapoint_revision", "datapoint_id", "revision", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    datapoint_id: Mapped[int] = mapped_column(ForeignKey("datapoints.id"))
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"))
    city_ags: Mapped[str] = mapped_column(String(8))
    parameter: Mapped[str] = mapped_column(String(80))
    revision: Mapped[int] = mapped_column(Integer)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    old_source: Mapped[str | None] = mapped_column(Text)
    new_source: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    #: JSON ``{field: [old, new]}`` of every other field that changed (unit, note, retrieved, review_status …)
    changes: Mapped[str | None] = mapped_column(Text)
    #: The review item (``review_items.id``) whose accepted proposal or confirmation made this revision
    review_item_id: Mapped[int | None] = mapped_column(Integer)


class StoredResult(Base):
    """A computed Result of an edition: hashes plus one Parquet blob per stage table."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    methodology_hash: Mapped[str] = mapped_column(String(64))
    input_hash: Mapped[str] = mapped_column(String(64))
    previous_key: Mapped[str | None] = mapped_column(String(40))


class ResultTable(Base):
    """One table of a stored Result (a stage table, ranks, rank changes …) as Parquet bytes."""

    __tablename__ = "result_tables"

    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    parquet: Mapped[bytes] = mapped_column(LargeBinary)


class ResultScore(Base):
    """Scores and ranks of a stored Result in long form: one row per city and scope."""

    __tablename__ = "result_scores"
    __table_args__ = (Index("ix_result_scores_scope", "result_id", "scope"),)

    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), primary_key=True)
    city_ags: Mapped[str] = mapped_column(String(8), primary_key=True)
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[float | None] = mapped_column(Float)
    rank_change: Mapped[float | None] = mapped_column(Float)


class PublishedEdition(Base):
    """One revision of a published (Bitkom) edition as bundled with cityindex; the highest revision is current.

    Revisions are append-only: a changed bundle adds a revision with all its rows, older ones stay.
    """

    __tablename__ = "published_editions"
    __table_args__ = (UniqueConstraint("key", "revision", name="uq_published_edition"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    n_cities: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    content_sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PublishedRow(Base):
    """One published number set (rank, score, Tendenz) of a city, exactly as published; unknown is NULL.

    A row belongs either to a scope or, for the 2022 tables whose area is unknown, to a table letter.
    """

    __tablename__ = "published_rows"
    __table_args__ = (
        Index("ix_published_rows_edition", "published_edition_id", "scope"),
        CheckConstraint("(scope IS NULL) <> (table_letter IS NULL)", name="ck_published_rows_scope_or_table"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    published_edition_id: Mapped[int] = mapped_column(ForeignKey("published_editions.id"))
    city_ags: Mapped[str] = mapped_column(String(8))
    city_name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str | None] = mapped_column(String(80))
    table_letter: Mapped[str | None] = mapped_column(String(8))
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    rank_change: Mapped[int | None] = mapped_column(Integer)
    rank_source: Mapped[str | None] = mapped_column(Text)
    score_source: Mapped[str | None] = mapped_column(Text)
    rank_change_source: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[str | None] = mapped_column(Text)


class ResultReport(Base):
    """A report computed from a stored Result when its edition is published (statistical audit,
    rank uncertainty), as JSON; at most one of each kind per Result."""

    __tablename__ = "result_reports"

    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(Text)
