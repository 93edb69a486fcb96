"""Checking a methodology: the shipped JSON Schema (structure) and the semantic checks (what a
schema cannot say: duplicate codes, unknown references and method names, inconsistent options).
Method names come from ``cityindex.methods``, which sits below both the methodology and the
engine."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cityindex.errors import MethodologyError
from cityindex.methodology.models import (REGISTER_DENOMINATORS, RESERVED_SCOPE, Cap, Methodology, MethodSpec,
                                          Parameter, PerCapita)
from cityindex.methods import AGGREGATORS, MISSING_RULES, NORMALISERS, TIE_RULES
from cityindex.paths import SCHEMA_DIR

SCHEMA_PATH = SCHEMA_DIR / "methodology.schema.json"


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


@lru_cache(maxsize=1)
def methodology_schema() -> dict[str, Any]:
    """The shipped JSON Schema of methodology files."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


_LEVELS = {"areas": "area", "indicators": "indicator", "parameters": "parameter",
           "assumptions": "uncertainty assumption"}


def _owner(data: Any, path: list[Any]) -> tuple[str, str, str]:
    """(kind, code, field) of the innermost coded item on ``path`` and the field below it."""
    kind, code, field, node, parent_key = "", "", "", data, None
    for step in path:
        node = node[step] if isinstance(node, (dict, list)) else None
        if isinstance(step, int) and isinstance(node, dict) and parent_key in _LEVELS:
            kind = _LEVELS[parent_key]
            kind = "bonus parameter" if kind == "parameter" and "bonus" in path else kind
            code, field = str(node.get("code", node.get("address", f"#{step + 1}"))), ""
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
    if validator == "exclusiveMaximum":
        return f"{name} must be < {value:g}"
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


@lru_cache(maxsize=1)
def _validator() -> Any:
    """The JSON Schema validator, built once (building it costs more than a validation)."""
    import jsonschema

    return jsonschema.Draft202012Validator(methodology_schema())


def schema_problems(data: Any) -> list[MethodologyProblem]:
    """Structural problems of parsed YAML data, found with the shipped JSON Schema."""
    validator = _validator()
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        kind, code, field = _owner(data, path)
        message = _where(kind, code) + _schema_message(error, field)
        problems.append(MethodologyProblem(code, message, _path_text(path)))
    return problems


def _path_text(path: list[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def pydantic_problem(data: Any, err: dict[str, Any]) -> MethodologyProblem:
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
    from cityindex.methodology.uncertainty import uncertainty_problems

    for check in (_check_codes, _check_parameters, _check_methods, _check_indicators, _check_weights,
                  uncertainty_problems):
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
            problems += _points_only(m, ind)
    return problems


def _points_only(m: Methodology, ind) -> list[MethodologyProblem]:
    """``share_of_maximum`` divides by the points possible: numbers have none."""
    if NORMALISERS.canonical(m.normalisation_of(ind).method) != "share_of_maximum":
        return []
    numeric = [p.code for p in ind.scored_parameters if p.kind == "numeric"]
    if not numeric:
        return []
    return [MethodologyProblem(ind.code, f"indicator `{ind.code}`: normaliser `share_of_maximum` needs points "
                                         f"(binary or points parameters); `{numeric[0]}` is numeric")]


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
