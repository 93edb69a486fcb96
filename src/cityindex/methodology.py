"""Methodology as data: one edition's rules, loaded from YAML into frozen models.

A methodology file describes areas → indicators → parameters, how parameters are read
(kinds, answers, transforms), how indicators are normalised and how scores are aggregated,
weighted, ranked and rounded. The reference is docs/methodology.md; the shipped JSON Schema
(``data/schema/methodology.schema.json``) checks the structure, ``validate_methodology`` adds
the semantic checks, and ``dump_methodology`` writes a file that loads back equal.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_serializer, model_validator

from cityindex.errors import MethodologyError
from cityindex.paths import SCHEMA_DIR

__all__ = [
    "Area",
    "Bonus",
    "Indicator",
    "Methodology",
    "MethodologyInvalid",
    "MethodologyProblem",
    "MethodSpec",
    "Parameter",
    "Rules",
    "dump_methodology",
    "load_methodology",
    "methodology_schema",
    "validate_methodology",
]

HEADER = (
    "# cityindex methodology file. Field reference: docs/methodology.md\n"
    "# (schema: src/cityindex/data/schema/methodology.schema.json)\n"
)
REGISTER_DENOMINATORS = ("population", "area_km2")
RESERVED_SCOPE = "overall"
SCHEMA_PATH = SCHEMA_DIR / "methodology.schema.json"

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Weight = Annotated[float, Field(ge=0)]


# ---------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy (with fields replaced by ``update``); cached lookups are recomputed."""
        copy = super().model_copy(update=update, deep=deep)
        for name in [k for k in copy.__dict__ if k not in type(self).model_fields]:
            del copy.__dict__[name]
        return copy


class MethodSpec(_Frozen):
    """A method chosen by name from a registry, with its options.

    YAML: ``best_worst`` or ``{method: goalposts, lower: 0, upper: 10}``.
    """

    method: str
    options: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"method": value}
        if isinstance(value, dict) and "options" not in value:
            return {"method": value.get("method"), "options": {k: v for k, v in value.items() if k != "method"}}
        return value

    @model_serializer
    def _to_yaml(self) -> Any:
        return {"method": self.method, **self.options} if self.options else self.method


class Range(_Frozen):
    """Plausible values of a parameter; the importer flags values outside."""

    min: float | None = None
    max: float | None = None


class PerCapita(_Frozen):
    type: Literal["per_capita"]
    denominator: str
    factor: float = Field(default=1.0, gt=0)


class Log(_Frozen):
    type: Literal["log"]
    offset: float = 1.0


class Cap(_Frozen):
    type: Literal["cap"]
    min: float | None = None
    max: float | None = None


Transform = Annotated[Union[PerCapita, Log, Cap], Field(discriminator="type")]


class _Named(_Frozen):
    """Fields every area, indicator and parameter has (in this order in a dumped file)."""

    code: Code
    name_de: str
    name_en: str
    description: str = ""


class Parameter(_Named):
    """One data item asked of every city (a yes/no question, a graded item or a number)."""

    unit: str = ""
    kind: Literal["binary", "points", "numeric"]
    measure: Literal["count", "share", "amount"] | None = None
    points: float = Field(default=1.0, ge=0)
    answers: dict[str, float] | None = None
    direction: Literal["higher_better", "lower_better"] = "higher_better"
    weight: Weight = 1.0
    transforms: tuple[Transform, ...] = ()
    valid_range: Range | None = None
    source_required: bool = False
    context_only: bool = False

    @property
    def higher_better(self) -> bool:
        return self.direction == "higher_better"

    @cached_property
    def max_points(self) -> float:
        """Most points one answer can give (binary: ``points``; points: best answer; numeric: 1)."""
        if self.kind == "binary":
            return self.points
        if self.kind == "points":
            return max((self.answers or {}).values(), default=0.0)
        return 1.0


class Indicator(_Named):
    """Parameters combined into one 0–100 score."""

    weight: Weight = 1.0
    combine: Literal["sum", "weighted_mean"] = "sum"
    normalisation: MethodSpec | None = None
    missing: str | None = None
    parameters: tuple[Parameter, ...] = Field(min_length=1)

    @cached_property
    def scored_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if not p.context_only)

    @property
    def context_only(self) -> bool:
        """True when every parameter is context only: the indicator is shown, not scored."""
        return not self.scored_parameters


class Bonus(_Frozen):
    """Innovation bonus: parameter points added to the area score, capped."""

    parameters: tuple[Parameter, ...] = Field(min_length=1)
    cap: float = Field(default=0.05, ge=0, le=1)
    cap_basis: Literal["maximum", "achieved"] = "maximum"


class Area(_Named):
    """A top-level group of indicators (Verwaltung, Mobilität …)."""

    weight: Weight = 1.0
    aggregation: MethodSpec | None = None
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    bonus: Bonus | None = None

    @cached_property
    def scored_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if not i.context_only)


class Aggregation(_Frozen):
    areas: MethodSpec = MethodSpec(method="arithmetic")
    overall: MethodSpec = MethodSpec(method="arithmetic")


class Rules(_Frozen):
    """Edition-wide defaults; indicators and areas may override some."""

    normalisation: MethodSpec = MethodSpec(method="best_worst")
    aggregation: Aggregation = Aggregation()
    missing: str = "zero"
    ties: str = "competition"
    rounding: int = Field(default=1, ge=0, le=6)


class Methodology(_Frozen):
    """One edition's complete rules: the single source of truth for scoring."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    title: str
    version: str
    description: str = ""
    previous: str | None = None
    rules: Rules = Rules()
    areas: tuple[Area, ...] = Field(min_length=1)

    # Lookups used by the engine and by other modules (computed once per instance) -----------

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for a in self.areas for i in a.indicators}

    @cached_property
    def parameters(self) -> dict[str, Parameter]:
        """Every parameter by code: indicator parameters first, then bonus parameters."""
        found = {p.code: p for i in self.indicators.values() for p in i.parameters}
        found.update({p.code: p for a in self.areas if a.bonus for p in a.bonus.parameters})
        return found

    @cached_property
    def area_of_indicator(self) -> dict[str, str]:
        return {i.code: a.code for a in self.areas for i in a.indicators}

    @cached_property
    def indicator_of_parameter(self) -> dict[str, str]:
        return {p.code: i.code for i in self.indicators.values() for p in i.parameters}

    def parameter_places(self) -> Iterator[tuple[Area, Indicator | None, Parameter]]:
        """(area, indicator, parameter) in file order; an area's bonus parameters follow its
        indicators with indicator None."""
        for area in self.areas:
            for indicator in area.indicators:
                for parameter in indicator.parameters:
                    yield area, indicator, parameter
            for parameter in area.bonus.parameters if area.bonus else ():
                yield area, None, parameter

    def normalisation_of(self, indicator: Indicator) -> MethodSpec:
        return indicator.normalisation or self.rules.normalisation

    def missing_of(self, indicator: Indicator) -> str:
        return indicator.missing or self.rules.missing

    def aggregation_of(self, area: Area) -> MethodSpec:
        return area.aggregation or self.rules.aggregation.areas

    @cached_property
    def canonical(self) -> str:
        """Canonical JSON form: every field, defaults included, sorted keys."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @cached_property
    def hash(self) -> str:
        """sha256 of the canonical JSON form."""
        return hashlib.sha256(self.canonical.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Problems and errors
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodologyProblem:
    """One thing wrong with a methodology file. ``code`` is the offending area, indicator or
    parameter code ('' for the file as a whole); ``path`` is where in the file."""

    code: str
    message: str
    path: str = ""

    def __str__(self) -> str:
        return self.message


class MethodologyInvalid(MethodologyError):
    """The methodology file is not valid."""

    def __init__(self, problems: list[MethodologyProblem], source: str = "methodology"):
        self.problems = list(problems)
        first = "; ".join(p.message for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more problems)" if len(self.problems) > 3 else ""
        super().__init__(f"{source} is not valid: {first}{more}")


# ---------------------------------------------------------------------------------------------
# YAML reading and writing
# ---------------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
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
    data["rules"] = methodology.rules.model_dump(mode="json")  # always written out, for readers
    data["areas"] = areas
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


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
    problems = schema_problems(data)
    if problems:
        return None, problems
    try:
        methodology = Methodology.model_validate(data)
    except ValidationError as exc:
        return None, [_pydantic_problem(data, err) for err in exc.errors()]
    return methodology, semantic_problems(methodology)


# ---------------------------------------------------------------------------------------------
# JSON Schema check
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def methodology_schema() -> dict[str, Any]:
    """The shipped JSON Schema of methodology files."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


_LEVELS = {"areas": "area", "indicators": "indicator", "parameters": "parameter"}


def _owner(data: Any, path: list[Any]) -> tuple[str, str, str]:
    """(kind, code, field) of the innermost coded item on ``path`` and the field below it."""
    kind, code, field, node, parent_key = "", "", "", data, None
    for step in path:
        node = node[step] if isinstance(node, (dict, list)) else None
        if isinstance(step, int) and isinstance(node, dict) and parent_key in _LEVELS:
            kind = _LEVELS[parent_key]
            kind = "bonus parameter" if kind == "parameter" and "bonus" in path else kind
            code, field = str(node.get("code", f"#{step + 1}")), ""
        elif isinstance(step, str):
            field = f"{field}.{step}" if field else step
        parent_key = step
    return kind, code, field


def _where(kind: str, code: str) -> str:
    return f"{kind} `{code}`: " if kind else ""


def _schema_message(error: Any, field: str) -> str:
    validator, value, inst = error.validator, error.validator_value, error.instance
    name = field or "file"
    if validator == "minimum":
        return f"{name} must be ≥ {value:g}"
    if validator == "exclusiveMinimum":
        return f"{name} must be > {value:g}"
    if validator == "maximum":
        return f"{name} must be ≤ {value:g}"
    if validator == "required":
        missing = [r for r in value if isinstance(inst, dict) and r not in inst]
        return f"missing required field {', '.join(f'`{m}`' for m in missing)}"
    if validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed] if isinstance(inst, dict) else []
        parts = []
        for key in extra:
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            parts.append(f"unknown field `{key}`" + (f" (did you mean `{hint[0]}`?)" if hint else ""))
        return "; ".join(parts) + f" (allowed: {', '.join(allowed)})"
    if validator == "enum":
        hint = difflib.get_close_matches(str(inst), [str(v) for v in value], n=1)
        did = f"; did you mean `{hint[0]}`?" if hint else ""
        return f"{name} `{inst}` is not allowed{did} (allowed: {', '.join(map(str, value))})"
    if validator == "const":
        return f"{name} must be `{value}`"
    if validator == "type":
        return f"{name} must be of type {value}, not `{inst!r}`"
    if validator == "pattern":
        return f"{name} `{inst}` is not valid: {error.schema.get('description', 'pattern ' + value)}"
    if validator == "minItems":
        return f"{name} needs at least {value} entr{'y' if value == 1 else 'ies'}"
    if validator in ("oneOf", "anyOf"):
        return f"{name} is not valid: {error.schema.get('description', error.message)}"
    return f"{name}: {error.message}"


def schema_problems(data: Any) -> list[MethodologyProblem]:
    """Structural problems of parsed YAML data, found with the shipped JSON Schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(methodology_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        kind, code, field = _owner(data, path)
        message = _where(kind, code) + _schema_message(error, field)
        problems.append(MethodologyProblem(code, message, _path_text(path)))
    return problems


def _path_text(path: list[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _pydantic_problem(data: Any, err: dict[str, Any]) -> MethodologyProblem:
    path = [p for p in err["loc"] if isinstance(p, (int, str))]
    kind, code, field = _owner(data, [p for p in path if p not in ("per_capita", "log", "cap")])
    return MethodologyProblem(code, _where(kind, code) + f"{field or 'file'}: {err['msg']}", _path_text(path))


# ---------------------------------------------------------------------------------------------
# Semantic checks (what a schema cannot say)
# ---------------------------------------------------------------------------------------------


def semantic_problems(m: Methodology) -> list[MethodologyProblem]:
    """Problems in a structurally valid methodology: duplicate codes, unknown references and
    method names, inconsistent options."""
    problems: list[MethodologyProblem] = []
    for check in (_check_codes, _check_parameters, _check_methods, _check_indicators, _check_weights):
        problems.extend(check(m))
    if m.previous is not None and m.previous == m.key:
        problems.append(MethodologyProblem("", f"previous `{m.previous}` must name another edition than key `{m.key}`"))
    return problems


def _all_parameters(m: Methodology) -> Iterator[tuple[str, Parameter]]:
    for _, indicator, parameter in m.parameter_places():
        yield ("parameter" if indicator else "bonus parameter"), parameter


def _duplicates(kind: str, codes: list[str]) -> list[MethodologyProblem]:
    return [
        MethodologyProblem(code, f"{kind} `{code}`: code is used {n} times; codes must be unique")
        for code, n in Counter(codes).items()
        if n > 1
    ]


def _check_codes(m: Methodology) -> list[MethodologyProblem]:
    scopes = [a.code for a in m.areas] + [i.code for a in m.areas for i in a.indicators]
    problems = _duplicates("area or indicator", scopes)
    problems += _duplicates("parameter", [p.code for _, p in _all_parameters(m)])
    if RESERVED_SCOPE in scopes:
        problems.append(MethodologyProblem(RESERVED_SCOPE, f"code `{RESERVED_SCOPE}` is reserved for the overall score"))
    return problems


def _check_parameters(m: Methodology) -> list[MethodologyProblem]:
    codes = [p.code for _, p in _all_parameters(m)]
    problems = []
    for kind, p in _all_parameters(m):
        problems += [MethodologyProblem(p.code, f"{kind} `{p.code}`: {msg}") for msg in _parameter_messages(p, codes)]
    return problems


def _parameter_messages(p: Parameter, codes: list[str]) -> Iterator[str]:
    if p.kind == "points" and not p.answers:
        yield "kind `points` needs `answers` (answer text → points)"
    if p.kind != "points" and p.answers is not None:
        yield f"`answers` only apply to kind `points`, not `{p.kind}`"
    if p.answers and any(v < 0 for v in p.answers.values()):
        yield "answer points must be ≥ 0"
    if p.answers and len({a.strip().lower() for a in p.answers}) < len(p.answers):
        yield "answers differ only in case or spaces"
    if p.transforms and p.kind != "numeric":
        yield f"transforms only apply to kind `numeric`, not `{p.kind}`"
    for t in p.transforms:
        if isinstance(t, PerCapita) and t.denominator not in REGISTER_DENOMINATORS:
            if t.denominator not in codes:
                hint = difflib.get_close_matches(t.denominator, codes + list(REGISTER_DENOMINATORS), n=1)
                did = f"; did you mean `{hint[0]}`?" if hint else ""
                yield f"per_capita denominator `{t.denominator}` is neither population, area_km2 nor a parameter{did}"
            elif t.denominator == p.code:
                yield "per_capita denominator cannot be the parameter itself"
        if isinstance(t, Cap) and t.min is not None and t.max is not None and t.min > t.max:
            yield f"cap min {t.min:g} is greater than max {t.max:g}"
    r = p.valid_range
    if r and r.min is not None and r.max is not None and r.min > r.max:
        yield f"valid_range min {r.min:g} is greater than max {r.max:g}"


def _method_problems(family: str, spec: MethodSpec | None, owner: str, code: str) -> list[MethodologyProblem]:
    from cityindex.engine.aggregators import AGGREGATORS
    from cityindex.engine.normalisers import NORMALISERS

    if spec is None:
        return []
    registry = NORMALISERS if family == "normaliser" else AGGREGATORS
    if spec.method not in registry:
        return [MethodologyProblem(code, f"{owner}{registry.unknown_message(spec.method)}")]
    messages = registry.check_options(spec.method, spec.options)
    if spec.method == "goalposts" and not messages and spec.options["lower"] >= spec.options["upper"]:
        messages.append("goalposts need lower < upper")
    return [MethodologyProblem(code, f"{owner}{msg}") for msg in messages]


def _rule_problems(registry_name: str, name: str | None, owner: str, code: str) -> list[MethodologyProblem]:
    from cityindex.engine.missing import MISSING_RULES
    from cityindex.engine.ties import TIE_RULES

    registry = MISSING_RULES if registry_name == "missing" else TIE_RULES
    if name is None or name in registry:
        return []
    return [MethodologyProblem(code, f"{owner}{registry.unknown_message(name)}")]


def _check_methods(m: Methodology) -> list[MethodologyProblem]:
    r = m.rules
    problems = _method_problems("normaliser", r.normalisation, "rules.normalisation: ", "")
    problems += _method_problems("aggregator", r.aggregation.areas, "rules.aggregation.areas: ", "")
    problems += _method_problems("aggregator", r.aggregation.overall, "rules.aggregation.overall: ", "")
    problems += _rule_problems("missing", r.missing, "rules.missing: ", "")
    problems += _rule_problems("ties", r.ties, "rules.ties: ", "")
    for area in m.areas:
        problems += _method_problems("aggregator", area.aggregation, f"area `{area.code}`: ", area.code)
        for ind in area.indicators:
            problems += _method_problems("normaliser", ind.normalisation, f"indicator `{ind.code}`: ", ind.code)
            problems += _rule_problems("missing", ind.missing, f"indicator `{ind.code}`: ", ind.code)
    return problems


def _check_indicators(m: Methodology) -> list[MethodologyProblem]:
    problems = []
    for area in m.areas:
        if not area.scored_indicators:
            problems.append(MethodologyProblem(area.code, f"area `{area.code}`: has no scored indicator"))
        for ind in area.indicators:
            directions = {p.direction for p in ind.scored_parameters}
            if ind.combine == "sum":
                for p in ind.scored_parameters:
                    if p.weight != 1:
                        problems.append(MethodologyProblem(
                            p.code,
                            f"parameter `{p.code}`: weight only applies in a `weighted_mean` indicator; "
                            f"indicator `{ind.code}` sums points (set `points` or `answers` instead)",
                        ))
            if ind.combine == "sum" and len(directions) > 1:
                problems.append(MethodologyProblem(
                    ind.code,
                    f"indicator `{ind.code}`: combine `sum` needs parameters of one direction; "
                    "use `weighted_mean` to mix higher_better and lower_better",
                ))
        for p in area.bonus.parameters if area.bonus else ():
            if p.context_only:
                problems.append(MethodologyProblem(p.code, f"bonus parameter `{p.code}`: cannot be context_only"))
            if not p.higher_better:
                problems.append(MethodologyProblem(p.code, f"bonus parameter `{p.code}`: direction must be higher_better (bonus points add up)"))
    return problems


def _check_weights(m: Methodology) -> list[MethodologyProblem]:
    problems = []
    if not any(a.weight > 0 for a in m.areas):
        problems.append(MethodologyProblem("", "all area weights are 0; at least one must be > 0"))
    for area in m.areas:
        if area.scored_indicators and not any(i.weight > 0 for i in area.scored_indicators):
            problems.append(MethodologyProblem(area.code, f"area `{area.code}`: all indicator weights are 0"))
        for ind in area.indicators:
            if ind.combine == "weighted_mean" and ind.scored_parameters and not any(
                p.weight > 0 for p in ind.scored_parameters
            ):
                problems.append(MethodologyProblem(ind.code, f"indicator `{ind.code}`: all parameter weights are 0"))
    return problems
