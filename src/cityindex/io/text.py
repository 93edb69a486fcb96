"""Decoding and parsing CSV text: encodings, separators, decimal marks, thousands separators.

Everything here works on whole columns (pandas string methods) so that files of 100,000 rows
stay fast; problems are reported, never raised.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from cityindex.io import issues as iss
from cityindex.io.issues import Report

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, *, file: str, report: Report) -> str | None:
    """Bytes → text: UTF-8 (BOM optional), UTF-16 with BOM, else cp1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), file=file, report=report)
        except UnicodeDecodeError as exc:
            report.add(iss.EncodingError, file=file, note=f"UTF-16: {exc.reason}")
            return None
    try:
        return _checked(data.decode("utf-8-sig"), file=file, report=report)
    except UnicodeDecodeError as utf8_error:
        position = utf8_error.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        report.add(iss.EncodingError, file=file,
                   note=f"byte 0x{data[exc.start]:02x} at offset {exc.start}; not UTF-8 either "
                        f"(first bad byte at offset {position})")
        return None
    if _checked(text, file=file, report=report) is None:
        return None
    report.add(iss.DecodedAsCp1252, file=file)
    return text


def _checked(text: str, *, file: str, report: Report) -> str | None:
    match = _CONTROL.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        report.add(iss.EncodingError, file=file, row=line,
                   note=f"control character 0x{ord(match.group()):02x} in line {line}; "
                        "this looks like a binary file")
        return None
    return text


def sniff_separator(text: str) -> str:
    """The separator of the header line: the most frequent of ``;``, ``,``, tab."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_csv(text: str, *, file: str, report: Report) -> tuple[list[str], list[list[str]], str]:
    """Text → (header, rows, separator). Row i of ``rows`` is spreadsheet row i + 2."""
    sep = sniff_separator(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        report.add(iss.UnreadableFile, file=file, note=f"CSV syntax error: {exc}")
        return [], [], sep
    if not records or not any(cell.strip() for cell in records[0]):
        report.add(iss.EmptyFile, file=file, note="no header row")
        return [], [], sep
    return [cell.strip() for cell in records[0]], records[1:], sep


# --- numbers -------------------------------------------------------------------------------

def _clean(values: pd.Series) -> pd.Series:
    return (values.fillna("").astype(str).str.strip()
            .str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
            .str.replace("'", "", regex=False).str.replace(" ", "", regex=False))


def detect_decimal(values: pd.Series, *, separator: str = ",") -> str:
    """The file's decimal mark from unambiguous evidence; ties follow the separator."""
    s = _clean(values)
    comma = s.str.fullmatch(r"[+-]?\d*,\d+") & ~s.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+")
    comma |= s.str.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+")
    point = s.str.fullmatch(r"[+-]?\d*\.\d+") & ~s.str.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+")
    point |= s.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+\.\d+")
    n_comma, n_point = int(comma.sum()), int(point.sum())
    if n_comma != n_point:
        return "," if n_comma > n_point else "."
    return "," if separator == ";" else "."


def parse_numbers(values: pd.Series, *, decimal: str) -> tuple[pd.Series, pd.Series]:
    """Strings → floats. Returns (numbers, badly_grouped); non-numbers and overflows (``1e999``) become NaN."""
    s = _clean(values)
    thousands = "." if decimal == "," else ","
    t, d = re.escape(thousands), re.escape(decimal)
    grouped = s.str.fullmatch(rf"[+-]?\d{{1,3}}({t}\d{{3}})+({d}\d+)?")
    plain = s.str.fullmatch(rf"[+-]?(\d+({d}\d*)?|{d}\d+)([eE][+-]?\d+)?")
    ok = grouped | plain
    normal = s.where(ok, "").str.replace(thousands, "", regex=False).str.replace(decimal, ".", regex=False)
    numbers = pd.to_numeric(normal.where(ok, None), errors="coerce").astype(float)
    numbers = numbers.where(np.isfinite(numbers))
    badly_grouped = s.str.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*") & ~ok
    return numbers, badly_grouped


# --- dates ---------------------------------------------------------------------------------

def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Strings → ISO dates (YYYY-MM-DD). Returns (iso_or_empty, bad)."""
    s = values.fillna("").astype(str).str.strip().str.replace(r"[ T]00:00:00$", "", regex=True)
    iso = pd.to_datetime(s.where(s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")), format="%Y-%m-%d", errors="coerce")
    german = pd.to_datetime(s.where(s.str.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}")), format="%d.%m.%Y",
                            errors="coerce")
    dates = iso.fillna(german)
    out = dates.dt.strftime("%Y-%m-%d").fillna("")
    bad = (s != "") & dates.isna()
    return out, bad
