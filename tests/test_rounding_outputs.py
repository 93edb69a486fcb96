"""The rounding rule (``rules.rounding_mode``, half up by default) holds in every output: the CLI,
the narrative, the website and the computed edition's rows (JSON, downloads)."""

import pandas as pd
from cityindex.editions import EditionView
from cityindex.engine import score
from cityindex.methodology import load_methodology
from cityindex.report.narrative import fmt_number
from cityindex.web.i18n import format_number

# Fictional: one indicator of four binary parameters, two areas; scores 11.25 are exact halves.
YAML = """
key: halves
title: Halves (fictional)
version: '1'
rules: {{normalisation: share_of_maximum, rounding: 1, rounding_mode: {mode}}}
areas:
- code: a
  name_de: A
  name_en: A
  indicators:
  - code: i
    name_de: I
    name_en: I
    parameters:
    - {{code: p, name_de: p, name_en: p, kind: points, answers: {{'x': 11.25, 'y': 100}}}}
"""


def test_display_helpers_round_half_up_by_default():
    assert fmt_number(11.25, "de") == "11,3" and fmt_number(11.25, "en") == "11.3"
    assert format_number(11.25, "de") == "11,3" and format_number(11.25, "en", mode="half_even") == "11.2"
    assert fmt_number(11.25, "en", mode="half_even") == "11.2"


def test_a_half_is_rounded_as_the_rule_says():
    """11.25 of 100 points: 11.2 half to even, 11.3 half up (as the city pages, JSON and downloads show it)."""
    m = load_methodology(YAML.format(mode="half_even"))
    data = pd.DataFrame({"city": ["99000001", "99000002"], "parameter": ["p", "p"], "value": ["x", "y"]})
    even = EditionView.from_result(score(m, data), key="h", title="t", series="test", year=2026)
    up = EditionView.from_result(score(load_methodology(YAML.format(mode="half_up")),
                                       data), key="h", title="t", series="test", year=2026)
    assert even.ranking()["score"].tolist() == [100.0, 11.2]
    assert up.ranking()["score"].tolist() == [100.0, 11.3]
    assert even.rounding == (1, "half_even") and up.rounding == (1, "half_up")
