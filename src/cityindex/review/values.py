"""Values a city proposes, read exactly as imported cells: the importer's validator decides.

German input uses the decimal comma (``12,5``), English the point; a kind's answers (``ja``/``nein``,
the answer labels of a points parameter) and the plausible range of the methodology apply.
All values of one request go through the (vectorised) validator at once.
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


def parse_values(methodology, *, city: str, values: list[tuple[str, str]],
                 lang: str = "de") -> list[Parsed | ValueProblem]:
    """Each ``(parameter, text)`` of a city as a typed value, or the problem with it (same order)."""
    texts = [(text or "").strip() for _, text in values]
    out: list[Parsed | ValueProblem | None] = [ValueProblem("empty-value", {}) if not t else None for t in texts]
    asked = [n for n, t in enumerate(texts) if t]
    if not asked:
        return out
    # The evidence (checked by the caller) stands for the source a methodology may require.
    raw = pd.DataFrame({"city": city, "parameter": [values[n][0] for n in asked], "value": [texts[n] for n in asked],
                        "source_name": "review", "_row": range(len(asked))})
    report = Report(stats={"file": "review"})
    valid = validate_long(raw, file="review", report=report, methodology=methodology,
                          decimal="," if lang == "de" else ".")
    bad: dict[int, ValueProblem] = {}
    for issue in report.errors:
        bad.setdefault(issue.row, ValueProblem(issue.code if issue.column == "value" else "invalid-value",
                                               {"value": texts[asked[issue.row]], **issue.details}))
    kept = iter(valid["value"].tolist())
    for position, n in enumerate(asked):
        out[n] = bad[position] if position in bad else _parsed(next(kept))
    return out


def _parsed(value) -> Parsed:
    value = float(value) if isinstance(value, (int, float)) else str(value)
    number = value if isinstance(value, float) else None
    return Parsed(value=value, text=value_text(number, None if number is not None else value))
