"""The methodology's ``uncertainty:`` section: schema, round trip, defaults and semantic checks."""

from __future__ import annotations

import pytest
import yaml

from cityindex.methodology import dump_methodology, load_methodology, methodology_schema, validate_methodology
from cityindex.methodology.models import Assumption, Uncertainty
from cityindex.methodology.uncertainty import assumptions_of, default_assumptions


def parameter(code: str) -> dict:
    return {"code": code, "name_de": code, "name_en": code, "kind": "numeric"}


def indicator(code: str, parameters: list, **fields) -> dict:
    return {"code": code, "name_de": code, "name_en": code, "parameters": parameters, **fields}


def area(code: str, indicators: list) -> dict:
    return {"code": code, "name_de": code, "name_en": code, "indicators": indicators}


def methodology(areas: list, **rules):
    doc = {"key": "t", "title": "Test (fictional)", "version": "1", "rules": rules, "areas": areas}
    return load_methodology(yaml.safe_dump(doc, sort_keys=False))


TWO_AREAS = [
    area("a", [indicator("i1", [parameter("p1")]), indicator("i2", [parameter("p2")])]),
    area("b", [indicator("i3", [parameter("p3")])]),
]


def _text(uncertainty: dict, areas: list | None = None) -> str:
    doc = {"key": "t", "title": "Test (fictional)", "version": "1", "areas": areas or TWO_AREAS,
           "uncertainty": uncertainty}
    return yaml.safe_dump(doc, sort_keys=False)


def _messages(uncertainty: dict, areas: list | None = None) -> list[str]:
    return [p.message for p in validate_methodology(_text(uncertainty, areas))]


def test_schema_properties_match_the_models() -> None:
    schema = methodology_schema()
    assert set(schema["$defs"]["uncertainty"]["properties"]) == set(Uncertainty.model_fields)
    assert set(schema["$defs"]["assumption"]["properties"]) == set(Assumption.model_fields)
    assert schema["$defs"]["assumption"]["properties"]["address"]["enum"] == list(
        Assumption.model_fields["address"].annotation.__args__)


def test_section_round_trips_and_changes_the_hash() -> None:
    section = {"runs": 500, "seed": 7, "assumptions": [
        {"address": "weights.indicators", "share": 0.1},
        {"address": "rules.aggregation.areas", "alternatives": ["arithmetic", {"method": "geometric", "offset": 1}]},
    ]}
    m = load_methodology(_text(section))
    assert m.uncertainty.runs == 500 and m.uncertainty.assumptions[1].alternatives[1].options == {"offset": 1.0}
    assert load_methodology(dump_methodology(m)) == m
    plain = load_methodology(_text({}))
    assert plain.uncertainty == Uncertainty() and plain.hash != m.hash


def test_defaults_leave_out_what_cannot_change_a_score() -> None:
    m = load_methodology(_text({}))
    addresses = [a.address for a in default_assumptions(m)]
    # area b has one indicator, area a two: every default can change something here
    assert addresses == ["weights.areas", "weights.indicators", "rules.aggregation.areas",
                         "rules.aggregation.overall", "rules.normalisation"]
    one = methodology([area("a", [indicator("i", [parameter("p")])])])
    assert [a.address for a in assumptions_of(one)] == ["rules.normalisation"]


def test_default_alternatives_include_the_editions_own_choice() -> None:
    m = methodology(TWO_AREAS, normalisation="percentile_rank", aggregation={"overall": "geometric"})
    by_address = {a.address: a for a in default_assumptions(m)}
    assert [s.method for s in by_address["rules.normalisation"].alternatives] == ["percentile_rank", "best_worst"]
    assert [s.method for s in by_address["rules.aggregation.overall"].alternatives] == ["geometric", "arithmetic"]
    assert by_address["rules.aggregation.areas"].alternatives[1].options == {"offset": 1.0}


@pytest.mark.parametrize("section, expected", [
    ({"runs": 0}, "uncertainty.runs must be ≥ 1"),
    ({"assumptions": [{"address": "weights.areas", "share": -0.2}]},
     "uncertainty assumption `weights.areas`: share must be > 0"),
    ({"assumptions": [{"address": "weights.areas", "share": 1}]},
     "uncertainty assumption `weights.areas`: share must be < 1"),
    ({"assumptions": [{"address": "weights.area", "share": 0.2}]}, "did you mean `weights.areas`?"),
    ({"assumptions": [{"address": "weights.areas"}]}, "`weights.areas`: needs `share`"),
    ({"assumptions": [{"address": "rules.normalisation", "alternatives": ["best_worst", "bset"]}]},
     "unknown normaliser `bset`; did you mean `share_of_best`?"),
    ({"assumptions": [{"address": "rules.normalisation", "alternatives": ["best", "zscore"]}]},
     "must include the edition's own choice `best_worst`"),
    ({"assumptions": [{"address": "rules.missing", "alternatives": ["zero", "zeros"]}]},
     "unknown missing-data rule `zeros`"),
    ({"assumptions": [{"address": "bonus", "alternatives": [True, False]}]},
     "uncertainty assumption `bonus`: changes nothing: no area has a bonus"),
    ({"assumptions": [{"address": "weights.areas", "share": 0.2}, {"address": "weights.areas", "share": 0.1}]},
     "`weights.areas`: is declared twice"),
    ({"assumptions": [{"address": "rules.normalisation", "share": 0.2}]}, "`share` only applies to weights"),
])
def test_bad_sections_name_the_field(section: dict, expected: str) -> None:
    messages = _messages(section)
    assert any(expected in m for m in messages), messages


def test_an_assumption_that_changes_nothing_is_an_error() -> None:
    single = [area("a", [indicator("i", [parameter("p")])])]
    messages = _messages({"assumptions": [{"address": "weights.indicators", "share": 0.25}]}, single)
    assert messages == ["uncertainty assumption `weights.indicators`: changes nothing: "
                        "no area has two or more weighted indicators"]
    own = [area("a", [indicator("i", [parameter("p")], normalisation="best"), indicator("j", [parameter("q")],
                                                                                          normalisation="best")])]
    messages = _messages({"assumptions": [{"address": "rules.normalisation", "alternatives": ["best_worst", "best"]}]},
                         own)
    assert messages == ["uncertainty assumption `rules.normalisation`: changes nothing: "
                        "every indicator sets its own normalisation"]
