"""Validating long data: raw string cells → typed data points plus a Report.

Both readers (long CSV and collection workbook) produce a *raw* frame of strings with the
canonical columns below plus location columns (``_sheet``, ``_row`` and, per field,
``_col_<field>`` naming the column as the user sees it). :func:`validate_long` turns it into
the long data frame of the shared vocabulary, collecting every problem in the report.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cityindex.floats import number_text
from cityindex.io import issues as iss
from cityindex.io.issues import Report
from cityindex.io.text import detect_decimal, parse_dates, parse_numbers

REQUIRED = ("city", "parameter", "value")
OPTIONAL = ("unit", "source_url", "source_name", "retrieved", "note", "licence", "collected_by")
FIELDS = REQUIRED + OPTIONAL
ALIASES = {
    "ags": "city", "stadt": "city", "city_ags": "city", "code": "parameter", "parameter_code": "parameter",
    "wert": "value", "einheit": "unit", "url": "source_url", "quelle_url": "source_url",
    "source": "source_name", "quelle": "source_name", "as_of": "retrieved", "stand": "retrieved",
    "abgerufen": "retrieved", "retrieved_at": "retrieved", "notiz": "note", "bemerkung": "note",
    "license": "licence", "lizenz": "licence", "collector": "collected_by", "erhoben_von": "collected_by",
    # known columns that are not imported (written by templates and exports); "" = ignore silently
    "city_name": "", "parameter_name": "", "review_status": "", "revision": "", "updated_at": "",
}
#: Longest text the store keeps per field (the column lengths of ``cityindex.store.models.DataPoint``).
MAX_LENGTH = {"unit": 40, "licence": 100, "collected_by": 100}
YES = {"ja", "yes", "y", "j", "true", "wahr", "x", "1", "1.0", "1,0"}
NO = {"nein", "no", "n", "false", "falsch", "0", "0.0", "0,0"}


@dataclass(frozen=True)
class ParamSpec:
    """What the validator needs to know about one parameter of a methodology."""

    code: str
    kind: str = "numeric"
    answers: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str | None = None
    source_required: bool = False


def param_specs(methodology: Any) -> dict[str, ParamSpec]:
    """The parameters of a methodology (indicator and bonus parameters), keyed by code."""
    return {code: _spec(p) for code, p in methodology.parameters.items()}


def _spec(p: Any) -> ParamSpec:
    answers = tuple(str(a) for a in (p.answers or {})) if p.kind == "points" else ()
    limits = p.valid_range
    return ParamSpec(code=p.code, kind=p.kind, answers=answers,
                     minimum=limits.min if limits else None, maximum=limits.max if limits else None,
                     unit=p.unit or None, source_required=bool(p.source_required))


def cell_text(value: Any, *, booleans: tuple[str, str] = ("1", "0")) -> str:
    """One cell (from a workbook or a typed frame) as the raw text the validator reads.

    Empty (None, NaN, NaT, pd.NA of nullable columns) → ``""``; numbers as the shortest text that reads back to the same float; dates as ISO
    dates; ``booleans`` are the texts for true and false (both are valid binary answers).
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return booleans[0] if value else booleans[1]
    if isinstance(value, (int, float)):
        return number_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


# --- header --------------------------------------------------------------------------------

def canonical_header(header: list[str], *, file: str, report: Report, sheet: str | None = None) -> list[str | None]:
    """Map header cells to canonical field names (``None`` = ignored column)."""
    names = [_canonical(h) for h in header]
    if "ags" in [h.strip().lower() for h in header] and names.count("city") > 1:
        names = [None if (n == "city" and h.strip().lower() != "ags") else n for n, h in zip(names, header)]
    seen: set[str] = set()
    out: list[str | None] = []
    for raw, name in zip(header, names):
        if name is None and raw.strip() and _canonical(raw) is None and _canonical_key(raw) not in ALIASES:
            report.add(iss.UnknownColumn, file=file, sheet=sheet, row=1, column=raw, name=raw,
                       known=", ".join(FIELDS))
        elif name in seen:
            report.add(iss.DuplicateColumn, file=file, sheet=sheet, row=1, column=raw, name=raw)
            name = None
        if name:
            seen.add(name)
        out.append(name)
    for name in REQUIRED:
        if name not in out:
            report.add(iss.MissingColumn, file=file, sheet=sheet, row=1, name=name,
                       found=", ".join(h for h in header if h) or "no column names")
    return out


def _canonical_key(cell: str) -> str:
    return cell.strip().lower().replace(" ", "_").replace("-", "_")


def _canonical(cell: str) -> str | None:
    key = _canonical_key(cell)
    if key in FIELDS:
        return key
    return ALIASES.get(key) or None


# --- the validator -------------------------------------------------------------------------

def validate_long(raw: pd.DataFrame, *, file: str, report: Report, methodology: Any = None,
                  separator: str = ",", register: Any = None, decimal: str | None = None) -> pd.DataFrame:
    """Check every row of a raw long frame; return the valid data points (long data)."""
    raw = _complete(raw)
    specs = param_specs(methodology) if methodology is not None else None
    ctx = _Ctx(raw, file, report)
    raw = _drop_blank(raw, ctx)
    city = _resolve_cities(raw, ctx, register)
    parameter = _check_parameters(raw, ctx, specs)
    value = _parse_values(raw, ctx, specs, parameter, decimal or detect_decimal(raw["value"], separator=separator))
    retrieved = _check_provenance(raw, ctx, specs, parameter)
    _check_duplicates(raw, ctx, city, parameter)
    out = pd.DataFrame({"city": city, "parameter": parameter, "value": value, "unit": raw["unit"],
                        "source_url": raw["source_url"], "source_name": raw["source_name"],
                        "retrieved": retrieved, "note": raw["note"], "licence": raw["licence"],
                        "collected_by": raw["collected_by"]})
    keep = city.notna() & parameter.notna() & value.notna() & ~raw.index.isin(list(ctx.bad))
    report.stats.update(rows=len(raw), data_points=int(keep.sum()))
    return out[keep].reset_index(drop=True)


class _Ctx:
    """Adds issues at a row of the raw frame; location columns are looked up as plain dicts."""

    def __init__(self, raw: pd.DataFrame, file: str, report: Report):
        self.file, self.report = file, report
        self.bad: set = set()
        self.raw = raw

    @property
    def raw(self) -> pd.DataFrame:
        return self._raw

    @raw.setter
    def raw(self, raw: pd.DataFrame) -> None:
        self._raw = raw
        self._rows = dict(zip(raw.index, raw["_row"].tolist()))
        self._sheets = dict(zip(raw.index, raw["_sheet"].tolist()))
        self._columns: dict[str, dict] = {}

    def _column(self, index, field: str) -> str:
        label = f"_col_{field}"
        if label not in self._columns:
            values = self._raw[label].tolist() if label in self._raw.columns else [""] * len(self._raw)
            self._columns[label] = dict(zip(self._raw.index, values))
        return self._columns[label].get(index) or field

    def place(self, index) -> str:
        """Where a row is, for messages that point at another row: ``row 5 of sheet 'Mobilität'``."""
        sheet = self._sheets[index]
        return f"row {self._rows[index]}" + (f" of sheet {sheet!r}" if sheet else "")

    def add(self, issue: type[iss.Issue], index, field: str, **details) -> None:
        if issue.level == "error":
            self.bad.add(index)
        self.report.add(issue, file=self.file, sheet=self._sheets[index] or None, row=int(self._rows[index]),
                        column=self._column(index, field), **details)


def _complete(raw: pd.DataFrame) -> pd.DataFrame:
    raw = raw.copy()
    for name in FIELDS:
        raw[name] = (raw[name].fillna("").astype(str).str.strip()
                     .str.replace(r"^'(?=[=+\-@])", "", regex=True)) if name in raw else ""
    raw["_sheet"] = raw["_sheet"].fillna("") if "_sheet" in raw else ""
    if "_row" not in raw:
        raw["_row"] = np.arange(2, len(raw) + 2)
    return raw


def _drop_blank(raw: pd.DataFrame, ctx: _Ctx) -> pd.DataFrame:
    blank = (raw[list(FIELDS)] == "").all(axis=1)
    raw = raw[~blank]
    ctx.raw = raw
    for name in ("city", "parameter"):
        for index in raw.index[raw[name] == ""]:
            ctx.add(iss.MissingValue, index, name, name=name)
    for index in raw.index[(raw["value"] == "") & (raw["city"] != "") & (raw["parameter"] != "")]:
        ctx.add(iss.EmptyValue, index, "value")
    return raw


def _resolve_cities(raw: pd.DataFrame, ctx: _Ctx, register: Any) -> pd.Series:
    if register is None:
        from cityindex.cities import load_register
        register = load_register()
    lookup: dict[str, str | None] = {}
    for name in raw["city"].unique():
        if name:
            city = register.find(name) or (register.find(name.zfill(8)) if name.isdigit() else None)
            lookup[name] = city.ags if city else None
    for index in raw.index[raw["city"].map(lambda n: bool(n) and lookup.get(n) is None)]:
        name = raw.at[index, "city"]
        hints = register.suggestions(name)
        ctx.add(iss.UnknownCity, index, "city", value=name,
                note=f"Did you mean {', '.join(hints)}?" if hints else "")
    return raw["city"].map(lookup)


def _check_parameters(raw: pd.DataFrame, ctx: _Ctx, specs: dict | None) -> pd.Series:
    codes = raw["parameter"].where(raw["parameter"] != "")
    if specs is None:
        return codes
    known = codes.isin(list(specs))
    suggestions: dict[str, str] = {}
    unknown = codes[codes.notna() & ~known]
    for index, code in zip(unknown.index, unknown.tolist()):
        if code not in suggestions:
            close = difflib.get_close_matches(code, list(specs), n=3, cutoff=0.6)
            suggestions[code] = f" Did you mean {', '.join(close)}?" if close else ""
        ctx.add(iss.UnknownParameter, index, "parameter", value=code, suggestion=suggestions[code])
    return codes.where(known)


def _parse_values(raw: pd.DataFrame, ctx: _Ctx, specs: dict | None, parameter: pd.Series,
                  decimal: str) -> pd.Series:
    text = raw["value"]
    ctx.report.stats["decimal"] = decimal
    numbers, badly_grouped = parse_numbers(text, decimal=decimal)
    value = pd.Series(np.where(numbers.notna(), numbers.astype(object), text.where(text != "")),
                      index=raw.index, dtype=object)
    formula = text.str.startswith("=")
    for index in raw.index[formula]:
        ctx.add(iss.FormulaText, index, "value", value=text[index])
    for index in raw.index[badly_grouped]:
        ctx.add(iss.AmbiguousNumber, index, "value", value=text[index], decimal=decimal)
    bad = formula | badly_grouped
    if specs is not None:
        value, bad_kind = _typed(value, text, numbers, parameter, specs, ctx, reported=bad)
        bad |= bad_kind
    return value.where(~bad & (text != ""))


def _typed(value, text, numbers, parameter, specs, ctx, *, reported):
    """Apply the parameter kinds: binary → 1/0, points → the answer label, numeric → number in range."""
    kinds = parameter.map(lambda c: specs[c].kind if c in specs else None)
    lowered = text.str.lower()
    value = value.copy()
    bad = _binary(value, text, lowered, (kinds == "binary") & (text != ""), ctx)
    bad |= _points(value, text, lowered, parameter, (kinds == "points") & (text != ""), specs, ctx)
    numeric = (kinds == "numeric") & (text != "")
    not_numbers = numeric & numbers.isna() & ~reported
    for index in value.index[not_numbers]:
        ctx.add(iss.NotANumber, index, "value", value=text[index])
    bad |= not_numbers
    bad |= _check_ranges(numbers.where(kinds == "numeric"), parameter, specs, ctx)
    return value, bad


def _binary(value, text, lowered, binary, ctx) -> pd.Series:
    value[binary & lowered.isin(YES)] = 1.0
    value[binary & lowered.isin(NO)] = 0.0
    bad = binary & ~lowered.isin(YES | NO)
    for index in value.index[bad]:
        ctx.add(iss.AnswerNotAllowed, index, "value", value=text[index], allowed="ja/nein, yes/no, 1/0")
    return bad


def _points(value, text, lowered, parameter, points, specs, ctx) -> pd.Series:
    bad = pd.Series(False, index=value.index)
    if not points.any():
        return bad
    lookup = {(code, a.lower()): a for code, spec in specs.items() for a in spec.answers}
    keys = zip(parameter[points].tolist(), lowered[points].tolist())
    labels = pd.Series([lookup.get(k) for k in keys], index=value.index[points], dtype=object)
    value[labels.dropna().index] = labels.dropna()
    for index in labels.index[labels.isna()]:
        allowed = ", ".join(specs[parameter[index]].answers)
        ctx.add(iss.AnswerNotAllowed, index, "value", value=text[index], allowed=allowed)
        bad[index] = True
    return bad


def _check_ranges(numbers, parameter, specs, ctx) -> pd.Series:
    low = parameter.map(lambda c: specs[c].minimum if c in specs else None).astype(float)
    high = parameter.map(lambda c: specs[c].maximum if c in specs else None).astype(float)
    out = numbers.notna() & ((numbers < low.fillna(-np.inf)) | (numbers > high.fillna(np.inf)))
    for index in numbers.index[out]:
        ctx.add(iss.OutOfRange, index, "value", value=_fmt(numbers[index]), low=_fmt(low[index]),
                high=_fmt(high[index]))
    return out


def _fmt(number: float) -> str:
    return "…" if pd.isna(number) else f"{number:g}"


def _check_provenance(raw, ctx, specs, parameter) -> pd.Series:
    retrieved, bad_date = parse_dates(raw["retrieved"])
    for index in raw.index[bad_date]:
        ctx.add(iss.BadDate, index, "retrieved", value=raw.at[index, "retrieved"])
    url = raw["source_url"]
    for index in raw.index[(url != "") & ~url.str.match(r"https?://", case=False)]:
        ctx.add(iss.BadUrl, index, "source_url", value=url[index])
    for name, limit in MAX_LENGTH.items():
        lengths = raw[name].str.len()
        for index in raw.index[lengths > limit]:
            ctx.add(iss.TooLong, index, name, name=name, length=int(lengths[index]), limit=limit)
    if specs is not None:
        _check_units_and_sources(raw, ctx, specs, parameter)
    return retrieved


def _norm_unit(unit) -> str:
    return str(unit or "").replace(" ", "").casefold()


def _check_units_and_sources(raw, ctx, specs, parameter) -> None:
    expected = parameter.map(lambda c: specs[c].unit if c in specs else None)
    given = raw["unit"]
    mismatch = (given != "") & expected.notna() & (given.map(_norm_unit) != expected.map(_norm_unit))
    for index in raw.index[mismatch]:
        ctx.add(iss.UnitMismatch, index, "unit", value=given[index], expected=expected[index])
    required = parameter.map(lambda c: specs[c].source_required if c in specs else False).astype(bool)
    missing = required & (raw["value"] != "") & (raw["source_url"] == "") & (raw["source_name"] == "")
    for index in raw.index[missing]:
        ctx.add(iss.MissingSource, index, "source_url", parameter=parameter[index])


def _check_duplicates(raw, ctx, city, parameter) -> None:
    key = pd.DataFrame({"c": city, "p": parameter})
    complete = key.notna().all(axis=1)
    dup = complete & key.duplicated(keep="first")
    if not dup.any():
        return
    first = key[complete].drop_duplicates(keep="first")
    first_at = {(c, p): i for i, c, p in zip(first.index, first["c"].tolist(), first["p"].tolist())}
    names = dict(zip(raw.index, raw["city"].tolist()))
    for index, c, p in zip(key.index[dup], key["c"][dup].tolist(), key["p"][dup].tolist()):
        ctx.add(iss.DuplicateDataPoint, index, "parameter", city=names[index], parameter=p,
                first=ctx.place(first_at[(c, p)]))
