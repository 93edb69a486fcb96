"""Reading and writing methodology files: YAML text → checked, frozen ``Methodology`` and back.

``load_methodology(dump_methodology(m)) == m`` for every methodology.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cityindex.errors import MethodologyError
from cityindex.methodology.checks import (MethodologyInvalid, MethodologyProblem, pydantic_problem, schema_problems,
                                          semantic_problems)
from cityindex.methodology.models import Methodology

HEADER = (
    "# cityindex methodology file. Field reference: docs/methodology.md\n"
    "# (schema: src/cityindex/data/schema/methodology.schema.json)\n"
)


# libyaml's C parser when PyYAML has it (about ten times faster on a 163-parameter file); the
# resolvers below are Python and apply to both.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: the same text, about 4x faster


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """YAML 1.2-like scalars: only true/false are booleans (``yes``/``no``/``ja`` stay text,
    as answers need) and ``1e3`` is a number."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _read(path_or_text: str | Path) -> tuple[str, str]:
    """(text, label) from a path or from YAML text."""
    one_line = isinstance(path_or_text, str) and "\n" not in path_or_text
    looks_like_path = one_line and (path_or_text.lower().endswith((".yaml", ".yml")) or Path(path_or_text).is_file())
    if isinstance(path_or_text, Path) or looks_like_path:
        path = Path(path_or_text)
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "not found"
            raise MethodologyError(f"methodology file {path} {what}; give the path of a .yaml file")
        return path.read_text(encoding="utf-8"), str(path)
    return path_or_text, "methodology"


def _parse(text: str) -> tuple[Any, list[MethodologyProblem]]:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [MethodologyProblem("", f"YAML syntax error{where}: {reason}")]
    if not isinstance(data, dict):
        return None, [MethodologyProblem("", "the file must be a YAML mapping with key, title, version, rules and areas")]
    return data, []


def dump_methodology(methodology: Methodology) -> str:
    """The methodology as YAML text (defaults left out), starting with the reference comment.
    ``load_methodology(dump_methodology(m)) == m``."""
    data = methodology.model_dump(mode="json", exclude_defaults=True)
    areas = data.pop("areas")
    uncertainty = data.pop("uncertainty", None)
    data["rules"] = methodology.rules.model_dump(mode="json")  # always written out, for readers
    if uncertainty is not None:
        data["uncertainty"] = uncertainty
    data["areas"] = areas
    return HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def load_methodology(path_or_text: str | Path) -> Methodology:
    """Load and validate a methodology from a path or from YAML text.

    Raises ``MethodologyInvalid`` (a ``MethodologyError``) listing every problem.
    """
    text, label = _read(path_or_text)
    methodology, problems = _build(text)
    if problems:
        raise MethodologyInvalid(problems, label)
    assert methodology is not None
    return methodology


def validate_methodology(path_or_text: str | Path) -> list[MethodologyProblem]:
    """Every problem of a methodology file (an empty list when it is valid)."""
    try:
        text, _ = _read(path_or_text)
    except MethodologyError as exc:
        return [MethodologyProblem("", str(exc))]
    return _build(text)[1]


def _build(text: str) -> tuple[Methodology | None, list[MethodologyProblem]]:
    data, problems = _parse(text)
    if problems:
        return None, problems
    methodology = _strict(data)
    if methodology is None:  # something is off: the JSON Schema names it (or lax reading accepts it)
        problems = schema_problems(data)
        if problems:
            return None, problems
        try:
            methodology = Methodology.model_validate(data)
        except ValidationError as exc:
            return None, [pydantic_problem(data, err) for err in exc.errors()]
    return methodology, semantic_problems(methodology)


def _strict(data: Any) -> Methodology | None:
    """Fast path (under 1 ms for 163 parameters; the JSON Schema takes tens): the models in strict
    JSON mode accept exactly what the schema accepts — no text for numbers, no booleans for
    numbers, no unknown fields, both languages of a text — apart from method names and empty
    answer lists, which the semantic checks report. None when they do not accept the data."""
    try:
        return Methodology.model_validate_json(json.dumps(data), strict=True)
    except (ValidationError, TypeError, ValueError):
        return None
