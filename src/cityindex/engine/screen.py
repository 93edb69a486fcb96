"""The *screen* stage: long data (city, parameter, value) → a wide table of numbers.

Answers become points (binary: yes/ja/true/1 → ``points``, no/nein/false/0 → 0; graded answers
through the parameter's ``answers``), numeric text becomes numbers, empty values stay missing
(NaN). Anything that cannot be read stops scoring with a ``ScoringError`` naming the city,
parameter and value; nothing is guessed. Vectorised: values are parsed once per distinct
(parameter, value) pair, never per row in Python.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cityindex.engine.plan import KIND_CODES, Plan
from cityindex.errors import CityIndexError

YES = frozenset({"yes", "ja", "true", "1", "1.0"})
NO = frozenset({"no", "nein", "false", "0", "0.0"})
REQUIRED_COLUMNS = ("city", "parameter", "value")
_SHOWN = 5


class ScoringError(CityIndexError):
    """The data cannot be scored with this methodology."""


def listing(items: list[str]) -> str:
    """The first five items, comma-separated, and how many more there are."""
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


def _check_columns(data: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in data.columns]
    if missing:
        raise ScoringError(f"data needs the columns city, parameter, value; missing: {', '.join(missing)}")


def _factorize_cities(city: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes into the sorted distinct AGS (factorised unsorted, then the few labels sorted)."""
    codes, uniques = pd.factorize(city, use_na_sentinel=True)
    labels = np.asarray(pd.Index(uniques).astype(str), dtype=object)
    order = np.argsort(labels, kind="stable")
    rank_of = np.empty(len(order), dtype=np.int64)
    rank_of[order] = np.arange(len(order))
    codes = np.where(codes < 0, -1, rank_of[np.where(codes < 0, 0, codes)]) if len(order) else codes
    labels = pd.Index(labels[order], name="city", dtype=object)
    bad = [label for label in labels if not (len(label) == 8 and label.isascii() and label.isdigit())]
    if (codes < 0).any():
        bad.insert(0, "(empty)")
    if bad:
        raise ScoringError(
            f"city must be an 8-digit AGS such as 05113000; not an AGS: {listing(bad)} "
            "(resolve city names with the city register before scoring)"
        )
    return codes, labels


def _parameter_columns(parameter: pd.Series, plan: Plan) -> np.ndarray:
    codes, uniques = pd.factorize(parameter, use_na_sentinel=True)
    lookup = plan.parameter_index.get_indexer(pd.Index(uniques).astype(str))
    if (lookup < 0).any() or (codes < 0).any():
        unknown = [str(u) for u, k in zip(uniques, lookup) if k < 0]
        hints = [f"{u} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(u, plan.codes, n=1)) else u for u in unknown]
        raise ScoringError(f"data names parameters the methodology does not define: {listing(hints or ['(empty)'])}")
    return lookup[codes]


def _check_duplicates(flat: np.ndarray, cities: pd.Index, plan: Plan) -> None:
    dup = np.flatnonzero(np.bincount(flat, minlength=len(cities) * len(plan.codes)) > 1)
    if dup.size:
        pairs = [f"{cities[k // len(plan.codes)]}/{plan.codes[k % len(plan.codes)]}" for k in dup[:_SHOWN]]
        more = f" and {dup.size - _SHOWN} more" if dup.size > _SHOWN else ""
        raise ScoringError(f"more than one value for the same city and parameter: {', '.join(pairs)}{more}")


MISSING_TEXT = ("", "nan", "none", "<na>", "null")
_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return np.nan


def _read_answer(plan: Plan, column: int, raw: object) -> float:
    """Points of one graded answer (text or one of the point values); NaN for an empty value."""
    if raw is None or (isinstance(raw, (float, np.floating)) and np.isnan(raw)):
        return np.nan
    if isinstance(raw, (bool, np.bool_)):
        raw = float(raw)
    answers = plan.answers[column]
    if isinstance(raw, (float, np.floating)):  # numeric column: the points themselves
        if float(raw) in plan.point_values[column]:
            return float(raw)
        text = f"{raw:g}"
    else:
        text = str(raw).strip().lower()
    if text in MISSING_TEXT:
        return np.nan
    if text in answers:
        return answers[text]
    if (number := _number(text)) in plan.point_values[column]:
        return number
    raise ValueError(f"is not one of the answers {', '.join(plan.parameters[column].answers or {})}")


@dataclass(frozen=True)
class _Values:
    """Each row's value read three ways, computed once per distinct value."""

    numbers: np.ndarray  # the value as a number, NaN if it is not one
    missing: np.ndarray  # empty value
    yes: np.ndarray
    no: np.ndarray
    codes: np.ndarray | None  # distinct-value code per row (None: read ``numbers``)
    distinct: list | None  # distinct raw values; the last one stands for a missing value

    def raw(self, row: int) -> object:
        return self.numbers[row] if self.codes is None else self.distinct[self.codes[row]]

    def distinct_codes(self, rows: np.ndarray) -> tuple[np.ndarray, list]:
        """(code per row of ``rows``, distinct values + a final None for missing)."""
        if self.codes is not None:
            return self.codes[rows], self.distinct
        codes, uniques = pd.factorize(self.numbers[rows], use_na_sentinel=True)
        return np.where(codes < 0, len(uniques), codes), [*uniques, None]


def _read_values(values: pd.Series) -> _Values:
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        return _Values(numbers, np.isnan(numbers), numbers == 1, numbers == 0, None, None)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = np.asarray(uniques, dtype=object)
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        numbers, missing, yes, no = _read_text(pa.array(uniques, type=pa.string()))  # all text: stay in arrow
    else:
        numbers, missing, yes, no = _read_distinct(distinct)
    codes = np.where(codes < 0, len(distinct), codes)  # the appended slot: a missing value
    pick = lambda flags, last: np.append(flags, last)[codes]  # noqa: E731
    return _Values(pick(numbers, np.nan), pick(missing, True), pick(yes, False), pick(no, False), codes, [*distinct, None])


def _read_distinct(distinct: np.ndarray) -> tuple[np.ndarray, ...]:
    """Number, missing, yes and no flags of each distinct raw value. Text is trimmed and
    lower-cased (with pyarrow's vectorised string kernels); Python numbers are numbers;
    booleans count as the text true/false."""
    is_number = np.fromiter(
        (isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_)) for x in distinct),
        dtype=bool, count=len(distinct),
    )
    numbers = np.full(len(distinct), np.nan)
    missing = np.zeros(len(distinct), dtype=bool)
    yes, no = missing.copy(), missing.copy()
    if is_number.any():
        numbers[is_number] = distinct[is_number].astype(float)
        missing[is_number] = np.isnan(numbers[is_number])
    if not is_number.all():
        texts = _read_text(pa.array([str(x) for x in distinct[~is_number]], type=pa.string()))
        for target, part in zip((numbers, missing, yes, no), texts):
            target[~is_number] = part
    yes |= numbers == 1
    no |= numbers == 0
    return numbers, missing, yes, no


def _read_text(texts: pa.Array) -> tuple[np.ndarray, ...]:
    """Number, missing, yes and no flags of distinct texts (trimmed, lower-cased)."""
    text = pc.utf8_lower(pc.utf8_trim_whitespace(texts))
    parsed = pc.cast(pc.if_else(pc.match_substring_regex(text, _NUMBER), text, pa.scalar("nan")), pa.float64())
    numbers = parsed.to_numpy(zero_copy_only=False).astype(float)
    flags = [
        pc.is_in(text, value_set=pa.array(sorted(group), type=pa.string())).to_numpy(zero_copy_only=False).astype(bool)
        for group in (MISSING_TEXT, YES, NO)
    ]
    return (numbers, *flags)


def _show(raw: object) -> str:
    return repr(f"{raw:g}" if isinstance(raw, (float, np.floating)) else str(raw))


def _refuse(rows: np.ndarray, bad: np.ndarray, read: _Values, columns: np.ndarray, city: pd.Series, plan: Plan, why: str) -> None:
    """Stop at the first of ``rows`` flagged ``bad``, naming city, parameter and value."""
    if bad.any():
        first = int(rows[int(np.argmax(bad))])
        raw = read.raw(first)
        raise ScoringError(f"city {city.iloc[first]}, parameter {plan.codes[columns[first]]}: value {_show(raw)} {why}")


def _parse_values(values: pd.Series, columns: np.ndarray, city: pd.Series, plan: Plan) -> np.ndarray:
    """Numbers (points for answers) per row, NaN for missing values; vectorised by kind."""
    read = _read_values(values)
    kinds = plan.kinds[columns]
    out = np.full(len(values), np.nan)
    # numeric: the number itself
    rows = np.flatnonzero(kinds == KIND_CODES["numeric"])
    numbers = read.numbers[rows]
    _refuse(rows, np.isnan(numbers) & ~read.missing[rows], read, columns, city, plan, "is not a number")
    out[rows] = numbers
    # binary: yes → the parameter's points, no → 0
    rows = np.flatnonzero(kinds == KIND_CODES["binary"])
    yes, no = read.yes[rows], read.no[rows]
    _refuse(rows, ~(yes | no | read.missing[rows]), read, columns, city, plan,
            "is not a yes/no answer (yes, no, ja, nein, true, false, 1, 0)")
    out[rows] = np.where(yes, plan.yes_points[columns[rows]], np.where(no, 0.0, np.nan))
    # points: each distinct (parameter, answer) pair is read once
    rows = np.flatnonzero(kinds == KIND_CODES["points"])
    if rows.size:
        out[rows] = _parse_graded(read, columns, rows, city, plan)
    return out


def _parse_graded(read: _Values, columns: np.ndarray, rows: np.ndarray, city: pd.Series, plan: Plan) -> np.ndarray:
    codes, distinct = read.distinct_codes(rows)
    width = len(distinct)
    pair_codes, pairs = pd.factorize(columns[rows].astype(np.int64) * width + codes)
    parsed = np.empty(len(pairs))
    for k, (column, value_code) in enumerate(zip(*np.divmod(pairs, width))):
        raw = distinct[value_code]
        if read.codes is None and (raw is None or raw in plan.point_values[column] or np.isnan(raw)):
            parsed[k] = np.nan if raw is None else raw  # numeric column: the points themselves
            continue
        try:
            parsed[k] = _read_answer(plan, int(column), raw)
        except ValueError as exc:
            first = rows[int(np.argmax(pair_codes == k))]
            raise ScoringError(f"city {city.iloc[first]}, parameter {plan.codes[column]}: value {_show(raw)} {exc}") from None
    return parsed[pair_codes]


def screen(data: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Wide table city (sorted AGS) × parameter (methodology order) of numbers; NaN = missing."""
    _check_columns(data)
    if data.empty:
        raise ScoringError("data has no data points; give at least one row (city, parameter, value)")
    city_codes, cities = _factorize_cities(data["city"])
    columns = _parameter_columns(data["parameter"], plan)
    flat = city_codes.astype(np.int64) * len(plan.codes) + columns
    _check_duplicates(flat, cities, plan)
    table = np.full(len(cities) * len(plan.codes), np.nan)
    table[flat] = _parse_values(data["value"], columns, data["city"], plan)
    table = table.reshape(len(cities), len(plan.codes))
    table.flags.writeable = False  # a Result's tables are read-only
    return pd.DataFrame(table, index=cities, columns=plan.parameter_index, copy=False)
