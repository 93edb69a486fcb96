"""The *screen* stage: long data (city, parameter, value) → a wide table of numbers.

Answers become points (binary: yes/ja/true/1 → ``points``, no/nein/false/0 → 0; graded answers
through the parameter's ``answers``), numeric text becomes numbers, empty values stay missing
(NaN). Anything that cannot be read stops scoring with a ``ScoringError`` naming the city,
parameter and value; nothing is guessed. Vectorised: values are parsed once per distinct
(parameter, value) pair, never per row in Python.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd

from cityindex.engine.plan import Plan
from cityindex.errors import CityIndexError

YES = frozenset({"yes", "ja", "true", "1", "1.0", "wahr", "y", "j"})
NO = frozenset({"no", "nein", "false", "0", "0.0", "falsch", "n"})
AGS_PATTERN = re.compile(r"^\d{8}$")
REQUIRED_COLUMNS = ("city", "parameter", "value")
_SHOWN = 5


class ScoringError(CityIndexError):
    """The data cannot be scored with this methodology."""


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


def _check_columns(data: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in data.columns]
    if missing:
        raise ScoringError(f"data needs the columns city, parameter, value; missing: {', '.join(missing)}")


def _factorize_cities(city: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(city, sort=True, use_na_sentinel=True)
    labels = pd.Index(uniques).astype(str)
    bad = [c for c in labels if not AGS_PATTERN.match(c)]
    if (codes < 0).any():
        bad.insert(0, "(empty)")
    if bad:
        raise ScoringError(
            f"city must be an 8-digit AGS such as 05113000; not an AGS: {_listing(bad)} "
            "(resolve city names with the city register before scoring)"
        )
    return codes, pd.Index(labels, name="city")


def _parameter_columns(parameter: pd.Series, plan: Plan) -> np.ndarray:
    codes, uniques = pd.factorize(parameter, use_na_sentinel=True)
    labels = [str(u) for u in uniques]
    unknown = [u for u in labels if u not in plan.index]
    if unknown or (codes < 0).any():
        hints = [f"{u} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(u, plan.codes, n=1)) else u for u in unknown]
        raise ScoringError(f"data names parameters the methodology does not define: {_listing(hints or ['(empty)'])}")
    lookup = np.array([plan.index[u] for u in labels], dtype=np.int64)
    return lookup[codes]


def _check_duplicates(flat: np.ndarray, cities: pd.Index, plan: Plan) -> None:
    order = np.sort(flat)
    dup = np.unique(order[1:][order[1:] == order[:-1]])
    if dup.size:
        pairs = [f"{cities[k // len(plan.codes)]}/{plan.codes[k % len(plan.codes)]}" for k in dup[:_SHOWN]]
        more = f" and {dup.size - _SHOWN} more" if dup.size > _SHOWN else ""
        raise ScoringError(f"more than one value for the same city and parameter: {', '.join(pairs)}{more}")


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return np.nan


def _read_answer(plan: Plan, column: int, raw: object) -> float:
    """Points for one distinct (parameter, value) pair; NaN for an empty value."""
    p = plan.parameters[column]
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return np.nan
    text = str(raw).strip().lower()
    if text in ("", "nan", "none", "<na>"):
        return np.nan
    if p.kind == "numeric":
        value = _number(text)
        if np.isnan(value):
            raise ValueError("is not a number")
        return value
    if p.kind == "binary":
        if isinstance(raw, bool) or text in YES or text in NO:
            return p.points if (raw is True or text in YES) else 0.0
        raise ValueError("is not a yes/no answer (yes, no, ja, nein, true, false, 1, 0)")
    answers = {k.strip().lower(): v for k, v in (p.answers or {}).items()}
    if text in answers:
        return answers[text]
    if (number := _number(text)) in set(answers.values()):
        return number
    raise ValueError(f"is not one of the answers {', '.join(p.answers or {})}")


def _parse_values(values: pd.Series, columns: np.ndarray, city: pd.Series, plan: Plan) -> np.ndarray:
    """Numbers (points for answers) per row, NaN for missing values."""
    kinds = np.array([p.kind for p in plan.parameters])
    numeric_rows = kinds[columns] == "numeric"
    out = np.full(len(values), np.nan)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        out[numeric_rows] = values.to_numpy(dtype=float, na_value=np.nan)[numeric_rows]
    else:
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        numeric_rows = numeric_rows & ~np.isnan(numbers)
        out[numeric_rows] = numbers[numeric_rows]
    rest = np.flatnonzero(~numeric_rows)
    if rest.size:
        out[rest] = _parse_by_pair(values.iloc[rest], columns[rest], city.iloc[rest], plan)
    return out


def _parse_by_pair(values: pd.Series, columns: np.ndarray, city: pd.Series, plan: Plan) -> np.ndarray:
    """Parse each distinct (parameter, value) pair once and spread the result to its rows."""
    if values.dtype == object:  # True and 1 hash alike; compare mixed values as text
        values = values.astype(str)
    value_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = [*uniques, None]  # the last entry stands for a missing value
    value_codes = np.where(value_codes < 0, len(distinct) - 1, value_codes)
    pair_codes, pairs = pd.factorize(columns.astype(np.int64) * len(distinct) + value_codes)
    parsed = np.empty(len(pairs))
    for k, key in enumerate(pairs):
        column, value_code = divmod(int(key), len(distinct))
        try:
            parsed[k] = _read_answer(plan, column, distinct[value_code])
        except ValueError as exc:
            first = city.iloc[int(np.argmax(pair_codes == k))]
            raise ScoringError(
                f"city {first}, parameter {plan.codes[column]}: value {str(distinct[value_code])!r} {exc}"
            ) from None
    return parsed[pair_codes]


def screen(data: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Wide table city (sorted AGS) × parameter (methodology order) of numbers; NaN = missing."""
    _check_columns(data)
    city_codes, cities = _factorize_cities(data["city"])
    columns = _parameter_columns(data["parameter"], plan)
    flat = city_codes.astype(np.int64) * len(plan.codes) + columns
    _check_duplicates(flat, cities, plan)
    table = np.full(len(cities) * len(plan.codes), np.nan)
    table[flat] = _parse_values(data["value"], columns, data["city"], plan)
    return pd.DataFrame(table.reshape(len(cities), len(plan.codes)), index=cities, columns=pd.Index(plan.codes, name="parameter"))
