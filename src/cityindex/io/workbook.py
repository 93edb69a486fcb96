"""Reading an Excel workbook: template area sheets (wide) or sheets holding a long table.

The result is the raw string frame of :mod:`cityindex.io.validate` with sheet, row and cell
column of every value, so that the report points at the exact cell.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from cityindex.io import issues as iss
from cityindex.io.issues import Report
from cityindex.io.template import LABEL_ROW_MARK, README, SOURCE_SUFFIX
from cityindex.io.validate import canonical_header, cell_text


def read_workbook_raw(path: Path, *, report: Report, methodology: Any = None) -> pd.DataFrame | None:
    """All data sheets of a workbook → one raw long frame (None if the file is unreadable)."""
    file = path.name
    try:
        sheets = _read_sheets(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        report.add(iss.UnreadableFile, file=file, note=f"not an Excel .xlsx workbook ({type(exc).__name__})")
        return None
    frames = [_sheet(title, formulas, values, merged, file=file, report=report)
              for title, (formulas, values, merged) in sheets.items() if title != README]
    frames = [f for f in frames if f is not None]
    if not frames:
        report.add(iss.EmptyFile, file=file, note="no sheet holds data points")
        return None
    return pd.concat(frames, ignore_index=True)


def _read_sheets(path: Path) -> dict[str, tuple[list[tuple] | None, list[tuple], list[str]]]:
    """Per sheet: (cells as written — only when the workbook has formulas —, saved values, merged ranges).

    Read-only mode keeps large workbooks fast; the values Excel saved for formulas are read in
    a second pass only when the workbook has formulas.
    """
    written = _rows(path, data_only=False)
    has_formulas = any(kind == "f" for rows, _ in written.values() for row in rows for _, kind in row)
    saved = _rows(path, data_only=True) if has_formulas else None
    merged = _merged_ranges(path, {title: part for title, (_, part) in written.items()})
    out = {}
    for title, (rows, _) in written.items():
        plain = [tuple(v for v, _ in row) for row in rows]
        if saved is None:
            out[title] = (None, plain, merged.get(title, []))
        else:
            out[title] = (plain, [tuple(v for v, _ in row) for row in saved[title][0]], merged.get(title, []))
    return out


def _rows(path: Path, *, data_only: bool) -> dict[str, tuple[list[list[tuple]], str]]:
    workbook = load_workbook(path, read_only=True, data_only=data_only)
    try:
        out = {}
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            rows = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
            out[sheet.title] = (rows, getattr(sheet, "_worksheet_path", ""))
        return out
    finally:
        workbook.close()


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_ranges(path: Path, parts: dict[str, str]) -> dict[str, list[str]]:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        return {title: [m.decode() for m in _MERGE.findall(archive.read(part))]
                for title, part in parts.items() if part in names}


def _sheet(title: str, formulas, values, merged: list[str], *, file: str, report: Report) -> pd.DataFrame | None:
    cells = _cells(title, formulas, values, file=file, report=report)
    if not cells or not any(v != "" for row in cells for v in row):
        report.add(iss.EmptySheet, file=file, sheet=title)
        return None
    _merged(title, merged, file=file, report=report)
    header = [str(v).strip() for v in cells[0]]
    lowered = {h.lower() for h in header}
    if {"parameter", "value"} <= lowered and lowered & {"city", "ags"}:
        return _long(cells, header, title, file=file, report=report)
    if len(header) > 1 and header[0].lower() == "ags" and header[1].lower() == "city":
        return _wide(cells, header, title)
    report.add(iss.UnknownSheet, file=file, sheet=title, row=1)
    return None


def _cells(title: str, formulas, values, *, file: str, report: Report) -> list[list[str]]:
    """Every cell as text; formulas give their saved value (reported) or an error."""
    if formulas is None:
        return [[_text(v) for v in row] for row in values]
    out = []
    for number, (f_row, v_row) in enumerate(zip(formulas, values), start=1):
        row = []
        for index, (written, value) in enumerate(zip(f_row, v_row)):
            if isinstance(written, str) and written.startswith("=") and written != value:
                letter = get_column_letter(index + 1)
                if value is None:
                    report.add(iss.FormulaWithoutValue, file=file, sheet=title, row=number, column=letter,
                               formula=written)
                else:
                    report.add(iss.FormulaCachedValue, file=file, sheet=title, row=number, column=letter,
                               formula=written, value=value)
            row.append(_text(value))
        out.append(row)
    return out


def _text(value: Any) -> str:
    """A cell as text; Excel's TRUE/FALSE read as ja/nein."""
    return cell_text(value, booleans=("ja", "nein")).strip()


def _merged(title: str, ranges: list[str], *, file: str, report: Report) -> None:
    for coord in ranges:
        merged = CellRange(coord)
        if merged.max_row >= 2:
            report.add(iss.MergedCells, file=file, sheet=title, row=merged.min_row,
                       column=get_column_letter(merged.min_col), range=coord)


def _wide(cells: list[list[str]], header: list[str], title: str) -> pd.DataFrame:
    first = 3 if len(cells) > 1 and cells[1] and cells[1][0] == LABEL_ROW_MARK else 2
    columns = {h: i for i, h in enumerate(header) if h}
    records = []
    for number, row in enumerate(cells[first - 1:], start=first):
        row = row + [""] * (len(header) - len(row))
        city = row[0] or row[columns.get("city", 0)]
        for code, index in columns.items():
            if index < 2 or code.endswith(SOURCE_SUFFIX) or row[index] == "":
                continue
            source = row[columns[code + SOURCE_SUFFIX]] if code + SOURCE_SUFFIX in columns else ""
            url = source if source.lower().startswith(("http://", "https://")) else ""
            letter = get_column_letter(index + 1)
            records.append({"city": city, "parameter": code, "value": row[index], "source_url": url,
                            "source_name": "" if url else source, "_sheet": title, "_row": number,
                            "_col_city": "A", "_col_parameter": f"{letter} ({code})",
                            "_col_value": f"{letter} ({code})",
                            "_col_source_url": get_column_letter(columns.get(code + SOURCE_SUFFIX, index) + 1)})
    return pd.DataFrame(records)


def _long(cells, header, title, *, file: str, report: Report) -> pd.DataFrame | None:
    names = canonical_header(header, file=file, report=report, sheet=title)
    if None in [n for n in names if n in ("city", "parameter", "value")]:
        return None
    records = []
    for number, row in enumerate(cells[1:], start=2):
        record = {name: row[i] if i < len(row) else "" for i, name in enumerate(names) if name}
        records.append({**record, "_sheet": title, "_row": number,
                        **{f"_col_{n}": get_column_letter(i + 1) for i, n in enumerate(names) if n}})
    return pd.DataFrame(records)
