"""A value a city proposes, read exactly as an imported cell: the importer's validator decides.

German input uses the decimal comma (``12,5``), English the point; a kind's answers (``ja``/``nein``,
the answer labels of a points parameter) and the plausible range of the methodology apply.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityindex.io.issues import Report
from cityindex.io.validate import validate_long
from cityindex.store.datapoints import value_text


@dataclass(frozen=True)
class Parsed:
    """A valid proposal: the value as stored (number or answer label) and as history text."""

    value: float | str
    text: str

    @property
    def number(self) -> float | None:
        return self.value if isinstance(self.value, float) else None


@dataclass(frozen=True)
class ValueProblem:
    """Why a proposed value is not valid: an importer issue code with its details."""

    code: str
    details: dict


def parse_value(methodology, *, city: str, parameter: str, text: str, lang: str = "de") -> Parsed | ValueProblem:
    """The proposed ``text`` for a city's parameter as a typed value, or the problem with it."""
    text = (text or "").strip()
    if not text:
        return ValueProblem("empty-value", {})
    report = Report(stats={"file": "review"})
    # The evidence (checked by the caller) stands for the source a methodology may require.
    raw = pd.DataFrame({"city": [city], "parameter": [parameter], "value": [text], "source_name": ["review"]})
    valid = validate_long(raw, file="review", report=report, methodology=methodology,
                          decimal="," if lang == "de" else ".")
    problems = [i for i in report.errors if i.column == "value"]
    if problems:
        return ValueProblem(problems[0].code, dict(problems[0].details))
    if valid.empty:
        return ValueProblem("invalid-value", {"value": text})
    value = valid["value"].iloc[0]
    value = float(value) if isinstance(value, (int, float)) else str(value)
    return Parsed(value=value, text=value_text(value if isinstance(value, float) else None,
                                               value if isinstance(value, str) else None))
