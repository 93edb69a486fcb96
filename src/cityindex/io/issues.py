"""Data problems found while reading or importing a file, and the Report that collects them.

Every problem is a small class with a kebab-case ``code``, a ``title``, a ``description``
(used for the generated catalogue in docs/issues.md) and two templates: the ``template``
for the message and the ``hint`` telling the user how to fix it. Readers *collect* issues
in a :class:`Report`; they never raise one by one. ``report.valid`` is false as soon as one
issue of level ``error`` is present.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar

ISSUES: dict[str, type["Issue"]] = {}


@dataclass
class Issue:
    """One problem at one place of a data file."""

    code: ClassVar[str] = "issue"
    title: ClassVar[str] = "Problem"
    description: ClassVar[str] = "A problem in the data file."
    template: ClassVar[str] = "{note}"
    hint: ClassVar[str] = ""
    level: ClassVar[str] = "error"

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        ISSUES[cls.code] = cls

    @property
    def message(self) -> str:
        return self.template.format_map(_Blank(self.details))

    @property
    def fix(self) -> str:
        return self.hint.format_map(_Blank(self.details))

    @property
    def where(self) -> str:
        parts = [self.file or "", f"sheet {self.sheet!r}" if self.sheet else ""]
        parts += [f"row {self.row}" if self.row else "", f"column {self.column!r}" if self.column else ""]
        return ", ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "level": self.level, "file": self.file, "sheet": self.sheet,
            "row": self.row, "column": self.column, "message": self.message, "fix": self.fix,
        }

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} Fix: {self.fix}" if self.fix else text


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


@dataclass
class Report:
    """The outcome of reading or importing one file: issues plus statistics."""

    issues: list[Issue] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level != "error"]

    def add(self, issue_class: type[Issue], *, file=None, sheet=None, row=None, column=None,
            **details: Any) -> Issue:
        issue = issue_class(file=file, sheet=sheet, row=row, column=column, details=details)
        self.issues.append(issue)
        return issue

    def extend(self, other: "Report") -> None:
        self.issues.extend(other.issues)

    def flatten(self, keys: list[str] | tuple[str, ...] = ("row", "column", "code")) -> list[list]:
        """Issues as lists of the given keys, e.g. ``[[3, "value", "not-a-number"]]``."""
        return [[issue.to_dict()[key] for key in keys] for issue in self.issues]

    def counts(self) -> dict[str, int]:
        return dict(Counter(issue.code for issue in self.issues))

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "stats": self.stats, "counts": self.counts(),
                "issues": [issue.to_dict() for issue in self.issues]}

    def summary(self, limit: int | None = None) -> str:
        """All errors (then warnings) as lines, for exception messages and the CLI."""
        lines = [str(issue) for issue in self.errors + self.warnings]
        if limit is not None and len(lines) > limit:
            lines = lines[:limit] + [f"… and {len(lines) - limit} more problems"]
        return "\n".join(lines)


# --- file-level problems -------------------------------------------------------------------

class EncodingError(Issue):
    code = "encoding-error"
    title = "Unreadable text encoding"
    description = "The file is neither UTF-8 (with or without BOM) nor Windows-1252 (cp1252) text."
    template = "The file cannot be decoded as UTF-8 or cp1252 ({note})."
    hint = "Save the file as 'CSV UTF-8' (Excel: Save as → CSV UTF-8) and import it again."


class DecodedAsCp1252(Issue):
    code = "decoded-as-cp1252"
    title = "Read as Windows-1252"
    description = "The file is not UTF-8 and was read as Windows-1252 (cp1252), Excel's legacy encoding."
    template = "The file is not UTF-8; it was read as Windows-1252 (cp1252)."
    hint = "Check umlauts in names and notes; prefer saving as 'CSV UTF-8'."
    level = "warning"


class EmptyFile(Issue):
    code = "empty-file"
    title = "Empty file"
    description = "The file holds no header row or no data rows."
    template = "The file holds no data ({note})."
    hint = "Add a header row `city,parameter,value` and one row per data point."


class MissingFile(Issue):
    code = "missing-file"
    title = "File does not exist"
    description = "No file exists at the given path."
    template = "The file {note} does not exist."
    hint = "Check the path and the file name (a relative path starts in the current folder)."


class UnreadableFile(Issue):
    code = "unreadable-file"
    title = "Unreadable file"
    description = "The file cannot be parsed as CSV or as an Excel workbook."
    template = "The file cannot be read: {note}."
    hint = "Export the data again as .csv or .xlsx from the spreadsheet program."


class MissingColumn(Issue):
    code = "missing-column"
    title = "Required column missing"
    description = "A required column (city, parameter, value) is absent from the header row."
    template = "Required column {name!r} is missing; found {found}."
    hint = "Name the columns city, parameter, value (optional: unit, source_url, source_name, retrieved, note)."


class UnknownColumn(Issue):
    code = "unknown-column"
    title = "Unknown column"
    description = "A column of the header row is not used by cityindex and is ignored."
    template = "Column {name!r} is not known and is ignored."
    hint = "Known columns: {known}."
    level = "warning"


class DuplicateColumn(Issue):
    code = "duplicate-column"
    title = "Column twice"
    description = "The header row names the same column twice."
    template = "Column {name!r} appears more than once."
    hint = "Delete or rename one of the columns."


class RaggedRow(Issue):
    code = "ragged-row"
    title = "Row with extra cells"
    description = "A row holds more cells than the header row has columns (often an unquoted separator)."
    template = "The row has {count} cells but the header has {expected}."
    hint = "Quote text containing the separator {sep!r}, e.g. \"Musterstadt{sep} Amt\"."


# --- workbook problems -------------------------------------------------------------------

class EmptySheet(Issue):
    code = "empty-sheet"
    title = "Empty sheet"
    description = "A sheet of the workbook holds no data and is skipped."
    template = "The sheet holds no data and is skipped."
    hint = "Nothing to do if the sheet is meant to be empty."
    level = "warning"


class MergedCells(Issue):
    code = "merged-cells"
    title = "Merged cells"
    description = "Cells in the data area are merged; only the first cell of a merged range carries a value."
    template = "Cells {range} are merged."
    hint = "Unmerge the cells (Excel: Start → Merge & Center off) and enter the value in every cell."


class UnknownSheet(Issue):
    code = "unknown-sheet"
    title = "Unknown sheet"
    description = "A sheet is neither an area sheet of the template nor a long table; it is skipped."
    template = "The sheet holds no data points (row 1 must start with ags, city or hold city, parameter, value)."
    hint = "Use the sheets of `cityindex template`, or a sheet with columns city, parameter, value."
    level = "warning"


class FormulaWithoutValue(Issue):
    code = "formula-without-value"
    title = "Formula without a saved value"
    description = "A cell holds a formula whose computed value was never saved (file written by a program, not Excel)."
    template = "The cell holds the formula {formula!r} but no computed value."
    hint = "Open and save the workbook in Excel or LibreOffice, or replace the formula by its value."


class FormulaCachedValue(Issue):
    code = "formula-cached-value"
    title = "Formula: saved value used"
    description = "A cell holds a formula; the value Excel computed and saved is imported."
    template = "The cell holds the formula {formula!r}; its saved value {value!r} is used."
    hint = "Replace formulas by values to make the source of the number explicit."
    level = "warning"


# --- row and value problems ----------------------------------------------------------------

class MissingValue(Issue):
    code = "missing-value"
    title = "Empty required cell"
    description = "A row of the long file lacks its city, parameter or value."
    template = "The {name} cell is empty."
    hint = "Fill in the {name}, or delete the row if the data point is unknown."


class UnknownCity(Issue):
    code = "unknown-city"
    title = "Unknown city"
    description = "The city is neither an AGS nor a name or alias of the city register."
    template = "{value!r} is not a known city. {note}"
    hint = "Use the 8-digit AGS or the city name from `cityindex cities`."


class UnknownParameter(Issue):
    code = "unknown-parameter"
    title = "Unknown parameter"
    description = "The parameter code is not part of the edition's methodology."
    template = "{value!r} is not a parameter of the methodology.{suggestion}"
    hint = "Use a parameter code from the methodology (see the template's README sheet)."


class NotANumber(Issue):
    code = "not-a-number"
    title = "Not a number"
    description = "A numeric parameter holds text that is not a number."
    template = "{value!r} is not a number."
    hint = "Enter a plain number such as 12.5 or 12,5 (no units or text in the cell)."


class AmbiguousNumber(Issue):
    code = "ambiguous-number"
    title = "Badly grouped number"
    description = "A number uses separators that fit neither the file's decimal mark nor thousands grouping."
    template = "{value!r} cannot be read with decimal mark {decimal!r}."
    hint = "Write the number without thousands separators, e.g. 1234{decimal}5."


class OutOfRange(Issue):
    code = "out-of-range"
    title = "Value out of range"
    description = "A number lies outside the parameter's minimum and maximum."
    template = "{value} is outside the allowed range {low} … {high}."
    hint = "Check the value and its unit; the methodology allows {low} … {high}."


class AnswerNotAllowed(Issue):
    code = "answer-not-allowed"
    title = "Answer not allowed"
    description = "A binary or points parameter holds an answer that the methodology does not list."
    template = "{value!r} is not an allowed answer."
    hint = "Allowed answers: {allowed}."


class UnitMismatch(Issue):
    code = "unit-mismatch"
    title = "Unit mismatch"
    description = "The row's unit differs from the unit that the methodology defines for the parameter."
    template = "Unit {value!r} differs from the methodology's unit {expected!r}."
    hint = "Convert the value to {expected!r} and write that unit (or leave the unit cell empty)."


class DuplicateDataPoint(Issue):
    code = "duplicate-data-point"
    title = "Duplicate data point"
    description = "The same city and parameter appear more than once in the file."
    template = "{city} / {parameter} appears again (first in {first})."
    hint = "Keep one row per city and parameter."


class MissingSource(Issue):
    code = "missing-source"
    title = "Value without source"
    description = "The methodology requires a source for the parameter but the row names none."
    template = "The value has no source, but the methodology requires one for {parameter!r}."
    hint = "Fill in source_url or source_name."


class BadDate(Issue):
    code = "bad-date"
    title = "Unreadable date"
    description = "The retrieval date is not a date."
    template = "{value!r} is not a date."
    hint = "Write the date as YYYY-MM-DD (2026-03-31) or DD.MM.YYYY (31.03.2026)."


class BadUrl(Issue):
    code = "bad-url"
    title = "Not a web address"
    description = "The source URL does not start with http:// or https://."
    template = "{value!r} is not a web address."
    hint = "Write the full address starting with https://."


class TooLong(Issue):
    code = "too-long"
    title = "Text too long"
    description = "A unit, licence or collector name is longer than the store keeps (PostgreSQL would refuse it)."
    template = "The {name} has {length} characters; at most {limit} are stored."
    hint = "Shorten the {name} to {limit} characters (long explanations belong in the note)."


class FormulaText(Issue):
    code = "formula-text"
    title = "Text looks like a formula"
    description = "A value cell starts with = (a spreadsheet formula written as text into a CSV file)."
    template = "{value!r} looks like a spreadsheet formula, not a value."
    hint = "Enter the computed value instead of the formula."


class EmptyValue(Issue):
    code = "empty-value"
    title = "Row without value"
    description = "A row names city and parameter but no value; it is skipped (an unknown stays unknown)."
    template = "The value cell is empty; the row is skipped."
    hint = "Fill in the value, or delete the row."
    level = "warning"


# --- the catalogue in docs/issues.md ---------------------------------------------------------

def issue_catalogue() -> str:
    """docs/issues.md, generated from the classes above (`python -m cityindex.io.issues`)."""
    lines = ["# Issue catalogue", "",
             "Every problem that reading or importing a data file can report. Generated from the issue",
             "classes in `src/cityindex/io/issues.py` by `python -m cityindex.io.issues > docs/issues.md`;",
             "a test fails when this page and the classes differ. An **error** stops the import (nothing",
             "is written); a **warning** is shown and the import goes on.", "",
             "| code | level | title | description | fix |", "|---|---|---|---|---|"]
    for code in sorted(ISSUES):
        cls = ISSUES[code]
        fix = cls.hint.replace("{", "‹").replace("}", "›").replace("|", "\\|")
        lines.append(f"| `{code}` | {cls.level} | {cls.title} | {cls.description} | {fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(issue_catalogue(), end="")
