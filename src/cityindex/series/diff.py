"""``diff_methodologies(a, b)``: what changed between two methodologies.

Parameters added, removed and changed (where they sit, kind, points, answers, direction, weight,
transforms, scale unit, context only), indicators and areas whose weight, combination,
normalisation or missing-data rule changed, and the edition-wide rules. Each change is one row:
``level, code, field, before, after``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cityindex.methodology import Methodology

PARAMETER_FIELDS = ("kind", "measure", "unit", "points", "answers", "direction", "weight", "transforms",
                    "valid_range", "context_only")
INDICATOR_FIELDS = ("weight", "combine", "normalisation", "missing")
AREA_FIELDS = ("weight", "aggregation")


@dataclass(frozen=True)
class Change:
    level: str  # rules, area, indicator, parameter
    code: str
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class MethodDiff:
    """The difference from methodology *a* (before) to *b* (after)."""

    before: str  # "key version"
    after: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changes)

    def to_dict(self) -> dict:
        return {"before": self.before, "after": self.after, "added": list(self.added), "removed": list(self.removed),
                "changes": [vars(c) | {"before": plain_value(c.before), "after": plain_value(c.after)} for c in self.changes]}


def plain_value(value):
    """A field value as plain data (pydantic models by their JSON dump), for comparing and for JSON."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, tuple):
        return [plain_value(v) for v in value]
    return value


def _compare(level: str, code: str, names, a, b) -> list[Change]:
    return [Change(level, code, name, getattr(a, name), getattr(b, name)) for name in names
            if plain_value(getattr(a, name)) != plain_value(getattr(b, name))]


def _places(m: Methodology) -> dict[str, tuple[str, str | None]]:
    """parameter code -> (area, indicator or None for a bonus parameter)."""
    return {p.code: (area.code, indicator.code if indicator else None) for area, indicator, p in m.parameter_places()}


def diff_methodologies(a: Methodology, b: Methodology) -> MethodDiff:
    """The changes from *a* to *b*."""
    changes = _compare("rules", "", ("normalisation", "aggregation", "missing", "ties", "rounding"), a.rules, b.rules)
    areas_a, areas_b = {x.code: x for x in a.areas}, {x.code: x for x in b.areas}
    for code in areas_a.keys() & areas_b.keys():
        changes += _compare("area", code, AREA_FIELDS, areas_a[code], areas_b[code])
    for code in [c for c in areas_b if c not in areas_a]:
        changes.append(Change("area", code, "added", None, areas_b[code].name_en))
    for code in [c for c in areas_a if c not in areas_b]:
        changes.append(Change("area", code, "removed", areas_a[code].name_en, None))
    for code in a.indicators.keys() & b.indicators.keys():
        changes += _compare("indicator", code, INDICATOR_FIELDS, a.indicators[code], b.indicators[code])
    places_a, places_b = _places(a), _places(b)
    for code in [c for c in places_b if c in places_a]:
        if places_a[code] != places_b[code]:
            changes.append(Change("parameter", code, "place", "/".join(filter(None, places_a[code])),
                                  "/".join(filter(None, places_b[code]))))
        changes += _compare("parameter", code, PARAMETER_FIELDS, a.parameters[code], b.parameters[code])
    order = {"rules": 0, "area": 1, "indicator": 2, "parameter": 3}
    changes.sort(key=lambda c: (order[c.level], c.code, c.field))
    return MethodDiff(f"{a.key} {a.version}", f"{b.key} {b.version}",
                      added=tuple(c for c in places_b if c not in places_a),
                      removed=tuple(c for c in places_a if c not in places_b), changes=tuple(changes))
