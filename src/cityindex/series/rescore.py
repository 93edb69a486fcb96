"""Re-scoring data under another methodology, and the comparable rank change.

Both call the one ``cityindex.engine.score``; nothing here scores by itself.

* ``rescore(methodology, data)`` — an edition's data points under another edition's rules. Data
  points of parameters the methodology does not define are left out (and listed); parameters it
  defines that the data lack stay unknown.
* ``comparable(methodology, current, previous)`` — the rank change "like with like", the way DESI
  recomputes its back series: both editions' data under the *current* methodology, restricted to
  the scored parameters known (for at least one city) in both years. The as-computed change
  compares each edition under its own rules and coverage; the two side by side show how much of a
  move is the data and how much the method or the coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityindex.errors import CityIndexError
from cityindex.methodology import Methodology


@dataclass(frozen=True)
class Rescored:
    """A Result of data under another methodology, and the data points that methodology does not know."""

    result: object
    dropped_parameters: tuple[str, ...]


def _known_data(methodology: Methodology, data: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Rows of parameters the methodology defines, with a value; and the codes left out."""
    rows = data[data["value"].astype(str).str.strip() != ""]
    dropped = tuple(sorted(set(rows["parameter"]) - set(methodology.parameters)))
    return rows[rows["parameter"].isin(methodology.parameters)][["city", "parameter", "value"]], dropped


def rescore(methodology: Methodology, data: pd.DataFrame, *, cities: pd.DataFrame | None = None) -> Rescored:
    """*data* (long: city, parameter, value) scored with *methodology*."""
    from cityindex.engine import score

    rows, dropped = _known_data(methodology, data)
    return Rescored(score(methodology, rows, cities=cities), dropped)


def known_parameters(data: pd.DataFrame) -> set[str]:
    """Parameters with at least one value in *data*."""
    return set(data.loc[data["value"].astype(str).str.strip() != "", "parameter"])


def restrict(methodology: Methodology, keep: set[str]) -> Methodology:
    """The methodology with every scored parameter outside *keep* made context only: its indicator is
    scored from the rest (or not at all), and areas and the overall score re-weight what is left."""
    areas = []
    for area in methodology.areas:
        indicators = [
            indicator.model_copy(update={"parameters": tuple(
                p if p.context_only or p.code in keep else p.model_copy(update={"context_only": True})
                for p in indicator.parameters)})
            for indicator in area.indicators]
        areas.append(area.model_copy(update={"indicators": tuple(indicators)}))
    return methodology.model_copy(update={"areas": tuple(areas)})


def scored_codes(methodology: Methodology) -> list[str]:
    """Codes of the scored parameters, in methodology order."""
    return [p.code for a in methodology.areas for i in a.scored_indicators for p in i.scored_parameters]


@dataclass(frozen=True)
class Comparable:
    """Comparable ranks of two editions under one methodology on their common parameters.

    ``ranks``: one row per city and scope (ags, scope, rank, previous_rank, change), change =
    previous_rank − rank (positive = moved up); ``parameters``: the common scored parameters;
    ``left_out``: scored parameters of the current methodology not known in both years.
    """

    ranks: pd.DataFrame
    parameters: tuple[str, ...]
    left_out: tuple[str, ...]


def comparable(methodology: Methodology, current: pd.DataFrame, previous: pd.DataFrame,
               *, cities: pd.DataFrame | None = None) -> Comparable:
    """Both data sets under *methodology* restricted to the scored parameters known in both."""
    scored = scored_codes(methodology)
    common = known_parameters(current) & known_parameters(previous)
    keep = [c for c in scored if c in common]
    spec = restrict(methodology, set(keep))
    now = rescore(spec, current, cities=cities).result.ranks
    before = rescore(spec, previous, cities=cities).result.ranks.reindex(index=now.index, columns=now.columns)
    long = _long(now, "rank").merge(_long(before, "previous_rank"), on=["ags", "scope"])
    long["change"] = (long["previous_rank"] - long["rank"]).astype("Int64")
    return Comparable(long, tuple(keep), tuple(c for c in scored if c not in common))


def _long(ranks: pd.DataFrame, name: str) -> pd.DataFrame:
    frame = ranks.rename_axis(index="ags", columns="scope").stack(future_stack=True).rename(name).reset_index()
    frame["ags"] = frame["ags"].astype(str)
    frame[name] = frame[name].astype("Int64")
    return frame


class NoMethodology(CityIndexError):
    """A published Bitkom edition has no methodology file; give a computed edition or a methodology YAML file."""


def methodology_of(ref: str) -> Methodology:
    """The methodology of a computed edition (by key) or of a YAML file (by path)."""
    from pathlib import Path

    from cityindex.editions import get_edition
    from cityindex.methodology import load_methodology

    if ref.lower().endswith((".yaml", ".yml")) or Path(ref).is_file():
        return load_methodology(Path(ref))
    view = get_edition(ref)
    if view.methodology is None:
        raise NoMethodology(f"Edition {view.key} is a published Bitkom edition: it has no methodology, only "
                            "published ranks. Give a computed edition (e.g. open-2025) or a methodology YAML file.")
    return view.methodology


@dataclass(frozen=True)
class EditionRescored:
    """An edition's ranks as computed and under another methodology, side by side."""

    edition: str
    methodology: str  # "key version"
    table: pd.DataFrame  # ags, city, scope, rank, score, rescored_rank, rescored_score, difference
    dropped_parameters: tuple[str, ...]
    unknown_parameters: tuple[str, ...]  # scored by the methodology, no data point in the edition


def rescore_edition(edition: str, method: str) -> EditionRescored:
    """The data points of computed *edition* scored under *method* (an edition key or a YAML file)."""
    from cityindex.editions import get_edition

    view = get_edition(edition)
    if view.datapoints is None:
        raise NoMethodology(f"Edition {view.key} is a published Bitkom edition: it has no data points to re-score.")
    spec = methodology_of(method)
    rescored = rescore(spec, view.datapoints)
    long = rescored.result.to_long().rename(columns={"city": "ags", "rank": "rescored_rank",
                                                      "score": "rescored_score"})
    long["ags"] = long["ags"].astype(str)
    table = view.rows[["ags", "city", "scope", "rank", "score"]].merge(
        long[["ags", "scope", "rescored_rank", "rescored_score"]], on=["ags", "scope"], how="outer")
    table["difference"] = (table["rank"] - table["rescored_rank"]).astype("Int64")
    unknown = tuple(c for c in scored_codes(spec) if c not in known_parameters(view.datapoints))
    return EditionRescored(view.key, f"{spec.key} {spec.version}", table, rescored.dropped_parameters, unknown)
