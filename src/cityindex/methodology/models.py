"""The frozen models of a methodology file: methodology → areas → indicators → parameters.

Field reference: docs/methodology.md. Loading, dumping and checking live beside this module
(``files.py``, ``checks.py``); nothing here reads files or knows the engine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

REGISTER_DENOMINATORS = ("population", "area_km2")
RESERVED_SCOPE = "overall"

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Weight = Annotated[float, Field(ge=0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy (with fields replaced by ``update``); cached lookups are recomputed."""
        copy = super().model_copy(update=update, deep=deep)
        for name in [k for k in copy.__dict__ if k not in type(self).model_fields]:
            del copy.__dict__[name]
        return copy


class LocalText(_Frozen):
    """Text in German and English. YAML: a plain string (the same in both languages) or
    ``{de: …, en: …}``; dumped back the same way. ``str()`` is the German text."""

    de: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        return {"de": value, "en": value} if isinstance(value, str) else value

    @model_serializer
    def _to_yaml(self) -> Any:
        return self.de if self.de == self.en else {"de": self.de, "en": self.en}

    def get(self, lang: str) -> str:
        """The text in ``lang`` ('de' or 'en')."""
        return self.en if lang == "en" else self.de

    def __str__(self) -> str:
        return self.de

    def __bool__(self) -> bool:
        return bool(self.de or self.en)


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
    description: LocalText = LocalText(de="", en="")


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
    rounding_mode: Literal["half_up", "half_even"] = "half_up"


# Uncertainty: which choices of the methodology may vary, and how (docs/uncertainty.md) ------

#: What an uncertainty assumption may vary: a dotted address into the methodology.
ASSUMPTION_ADDRESSES = (
    "weights.areas", "weights.indicators", "rules.normalisation", "rules.aggregation.areas",
    "rules.aggregation.overall", "rules.missing", "bonus",
)
DEFAULT_RUNS = 10_000


class Assumption(_Frozen):
    """One uncertain choice: weights vary uniformly by ± ``share`` (then renormalised), a method
    or rule is drawn from ``alternatives`` (equally likely, the edition's own choice among them),
    ``bonus`` is switched on or off (``alternatives: [true, false]``)."""

    address: Literal[ASSUMPTION_ADDRESSES]  # type: ignore[valid-type]
    share: float | None = Field(default=None, gt=0, lt=1)
    alternatives: tuple[Union[MethodSpec, bool], ...] | None = None


class Uncertainty(_Frozen):
    """The Monte Carlo analysis of an edition's ranks: how many runs, the seed and what varies
    (``assumptions``; when left out, the defaults of ``default_assumptions``)."""

    runs: int = Field(default=DEFAULT_RUNS, ge=1)
    seed: int = Field(default=0, ge=0)
    assumptions: tuple[Assumption, ...] | None = Field(default=None, min_length=1)


class Methodology(_Frozen):
    """One edition's complete rules: the single source of truth for scoring."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    title: LocalText
    version: str
    description: LocalText = LocalText(de="", en="")
    previous: str | None = None
    rules: Rules = Rules()
    areas: tuple[Area, ...] = Field(min_length=1)
    uncertainty: Uncertainty | None = None

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
