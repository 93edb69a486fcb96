"""The analysts' collection template: an Excel workbook (or long CSV) generated from a methodology.

Workbook layout: a README sheet, then one sheet per area. Row 1 of an area sheet holds the
machine-readable column keys that the importer reads (``ags``, ``city``, then per parameter
``<code>`` and ``<code>__source``), row 2 the German labels, and from row 3 one row per city.
Value cells carry Excel data validation: ja/nein for binary parameters, the allowed answers
for points parameters, a decimal range for numeric ones.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cityindex.io.output import writing

LABEL_ROW_MARK = "AGS (Amtlicher Gemeindeschlüssel)"
SOURCE_SUFFIX = "__source"
README = "README"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def sheet_title(area: Any) -> str:
    """Excel sheet name of an area: its German name without []:*?/\\, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", area.name_de)[:31]


def area_parameters(area: Any) -> list[Any]:
    params = [p for indicator in area.indicators for p in indicator.parameters]
    return params + (list(area.bonus.parameters) if getattr(area, "bonus", None) else [])


def write_template(methodology: Any, out: str | Path, *, edition: str, cities: Iterable[Any] | None = None,
                   format: str = "xlsx") -> Path:
    """Write the collection template for ``edition`` to ``out`` (xlsx workbook or long csv)."""
    from cityindex.cities import load_register

    out = Path(out)
    cities = list(cities if cities is not None else load_register())
    with writing(out, expected=f"a .{format} file name"):
        out.parent.mkdir(parents=True, exist_ok=True)
        if format == "csv":
            _write_csv(methodology, out, cities)
        else:
            _write_xlsx(methodology, out, cities, edition=edition)
    return out


def _write_csv(methodology: Any, out: Path, cities: list) -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city", "city_name", "parameter", "parameter_name", "value", "unit", "source_url",
                         "source_name", "retrieved", "note"])
        for city in cities:
            for area in methodology.areas:
                for p in area_parameters(area):
                    writer.writerow([city.ags, city.name, p.code, p.name_de, "", p.unit, "", "", "", ""])


def _write_xlsx(methodology: Any, out: Path, cities: list, *, edition: str) -> None:
    workbook = Workbook()
    _readme(workbook.active, methodology, edition=edition)
    for area in methodology.areas:
        _area_sheet(workbook.create_sheet(sheet_title(area)), area, cities)
    workbook.save(out)


def _readme(sheet, methodology: Any, *, edition: str) -> None:
    sheet.title = README
    lines = [
        [f"Erhebung {methodology.title} — Edition {edition}"],
        [f"Methodik-Version {methodology.version}, Hash {methodology.hash}"],
        [],
        ["So füllen Sie die Vorlage aus / How to fill in this template:"],
        ["• Ein Blatt je Bereich, eine Zeile je Stadt. Zeile 1 enthält Spaltenschlüssel — bitte nicht ändern."],
        ["• Wert-Spalte: ja/nein (binär), eine der erlaubten Antworten (Punkte) oder eine Zahl (numerisch)."],
        ["• Quelle-Spalte (<code>__source): Web-Adresse (https://…) oder Name der Quelle."],
        ["• Leere Zellen bedeuten „unbekannt“ und werden nicht importiert."],
        ["• Import: cityindex import DATEI.xlsx --edition " + edition],
        [],
        ["sheet", "column", "parameter", "name_de", "name_en", "kind", "unit", "allowed", "source required"],
    ]
    for line in lines:
        sheet.append(line)
    for area in methodology.areas:
        _readme_rows(sheet, area)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[len(lines)]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["D"].width = 48


def _readme_rows(sheet, area: Any) -> None:
    for offset, p in enumerate(area_parameters(area)):
        letter = get_column_letter(3 + 2 * offset)
        sheet.append([sheet_title(area), letter, p.code, p.name_de, p.name_en, p.kind, p.unit,
                      _allowed_text(p), "ja" if p.source_required else "nein"])


def _allowed_text(p: Any) -> str:
    if p.kind == "binary":
        return "ja, nein"
    if p.kind == "points":
        return ", ".join(p.answers or {})
    low, high = _limits(p)
    return f"{'' if low is None else f'{low:g}'} … {'' if high is None else f'{high:g}'}".strip()


def _limits(p: Any) -> tuple[float | None, float | None]:
    return (p.valid_range.min, p.valid_range.max) if p.valid_range else (None, None)


def _area_sheet(sheet, area: Any, cities: list) -> None:
    params = area_parameters(area)
    keys = ["ags", "city"] + [k for p in params for k in (p.code, p.code + SOURCE_SUFFIX)]
    labels = [LABEL_ROW_MARK, "Stadt"] + [k for p in params for k in (_label(p), "Quelle")]
    sheet.append(keys)
    sheet.append(labels)
    for city in cities:
        sheet.append([city.ags, city.name])
    last = len(cities) + 2
    for offset, p in enumerate(params):
        _validation(sheet, p, get_column_letter(3 + 2 * offset), last)
    _style(sheet, len(keys))


def _label(p: Any) -> str:
    return f"{p.name_de} [{p.unit}]" if p.unit else p.name_de


def _validation(sheet, p: Any, letter: str, last: int) -> None:
    if p.kind in ("binary", "points"):
        answers = ["ja", "nein"] if p.kind == "binary" else list(p.answers or {})
        rule = DataValidation(type="list", formula1='"' + ",".join(answers) + '"', allow_blank=True)
        rule.error = f"Erlaubt: {', '.join(answers)}"
    else:
        low, high = _limits(p)
        low, high = -1e15 if low is None else low, 1e15 if high is None else high
        rule = DataValidation(type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}",
                              allow_blank=True)
        rule.error = f"Zahl zwischen {low:g} und {high:g}"
    rule.showErrorMessage = True
    rule.errorTitle = p.code
    rule.add(f"{letter}3:{letter}{max(last, 3)}")
    sheet.add_data_validation(rule)


def _style(sheet, width: int) -> None:
    sheet.freeze_panes = "C3"
    for row in (1, 2):
        for cell in sheet[row]:
            cell.font, cell.fill = Font(bold=row == 2, color="666666" if row == 1 else None), HEADER_FILL
            cell.alignment = Alignment(wrap_text=row == 2, vertical="top")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 12, 24
    for index in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18 if index % 2 else 30
