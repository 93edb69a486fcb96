"""A city's baseline in a computed edition, and the same data with some of its values changed.

What-if, levers and the planner all start here: ``baseline()`` scores the edition's data points
with ``cityindex.engine.score`` and ``Baseline.rescore(changes)`` scores them again with some of
the city's values replaced — always the engine's one ``score()``, never a second scoring path.

Values are handled in the engine's *screened* units: a binary answer is its points (yes → the
parameter's ``points``, no → 0), a graded answer its points, a number itself. ``parse_value``
reads what a user typed (``yes``, ``nein``, ``1,5``, an answer text) into those units, with one
clear message naming the parameter when it cannot.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from cityindex.cities import City, CityRegister, load_register
from cityindex.editions import EditionView, get_edition
from cityindex.engine import Result, score
from cityindex.engine.screen import NO, YES
from cityindex.errors import CityIndexError
from cityindex.methodology import Methodology, Parameter


class NotComputed(CityIndexError):
    """What-if, levers and plans need a computed edition with parameters, such as open-2026; a
    published Bitkom edition has ranks and scores only."""


class UnknownParameter(CityIndexError):
    """The methodology of the edition has no parameter of that code."""

    def __init__(self, message: str | None = None, *, parameter: str = "", suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.parameter, self.close = parameter, list(suggestions)


class BadValue(CityIndexError):
    """The value cannot be read for this parameter."""

    def __init__(self, message: str | None = None, *, parameter: str = "", value: str = "", reason: str = "",
                 limit: float | None = None):
        super().__init__(message)
        self.parameter, self.value, self.reason, self.limit = parameter, value, reason, limit


class CityNotScored(CityIndexError):
    """The city has no data points in this edition."""


def unknown_parameter(methodology: Methodology, code: str, *, field: str = "parameter") -> UnknownParameter:
    """``UnknownParameter`` naming the field, with the closest codes as suggestions."""
    close = difflib.get_close_matches(code, list(methodology.parameters), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(close)}?" if close else f" Known: {', '.join(methodology.parameters)}."
    return UnknownParameter(f"{field}: unknown parameter {code!r} in methodology {methodology.key}.{hint}",
                            parameter=code, suggestions=tuple(close))


def parameter(methodology: Methodology, code: str, *, field: str = "parameter") -> Parameter:
    """The parameter of that code, or ``UnknownParameter`` with suggestions."""
    found = methodology.parameters.get(str(code).strip())
    if found is None:
        raise unknown_parameter(methodology, str(code).strip(), field=field)
    return found


# Reading and writing values ---------------------------------------------------------------------


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # German decimal comma: 1,5
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _check_range(p: Parameter, value: float, field: str) -> float:
    rng = p.valid_range
    if rng is not None and rng.min is not None and value < rng.min:
        raise BadValue(f"{field}: {value:g} is below the smallest valid value {rng.min:g} of {p.code}.",
                       parameter=p.code, value=f"{value:g}", reason="min", limit=rng.min)
    if rng is not None and rng.max is not None and value > rng.max:
        raise BadValue(f"{field}: {value:g} is above the largest valid value {rng.max:g} of {p.code}.",
                       parameter=p.code, value=f"{value:g}", reason="max", limit=rng.max)
    return value


def parse_value(p: Parameter, raw: object, *, field: str | None = None) -> float:
    """A user's value for ``p`` in screened units (binary: points of yes/no; graded: points; numeric:
    the number), or ``BadValue`` naming ``field`` (default: the parameter code)."""
    field = field or p.code
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    text = str(raw).strip()
    if p.kind == "binary":
        lowered = text.lower()
        if lowered in YES:
            return float(p.points)
        if lowered in NO:
            return 0.0
        raise BadValue(f"{field}: {text!r} is not a yes/no answer; use yes or no (ja, nein, 1, 0).",
                       parameter=p.code, value=text, reason="yesno")
    if p.kind == "points":
        answers = {a.strip().lower(): v for a, v in (p.answers or {}).items()}
        if text.lower() in answers:
            return float(answers[text.lower()])
        number = _number(text)
        if number is not None and number in set(answers.values()):
            return number
        raise BadValue(f"{field}: {text!r} is not one of the answers {', '.join(p.answers or {})}.",
                       parameter=p.code, value=text, reason="answer")
    number = _number(text)
    if number is None:
        raise BadValue(f"{field}: {text!r} is not a number.", parameter=p.code, value=text, reason="number")
    return _check_range(p, number, field)


def raw_value(p: Parameter, value: float) -> str:
    """A screened value back as data-point text the engine reads the same way (numbers exactly)."""
    if p.kind == "binary":
        return "yes" if value > 0 else "no"
    return repr(float(value))


def _as_text(value: object) -> str:
    """A stored value as text: numbers exactly (``repr``), a missing value as empty text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return repr(float(value))
    return str(value)


def display_value(p: Parameter, value: float | None, lang: str = "de") -> str:
    """A screened value as a person reads it: ja/nein, the answer text, or the number."""
    from cityindex.report.values import value_text

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return value_text({"value": None}, lang)
    if p.kind == "points":
        names = [a for a, v in (p.answers or {}).items() if v == value]
        return names[0] if names else f"{value:g}"
    if p.kind == "binary":
        return value_text({"value": 1 if value > 0 else 0, "kind": "binary"}, lang)
    return value_text({"value": float(value)}, lang)


# The baseline -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Baseline:
    """One city in one computed edition: the data points and their score, as the engine made it."""

    edition: EditionView
    city: City
    methodology: Methodology
    data: pd.DataFrame  # long: city, parameter, value (text; numbers exactly), as stored
    result: Result  # score(methodology, data)

    @property
    def ags(self) -> str:
        return self.city.ags

    @cached_property
    def screened(self) -> pd.Series:
        """The city's screened values by parameter code (NaN = no value)."""
        return self.result.stages["screened"].loc[self.ags]

    def value(self, code: str) -> float:
        return float(self.screened[code])

    @property
    def rank(self) -> int | None:
        rank = self.result.ranks.at[self.ags, "overall"]
        return None if pd.isna(rank) else int(rank)

    @property
    def overall(self) -> float:
        return float(self.result.overall[self.ags])

    @cached_property
    def n_ranked(self) -> int:
        return int(self.result.ranks["overall"].notna().sum())

    def data_with(self, changes: Mapping[str, float]) -> pd.DataFrame:
        """The edition's data with the city's values of ``changes`` (screened units; NaN = no value)
        replaced; every other city and value stays as it is."""
        mine = (self.data["city"] == self.ags) & self.data["parameter"].isin(list(changes))
        rows = [{"city": self.ags, "parameter": code, "value": raw_value(self.methodology.parameters[code], v)}
                for code, v in changes.items() if not np.isnan(v)]
        kept = self.data.loc[~mine]
        if not rows:
            return kept
        return pd.concat([kept, pd.DataFrame(rows, columns=kept.columns).astype(kept.dtypes)], ignore_index=True)

    def rescore(self, changes: Mapping[str, float]) -> Result:
        """``score()`` of the data with the city's values replaced (no changes: the baseline)."""
        if not changes:
            return self.result
        return score(self.methodology, self.data_with(changes))

    def parse_changes(self, given: Mapping[str, object], *, option: str = "") -> dict[str, float]:
        """User values by parameter code → screened values; errors name ``option`` and the code."""
        out = {}
        for code, raw in given.items():
            p = parameter(self.methodology, code, field=f"{option}{code}" if option else "parameter")
            out[p.code] = parse_value(p, raw, field=f"{option}{p.code}")
        return out


def _edition(edition: str | EditionView) -> EditionView:
    view = edition if isinstance(edition, EditionView) else get_edition(edition)
    if view.methodology is None or view.datapoints is None:
        raise NotComputed(f"Edition {view.key} is a published edition with ranks only; what-if, levers and plans "
                          f"need a computed edition with parameters, such as open-2026.")
    return view


def baseline(edition: str | EditionView, city: str | City, *, register: CityRegister | None = None) -> Baseline:
    """The city's baseline in a computed edition (its data points scored with ``score()``)."""
    view = _edition(edition)
    register = register or load_register()
    found = city if isinstance(city, City) else register.get(city)
    data = view.datapoints[["city", "parameter", "value"]].copy()
    data["city"] = data["city"].astype(str)
    data["value"] = pd.Series([_as_text(v) for v in data["value"]], index=data.index, dtype="str")
    if not (data["city"] == found.ags).any():
        raise CityNotScored(f"{found.name} has no data points in edition {view.key}.")
    result = score(view.methodology, data)
    if pd.isna(result.ranks.at[found.ags, "overall"]):
        raise CityNotScored(f"{found.name} has no overall rank in edition {view.key}.")
    return Baseline(edition=view, city=found, methodology=view.methodology, data=data, result=result)
