"""The measure catalogue: the shipped example is valid and uses today's parameters; bad files name the field."""

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from cityindex.analysis.catalogue import (SCHEMA_PATH, CatalogueError, check_catalogue, default_catalogue_path,
                                          load_catalogue)
from cityindex.methodology import load_methodology
from cityindex.paths import METHODOLOGY_DIR

EXAMPLE = default_catalogue_path("open-2026")


def test_schema_is_valid_and_the_example_follows_it():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    from cityindex.methodology.files import _Loader

    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=_Loader)
    assert list(Draft202012Validator(schema).iter_errors(data)) == []


def test_example_is_marked_as_illustrative():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "EXAMPLE PLANNING DATA" in text and "illustrative" in text
    assert load_catalogue(EXAMPLE).example is True


def test_every_parameter_of_the_example_exists_in_the_edition_methodology():
    catalogue = load_catalogue(EXAMPLE)
    methodology = load_methodology(METHODOLOGY_DIR / f"{catalogue.methodology}.yaml")
    used = {code for m in catalogue.measures for code in m.parameters}
    missing = sorted(used - set(methodology.parameters))
    assert missing == [], f"catalogue parameters not in {methodology.key}: {missing} (renamed?)"
    scored = {p.code for p in methodology.parameters.values() if not p.context_only}
    assert used <= scored
    check_catalogue(catalogue, methodology)  # values read as the engine reads them


def _write(tmp_path: Path, measures: list[dict], **top) -> Path:
    path = tmp_path / "measures.yaml"
    data = {"key": "t", "methodology": "open-2026", "title": "Test", "measures": measures, **top}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _m(mid, **kw):
    return {"id": mid, "name": mid, "cost": {"euros": 1}, "sets": {"oklab_any": "yes"}, **kw}


@pytest.mark.parametrize("measures, words", [
    ([_m("a", requires=["b"]), _m("b", requires=["c"]), _m("c", requires=["a"])], ["cycle", "a → b → c → a"]),
    ([_m("a", requires=["bb"]), _m("b")], ["measure a", "requires", "'bb'", "did you mean b"]),
    ([_m("a", excludes=["a"])], ["measure a", "excludes names the measure itself"]),
    ([_m("a"), _m("a")], ["'a' is used more than once"]),
    ([_m("a", requires=["b"]), _m("b", excludes=["a"])], ["measure a can never be taken"]),
    ([{**_m("a"), "cost": {"euros": -5}}], ["measures[0].cost.euros", "(measure a)", "minimum"]),
    ([{"id": "a", "name": "a", "cost": {"euros": 1}}], ["measures[0]", "sets", "raises"]),
    ([{**_m("a"), "colour": "red"}], ["measures[0]", "colour"]),
])
def test_bad_catalogue_names_the_field(tmp_path, measures, words):
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(_write(tmp_path, measures))
    assert all(w in str(caught.value) for w in words), str(caught.value)


@pytest.mark.parametrize("measure, words", [
    (_m("a", sets={"oklab_anyy": "yes"}), ["measure a: sets.oklab_anyy", "Did you mean oklab_any"]),
    (_m("a", sets={"oklab_any": "maybe"}), ["measure a: sets.oklab_any", "yes/no"]),
    ({"id": "a", "name": "a", "cost": {"euros": 1}, "raises": {"oklab_any": 1}}, ["raises.oklab_any", "binary"]),
])
def test_catalogue_checked_against_the_methodology(tmp_path, measure, words):
    methodology = load_methodology(METHODOLOGY_DIR / "open-2026.yaml")
    with pytest.raises(CatalogueError) as caught:
        check_catalogue(load_catalogue(_write(tmp_path, [measure])), methodology)
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_not_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("measures: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(bad)
    with pytest.raises(CatalogueError, match="not found"):
        load_catalogue(tmp_path / "nope.yaml")
