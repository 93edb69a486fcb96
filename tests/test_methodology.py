"""Methodology files: loading, round trip, schema and semantic validation."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from cityindex.errors import MethodologyError
from cityindex.methodology import (
    HEADER,
    Methodology,
    MethodologyInvalid,
    dump_methodology,
    load_methodology,
    methodology_schema,
    schema_problems,
    validate_methodology,
)
from cityindex.paths import METHODOLOGY_DIR

EXAMPLE = METHODOLOGY_DIR / "example.yaml"
BUNDLED = sorted(METHODOLOGY_DIR.glob("*.yaml"))
DOCS = Path(__file__).resolve().parents[1] / "docs" / "methodology.md"

MINIMAL = """
key: tiny
title: Tiny
version: '1'
areas:
- code: verwaltung
  name_de: Verwaltung
  name_en: Administration
  indicators:
  - code: ladepunkte
    name_de: Ladepunkte
    name_en: Charging points
    weight: {weight}
    parameters:
    - code: ladepunkte_anzahl
      name_de: Ladepunkte
      name_en: Charging points
      kind: numeric
      transforms:
      - type: per_capita
        denominator: {denominator}
        factor: 1000
    - code: {second}
      name_de: Zweiter Parameter
      name_en: Second parameter
      kind: binary
"""


def minimal(weight: str = "1", denominator: str = "population", second: str = "kontext") -> str:
    return MINIMAL.format(weight=weight, denominator=denominator, second=second)


def messages(text: str) -> list[str]:
    return [p.message for p in validate_methodology(text)]


# Loading and round trip -----------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_methodologies_are_valid_and_round_trip(path: Path) -> None:
    assert validate_methodology(path) == []
    m = load_methodology(path)
    assert load_methodology(dump_methodology(m)) == m


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_methodology_file_starts_with_the_reference_comment(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and "docs/methodology.md" in first


def test_the_example_says_it_is_fictional() -> None:
    assert "FICTIONAL" in EXAMPLE.read_text(encoding="utf-8")
    title = load_methodology(EXAMPLE).title
    assert "fictional" in title.en.lower() and "erfunden" in title.de.lower()


def test_dump_starts_with_the_reference_comment_and_is_schema_valid() -> None:
    text = dump_methodology(load_methodology(EXAMPLE))
    assert text.startswith(HEADER)
    jsonschema.validate(yaml.safe_load(text), methodology_schema())


def test_models_are_frozen() -> None:
    m = load_methodology(EXAMPLE)
    with pytest.raises(Exception):
        m.key = "other"  # type: ignore[misc]


def test_defaults_fill_in_rules_and_weights() -> None:
    m = load_methodology(minimal())
    assert m.rules.normalisation.method == "best_worst"
    assert m.rules.aggregation.areas.method == "arithmetic"
    assert (m.rules.missing, m.rules.ties, m.rules.rounding) == ("zero", "competition", 1)
    assert m.indicators["ladepunkte"].weight == 1.0


def test_method_shorthand_and_options_round_trip() -> None:
    m = load_methodology(EXAMPLE)
    verkehr = m.indicators["verkehr"]
    assert verkehr.normalisation.method == "goalposts"
    assert verkehr.normalisation.options == {"lower": 0, "upper": 100}
    assert "normalisation: share_of_best\n" in dump_methodology(m)


def test_answers_like_yes_and_no_stay_text() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("nein: 0", "no: 0").replace("teilweise: 1", "yes: 1")
    answers = load_methodology(text).parameters["termine_kfz"].answers
    assert answers == {"no": 0, "yes": 1, "vollständig": 2}


def test_hash_ignores_formatting_but_not_content() -> None:
    m = load_methodology(EXAMPLE)
    assert load_methodology(dump_methodology(m)).hash == m.hash
    changed = EXAMPLE.read_text(encoding="utf-8").replace("weight: 2", "weight: 3")
    assert load_methodology(changed).hash != m.hash


def test_load_from_path_string_and_missing_file() -> None:
    assert load_methodology(str(EXAMPLE)).key == "example"
    with pytest.raises(MethodologyError, match="not found"):
        load_methodology("does/not/exist.yaml")


def test_a_missing_file_with_an_upper_case_suffix_is_named_as_a_file() -> None:
    with pytest.raises(MethodologyError, match="methodology file METHODIK.YAML not found"):
        load_methodology("METHODIK.YAML")


def test_a_folder_is_named_as_a_folder(tmp_path) -> None:
    with pytest.raises(MethodologyError, match="is a folder, not a file"):
        load_methodology(tmp_path)


# Errors name the offending code ---------------------------------------------------------------


def test_negative_weight_is_rejected_naming_the_indicator() -> None:
    assert "indicator `ladepunkte`: weight must be ≥ 0" in messages(minimal(weight="-1"))


def test_duplicate_code_is_rejected_naming_it() -> None:
    assert any(
        "`ladepunkte_anzahl`" in m and "unique" in m for m in messages(minimal(second="ladepunkte_anzahl"))
    )


def test_unknown_parameter_reference_is_rejected_naming_both() -> None:
    found = messages(minimal(denominator="einwohnerzahl"))
    assert len(found) == 1
    assert "parameter `ladepunkte_anzahl`" in found[0] and "`einwohnerzahl`" in found[0]


def test_a_parameter_code_can_be_a_denominator() -> None:
    assert messages(minimal(denominator="kontext")) == []


def test_unknown_normaliser_suggests_the_closest_name() -> None:
    text = minimal().replace("    weight: 1\n", "    weight: 1\n    normalisation: best_wrost\n")
    (found,) = messages(text)
    assert "indicator `ladepunkte`" in found and "did you mean `best_worst`" in found


def test_unknown_aggregator_and_option_are_named() -> None:
    text = minimal().replace("areas:\n", "rules:\n  aggregation: {overall: geometrc, areas: {method: geometric, ofset: 1}}\nareas:\n", 1)
    found = " | ".join(messages(text))
    assert "did you mean `geometric`" in found and "did you mean `offset`" in found


def test_missing_goalposts_options_are_named() -> None:
    text = minimal().replace("    weight: 1\n", "    weight: 1\n    normalisation: {method: goalposts, lower: 0}\n")
    assert messages(text) == ["indicator `ladepunkte`: normaliser `goalposts` needs option `upper`"]


def test_unknown_field_suggests_the_closest_field() -> None:
    text = minimal().replace("kind: binary", "kind: binary\n      contex_only: true")
    (found,) = messages(text)
    assert "parameter `kontext`" in found and "did you mean `context_only`" in found


def test_points_parameter_needs_answers() -> None:
    text = minimal().replace("kind: binary", "kind: points")
    assert messages(text) == ["parameter `kontext`: kind `points` needs `answers` (answer text → points)"]


def test_sum_indicator_with_mixed_directions_is_rejected() -> None:
    text = minimal().replace("kind: binary", "kind: binary\n      direction: lower_better")
    (found,) = messages(text)
    assert "indicator `ladepunkte`" in found and "weighted_mean" in found


def test_yaml_syntax_error_gives_line_number() -> None:
    (found,) = validate_methodology("key: [unclosed\ntitle: x\n")
    assert "line" in found.message


def test_load_raises_listing_every_problem() -> None:
    text = minimal(weight="-1").replace("  name_en: Administration\n", "")
    with pytest.raises(MethodologyInvalid) as caught:
        load_methodology(text)
    assert len(caught.value.problems) == 2
    assert isinstance(caught.value, MethodologyError)
    assert "weight must be ≥ 0" in str(caught.value)


# Schema and documentation agree with the models -----------------------------------------------


def _schema_fields(schema: dict, name: str) -> set[str]:
    return set(schema["$defs"][name]["properties"])


def test_schema_properties_match_the_models() -> None:
    from cityindex.methodology import Area, Bonus, Indicator, Parameter, Rules

    schema = methodology_schema()
    assert set(schema["properties"]) == set(Methodology.model_fields)
    for name, model in {"area": Area, "indicator": Indicator, "parameter": Parameter, "bonus": Bonus, "rules": Rules}.items():
        assert _schema_fields(schema, name) == set(model.model_fields), name


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(methodology_schema())


def _all_schema_properties(node: object, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.add(key)
            _all_schema_properties(value, found)
        for value in node.values():
            _all_schema_properties(value, found)
    elif isinstance(node, list):
        for value in node:
            _all_schema_properties(value, found)
    return found


def test_docs_describe_every_schema_field() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = [f for f in sorted(_all_schema_properties(methodology_schema(), set())) if f"`{f}`" not in docs]
    assert missing == [], f"docs/methodology.md does not describe: {missing}"


def test_schema_file_is_pretty_json() -> None:
    from cityindex.methodology import SCHEMA_PATH

    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert json.loads(text)["title"] == "cityindex methodology"


def test_model_copy_recomputes_cached_lookups() -> None:
    m = load_methodology(EXAMPLE)
    assert m.hash and "ozg_anteil" in m.parameters  # fill the caches
    rules = m.rules.model_copy(update={"ties": "dense"})
    changed = m.model_copy(update={"rules": rules})
    assert changed.hash != m.hash and changed != m
    assert load_methodology(dump_methodology(changed)).hash == changed.hash


def test_parameter_weight_in_a_sum_indicator_is_rejected() -> None:
    text = minimal().replace("kind: binary", "kind: binary\n      weight: 2")
    (found,) = messages(text)
    assert "parameter `kontext`" in found and "weighted_mean" in found


def test_lower_is_better_bonus_parameter_is_rejected() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("    cap: 0.05", "    cap: 0.05").replace(
        "        mehrere: 5\n", "        mehrere: 5\n      direction: lower_better\n"
    )
    assert messages(text) == [
        "bonus parameter `innovationsprojekte`: direction must be higher_better (bonus points add up)"
    ]


# Round trip of generated methodologies (hypothesis) -------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WEIGHTS = st.sampled_from([0.5, 1, 2, 3.25])
TRANSFORMS = st.lists(st.sampled_from([
    {"type": "per_capita", "denominator": "population", "factor": 1000},
    {"type": "log"},
    {"type": "cap", "max": 50},
    {"type": "cap", "min": 1, "max": 9},
]), max_size=2)


@st.composite
def parameters(draw, code: str, direction: str, in_mean: bool) -> dict:
    kind = draw(st.sampled_from(["binary", "points", "numeric"]))
    p = {"code": code, "name_de": f"{code} ä", "name_en": code, "kind": kind, "direction": direction}
    if kind == "points":
        p["answers"] = {"nein": 0, "ja": draw(st.sampled_from([1, 2.5])), "yes": 3}
    if kind == "binary" and draw(st.booleans()):
        p["points"] = draw(WEIGHTS)
    if kind == "numeric":
        p["transforms"] = draw(TRANSFORMS)
        p["valid_range"] = {"min": 0, "max": draw(st.sampled_from([None, 100]))}
    if in_mean:
        p["weight"] = draw(WEIGHTS)
    p["context_only"] = draw(st.booleans()) if code.endswith("_2") else False
    p["source_required"] = draw(st.booleans())
    return p


@st.composite
def methodologies(draw) -> str:
    areas = []
    for a in range(draw(st.integers(1, 3))):
        indicators = []
        for i in range(draw(st.integers(1, 3))):
            combine = draw(st.sampled_from(["sum", "weighted_mean"]))
            direction = draw(st.sampled_from(["higher_better", "lower_better"]))
            params = [draw(parameters(f"p{a}{i}_{k}", direction if combine == "sum" else draw(
                st.sampled_from(["higher_better", "lower_better"])), combine == "weighted_mean")) for k in range(1, 3)]
            ind = {"code": f"i{a}{i}", "name_de": "x", "name_en": "x", "weight": draw(WEIGHTS), "combine": combine,
                   "parameters": params}
            norm = draw(st.sampled_from([None, "share_of_best", "percentile_rank", {"method": "goalposts", "lower": 0, "upper": 10},
                                         {"method": "zscore", "scale": 5}]))
            if norm is not None:
                ind["normalisation"] = norm
            indicators.append(ind)
        area = {"code": f"a{a}", "name_de": "Bereich", "name_en": "Area", "weight": draw(WEIGHTS), "indicators": indicators}
        if draw(st.booleans()):
            area["bonus"] = {"parameters": [{"code": f"b{a}", "name_de": "b", "name_en": "b", "kind": "binary", "points": 2}],
                             "cap": draw(st.sampled_from([0.05, 0.1])), "cap_basis": draw(st.sampled_from(["maximum", "achieved"]))}
        if draw(st.booleans()):
            area["aggregation"] = draw(st.sampled_from(["geometric", {"method": "geometric", "offset": 1}, "harmonic"]))
        areas.append(area)
    rules = {"missing": draw(st.sampled_from(["zero", "skip_and_reweight", "impute_median"])),
             "ties": draw(st.sampled_from(["competition", "dense"])), "rounding": draw(st.integers(0, 3))}
    doc = {"key": "gen-1", "title": "Generated (fictional)", "version": "1", "previous": "gen-0", "rules": rules, "areas": areas}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=draw(st.booleans()))


@settings(max_examples=60, deadline=None)
@given(methodologies())
def test_generated_methodologies_round_trip(text: str) -> None:
    assert validate_methodology(text) == []
    m = load_methodology(text)
    dumped = dump_methodology(m)
    assert load_methodology(dumped) == m
    assert load_methodology(dumped).hash == m.hash
    assert dump_methodology(load_methodology(dumped)) == dumped
    jsonschema.validate(yaml.safe_load(dumped), methodology_schema())


def test_a_path_with_another_extension_is_read_as_a_file(tmp_path: Path) -> None:
    copy = tmp_path / "edition.txt"
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_methodology(str(copy)) == load_methodology(EXAMPLE)
    assert load_methodology(copy) == load_methodology(EXAMPLE)


def _example_with(**fields) -> str:
    """The example methodology as YAML text with top-level fields replaced."""
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update(fields)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_title_and_descriptions_are_bilingual_and_round_trip() -> None:
    m = load_methodology(EXAMPLE)
    assert (m.title.get("de"), m.title.get("en"), str(m.title)) == (
        "Beispielindex (erfunden)", "Example index (fictional)", "Beispielindex (erfunden)")
    assert m.description.get("de").startswith("Eine kleine erfundene Methodik")
    assert load_methodology(dump_methodology(m)) == m
    one = load_methodology(_example_with(title="Ein Titel"))
    assert one.title.get("de") == one.title.get("en") == "Ein Titel"  # one string: the same in both languages
    assert "title: Ein Titel\n" in dump_methodology(one)


def test_a_bilingual_text_needs_both_languages() -> None:
    problems = validate_methodology(_example_with(title={"de": "Nur Deutsch"}))
    assert problems and "title" in problems[0].message


def test_the_methodology_does_not_import_the_engine() -> None:
    import subprocess
    import sys

    code = ("import sys, cityindex.methodology as m; m.load_methodology(sys.argv[1]); "
            "print(sorted(k for k in sys.modules if k.startswith('cityindex.engine')))")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_declared_method_has_a_kernel_with_the_declared_options() -> None:
    from cityindex.engine import REGISTRIES

    for registry in REGISTRIES.values():
        for name in registry:
            assert registry[name] is not None, name


MUTATIONS = {
    "weight as text": lambda d: d["areas"][0].__setitem__("weight", "2"),
    "weight as boolean": lambda d: d["areas"][0].__setitem__("weight", True),
    "negative weight": lambda d: d["areas"][0].__setitem__("weight", -1),
    "unknown field": lambda d: d["areas"][0].__setitem__("colour", "blue"),
    "one language only": lambda d: d.__setitem__("description", {"de": "nur deutsch"}),
    "unknown kind": lambda d: d["areas"][0]["indicators"][0]["parameters"][0].__setitem__("kind", "maybe"),
    "code with capitals": lambda d: d["areas"][0].__setitem__("code", "Verwaltung"),
    "no areas": lambda d: d.__setitem__("areas", []),
    "rounding as float": lambda d: d["rules"].__setitem__("rounding", 1.0),
    "cap above 1": lambda d: d["areas"][0].__setitem__("bonus", {"parameters": d["areas"][0]["indicators"][0]["parameters"], "cap": 2}),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_the_fast_path_accepts_only_what_the_schema_accepts(name) -> None:
    """load_methodology validates with the models in strict JSON mode first and asks the JSON
    Schema only when they refuse; the schema must never refuse what the fast path accepted."""
    import yaml

    from cityindex.methodology.files import _strict

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    MUTATIONS[name](data)
    if _strict(data) is not None:
        assert schema_problems(data) == []
    else:
        assert schema_problems(data) or Methodology.model_validate(data)  # the slow path decides
