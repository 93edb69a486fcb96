"""Computed Results in the store: score an edition from its data points, save and load Results.

A stored Result keeps the methodology hash and input hash, every table of the Result as
Parquet bytes (so that ``load_result`` gives back an equal Result) and a long table of
scores and ranks that SQL queries (website, API) can read directly.
"""

from __future__ import annotations

import io
from types import MappingProxyType

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.errors import CityIndexError
from cityindex.store.datapoints import datapoints_frame
from cityindex.store.db import EditionLocked, Store
from cityindex.store.editions import edition_methodology, find_row, get_row, lock_edition, methodology_from_text
from cityindex.store.models import Edition, ResultScore, ResultTable, StoredResult

FRAMES = ("overall", "areas", "indicators", "ranks", "rank_change")
STAGE_PREFIX = "stage:"
SERIES_SUFFIX = "#series"
#: The methodology a Result was computed with, kept with it as YAML text (UTF-8), so a stored
#: Result keeps its own rules when the edition's methodology changes later.
METHODOLOGY_TABLE = "methodology.yaml"


class NoResult(CityIndexError):
    """The edition has no computed result yet; run `cityindex score --edition KEY`."""


def score_edition(store: Store, key: str):
    """Score the edition's stored data points, store the Result and return it.

    Rank changes are computed against the previous edition's stored Result when the edition
    names a previous edition that has one, or against the published ranks when the previous
    edition is a published (Bitkom) edition. The data points are read, scored and the Result
    saved under the edition's lock, so no import can slip in between (``publish`` then knows
    the Result is current).
    """
    from cityindex.engine import score

    with store.sessions() as session:
        previous_key = get_row(session, key).previous_key
    previous = _previous(store, previous_key)
    with store.transaction() as session:
        edition = lock_edition(session, key)
        if edition.status == "published":
            raise EditionLocked(f"Edition {key!r} is published; its result cannot be recomputed. "
                                f"Create a revision: `cityindex edition revise {key} NEW_KEY`.")
        data = datapoints_frame(session, edition.id)
        if data.empty:
            raise CityIndexError(f"Edition {key!r} has no data points; import some with "
                                 f"`cityindex import FILE --edition {key}`.")
        result = score(methodology_from_text(edition.methodology_yaml), data, previous=previous)
        _save(session, edition, result, previous_key=previous_key if previous is not None else None)
    return result


def _previous(store: Store, previous_key: str | None):
    """The previous Result of a stored edition, else the published ranks of a published edition.

    A stored edition of that key takes precedence; from a published edition only the ranks that
    were published are used (cities without one get no rank change).
    """
    from cityindex.store.published import ensure_published, published_ranks

    if not previous_key:
        return None
    with store.sessions() as session:
        stored = find_row(session, previous_key) is not None
    if not stored:
        return published_ranks(store, edition=previous_key) if ensure_published(store, previous_key) else None
    try:
        return load_result(store, previous_key)
    except NoResult:
        return None


def save_result(store: Store, key: str, result, *, previous_key: str | None = None) -> int:
    """Store a Result for the edition (one transaction, under the edition's lock); returns its id."""
    with store.transaction() as session:
        return _save(session, lock_edition(session, key), result, previous_key=previous_key)


def _save(session: Session, edition: Edition, result, *, previous_key: str | None) -> int:
    if edition.status == "published":
        raise EditionLocked(f"Edition {edition.key!r} is published; its result cannot change.")
    stored = StoredResult(edition_id=edition.id, methodology_hash=result.methodology.hash,
                          input_hash=result.input_hash, previous_key=previous_key)
    session.add(stored)
    session.flush()
    session.add_all([ResultTable(result_id=stored.id, name=name, parquet=blob) for name, blob in _tables(result)])
    session.add(ResultTable(result_id=stored.id, name=METHODOLOGY_TABLE, parquet=_methodology_bytes(result)))
    session.execute(sa.insert(ResultScore), _score_rows(stored.id, result))
    return stored.id


def _tables(result):
    for name in FRAMES:
        yield _encode(name, getattr(result, name))
    for name, table in result.stages.items():
        yield _encode(STAGE_PREFIX + name, table)


def _methodology_bytes(result) -> bytes:
    from cityindex.methodology import dump_methodology

    return dump_methodology(result.methodology).encode("utf-8")


def _encode(name: str, table) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    if isinstance(table, pd.Series):
        name += SERIES_SUFFIX
        table = table.to_frame(name="__values__" if table.name is None else str(table.name))
    table.to_parquet(buffer, engine="pyarrow")
    return name, buffer.getvalue()


def _decode(blob: bytes, series: bool):
    table = pd.read_parquet(io.BytesIO(blob), engine="pyarrow")
    if not series:
        return table
    values = table.iloc[:, 0]
    return values.rename(None) if values.name == "__values__" else values


def _score_rows(result_id: int, result) -> list[dict]:
    long = result.to_long()
    return [{"result_id": result_id, "city_ags": str(r.city), "scope": r.scope,
             "score": None if pd.isna(r.score) else float(r.score),
             "rank": None if pd.isna(r.rank) else float(r.rank),
             "rank_change": None if pd.isna(r.rank_change) else float(r.rank_change)}
            for r in long.itertuples(index=False)]


def _latest(session: Session, edition: Edition) -> StoredResult:
    stored = session.scalars(sa.select(StoredResult).where(StoredResult.edition_id == edition.id)
                             .order_by(StoredResult.id.desc()).limit(1)).first()
    if stored is None:
        raise NoResult(f"Edition {edition.key!r} has no computed result yet; run "
                       f"`cityindex score --edition {edition.key}`.")
    return stored


def load_result(store: Store, key: str):
    """The latest stored Result of an edition (equal to the Result that was saved)."""
    from cityindex.engine import Result

    with store.sessions() as session:
        stored = _latest(session, get_row(session, key))
        input_hash = stored.input_hash
        rows = session.execute(sa.select(ResultTable.name, ResultTable.parquet)
                               .where(ResultTable.result_id == stored.id)).all()
    tables, methodology = {}, None
    for name, blob in rows:
        if name == METHODOLOGY_TABLE:
            methodology = methodology_from_text(bytes(blob).decode("utf-8"))
            continue
        series = name.endswith(SERIES_SUFFIX)
        tables[name.removesuffix(SERIES_SUFFIX)] = _decode(blob, series)
    stage_names = [n for n in tables if n.startswith(STAGE_PREFIX)]
    stages = {n.removeprefix(STAGE_PREFIX): tables[n] for n in _stage_order(stage_names)}
    # results stored before the methodology was kept with them use the edition's
    return Result(methodology=methodology or edition_methodology(store, key), input_hash=input_hash,
                  stages=MappingProxyType(stages), **{name: tables[name] for name in FRAMES})


def load_scores(store: Store, key: str):
    """The latest stored Result's methodology and its scores in the long form of
    ``Result.to_long()`` (city, scope, score, rank, rank_change; scopes in methodology order,
    cities by rank then AGS, unrounded), read from the score rows without decoding the stage
    tables: what an edition's view needs, at a fraction of ``load_result``'s cost."""
    with store.sessions() as session:
        stored = _latest(session, get_row(session, key))
        rows = session.execute(_scores_of(stored.id)).all()
        text = session.scalar(sa.select(ResultTable.parquet).where(ResultTable.result_id == stored.id,
                                                                   ResultTable.name == METHODOLOGY_TABLE))
    methodology = methodology_from_text(bytes(text).decode("utf-8")) if text is not None else edition_methodology(store, key)
    long = _scores_frame(rows)
    order = {scope: i for i, scope in enumerate(["overall", *(a.code for a in methodology.areas)])}
    long["_order"] = long["scope"].map(order).fillna(len(order))
    long["score"] = long["score"].astype(float)
    long = long.sort_values(["_order", "rank", "city"], na_position="last", kind="stable")
    return methodology, long.drop(columns="_order").reset_index(drop=True)


def result_history(store: Store, *, edition: str) -> pd.DataFrame:
    """Every stored Result of an edition, oldest first: id, computed_at, methodology_version,
    methodology_hash, input_hash, previous_key. A result computed before the edition's methodology
    changed keeps its own version (read from the methodology stored with it)."""
    with store.sessions() as session:
        edition_row = get_row(session, edition)
        rows = session.execute(sa.select(StoredResult.id, StoredResult.computed_at, StoredResult.methodology_hash,
                                         StoredResult.input_hash, StoredResult.previous_key)
                               .where(StoredResult.edition_id == edition_row.id).order_by(StoredResult.id)).all()
        texts = dict(session.execute(sa.select(ResultTable.result_id, ResultTable.parquet)
                                     .where(ResultTable.result_id.in_([r.id for r in rows]),
                                            ResultTable.name == METHODOLOGY_TABLE)).all())
        current = (edition_row.methodology_hash, edition_row.methodology_version)
    frame = pd.DataFrame(rows, columns=["id", "computed_at", "methodology_hash", "input_hash", "previous_key"])
    frame.insert(2, "methodology_version", [_version(texts.get(i), h, current) for i, h in
                                            zip(frame.id, frame.methodology_hash)])
    return frame


def _version(text, methodology_hash: str, current: tuple[str, str | None]) -> str | None:
    """The version of a stored Result's methodology: from the YAML stored with it; for an older Result
    without one, the edition's version if the hashes agree, else unknown (None)."""
    if text is not None:
        return methodology_from_text(bytes(text).decode("utf-8")).version
    return current[1] if methodology_hash == current[0] else None


STAGE_ORDER = ("screened", "treated", "imputed", "combined", "indicators", "areas_before_bonus", "areas",
               "overall")


def _stage_order(names: list[str]) -> list[str]:
    order = {STAGE_PREFIX + n: i for i, n in enumerate(STAGE_ORDER)}
    return sorted(names, key=lambda n: (order.get(n, len(order)), n))


def result_scores(store: Store, *, edition: str, scope: str | None = None) -> pd.DataFrame:
    """Scores and ranks of the edition's latest Result: city, scope, score, rank, rank_change.

    Sorted by scope, then rank (unranked cities last, ties by AGS), the same on SQLite and PostgreSQL.
    """
    with store.sessions() as session:
        stored = _latest(session, get_row(session, edition))
        statement = _scores_of(stored.id)
        if scope:
            statement = statement.where(ResultScore.scope == scope)
        # Unranked last and ties by AGS on both databases (PostgreSQL sorts NULL last, SQLite first).
        rows = session.execute(statement.order_by(ResultScore.scope, ResultScore.rank.is_(None), ResultScore.rank,
                                                  ResultScore.city_ags)).all()
    return _scores_frame(rows)


def _scores_of(result_id: int):
    """The score rows of one stored Result: city, scope, score, rank, rank_change."""
    return sa.select(ResultScore.city_ags, ResultScore.scope, ResultScore.score, ResultScore.rank,
                     ResultScore.rank_change).where(ResultScore.result_id == result_id)


def _scores_frame(rows) -> pd.DataFrame:
    """Score rows as a frame (plain tuples: pandas reads them about three times faster than
    SQLAlchemy's rows); ranks and rank changes as nullable integers."""
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["city", "scope", "score", "rank", "rank_change"])
    for column in ("rank", "rank_change"):
        frame[column] = frame[column].astype("Int64")
    return frame
