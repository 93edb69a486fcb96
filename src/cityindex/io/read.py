"""Reading a data file (long CSV or collection workbook) into data points plus a Report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from cityindex.errors import DataFileError
from cityindex.io import issues as iss
from cityindex.io.issues import Report
from cityindex.io.text import decode, parse_csv
from cityindex.io.validate import FIELDS, canonical_header, validate_long

COLUMNS = list(FIELDS)
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
OTHER_SPREADSHEETS = {".xls", ".ods", ".numbers"}


def read_datapoints(path: str | Path, *, methodology: Any = None, register: Any = None
                    ) -> tuple[pd.DataFrame, Report]:
    """Read a long CSV or a collection workbook; every problem goes into the report.

    The frame has the long-data columns ``city`` (AGS), ``parameter``, ``value`` (float or
    answer text), ``unit, source_url, source_name, retrieved, note, licence, collected_by``.
    Rows with an error are left out; check ``report.valid`` before using the frame.
    """
    path = Path(path)
    report = Report(stats={"file": path.name})
    if not path.exists():
        report.add(iss.MissingFile, file=path.name, note=str(path))
        return empty_frame(), report
    if not path.is_file():
        report.add(iss.UnreadableFile, file=path.name, note=f"{path} is a folder, not a file")
        return empty_frame(), report
    if path.suffix.lower() in OTHER_SPREADSHEETS:
        report.add(iss.UnreadableFile, file=path.name,
                   note=f"{path.suffix} files are not supported; save the file as .xlsx or as CSV UTF-8")
        return empty_frame(), report
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from cityindex.io.workbook import read_workbook_raw
        raw, separator = read_workbook_raw(path, report=report, methodology=methodology), ","
    else:
        raw, separator = read_csv_raw(path, report=report)
    if raw is None:
        return empty_frame(), report
    frame = validate_long(raw, file=path.name, report=report, methodology=methodology,
                          separator=separator, register=register)
    report.issues.sort(key=lambda i: (i.sheet or "", i.row or 0))
    return frame, report


def load_datapoints(path: str | Path, *, methodology: Any = None) -> pd.DataFrame:
    """Long data points of a file; raises DataFileError listing every problem at once."""
    frame, report = read_datapoints(path, methodology=methodology)
    if not report.valid:
        raise DataFileError(f"{Path(path).name}: {len(report.errors)} problem(s) — nothing was read.\n"
                            + report.summary(limit=200))
    return frame


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in COLUMNS})


def read_csv_raw(path: Path, *, report: Report) -> tuple[pd.DataFrame | None, str]:
    """A long CSV → raw frame of strings with location columns, or None if unreadable."""
    file = path.name
    text = decode(path.read_bytes(), file=file, report=report)
    if text is None:
        return None, ","
    header, rows, separator = parse_csv(text, file=file, report=report)
    report.stats["separator"] = separator
    if not header:
        return None, separator
    names = canonical_header(header, file=file, report=report)
    if not report.valid:
        return None, separator
    return _rows_frame(rows, names, header, file=file, report=report, separator=separator), separator


def _rows_frame(rows, names, header, *, file, report, separator) -> pd.DataFrame:
    width = len(names)
    ragged = {number for number, row in enumerate(rows, start=2)
              if len(row) > width and any(cell.strip() for cell in row[width:])}
    for number in sorted(ragged):
        report.add(iss.RaggedRow, file=file, row=number, count=len(rows[number - 2]), expected=width, sep=separator)
    fixed = [(row + [""] * width)[:width] for row in rows]
    frame = pd.DataFrame(fixed, columns=range(width), dtype=object) if fixed else \
        pd.DataFrame(columns=range(width), dtype=object)
    raw = pd.DataFrame({name: frame[i] for i, name in enumerate(names) if name})
    raw["_row"] = range(2, len(rows) + 2)
    raw["_sheet"] = ""
    for i, name in enumerate(names):
        if name:
            raw[f"_col_{name}"] = header[i]
    if not rows:
        report.add(iss.EmptyFile, file=file, note="header only, no data rows")
    return raw[~raw["_row"].isin(ragged)] if ragged else raw
