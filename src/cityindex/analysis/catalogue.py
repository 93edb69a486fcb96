"""The measure catalogue: what a city could do, what each measure does to parameters, what it costs.

A catalogue is a YAML file checked against the shipped JSON Schema
(``data/schema/measures.schema.json``; reference: docs/planner.md). Each measure ``sets``
parameters to a value (a value the city already has that is better stays) and/or ``raises``
numeric parameters by an amount, costs euros and/or person-days, and may ``require`` or
``exclude`` other measures. ``load_catalogue`` gives one clear error naming the file and the
field; ``check_catalogue`` checks the parameter codes and values against a methodology.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cityindex.errors import CityIndexError
from cityindex.paths import DATA_DIR, SCHEMA_DIR

SCHEMA_PATH = SCHEMA_DIR / "measures.schema.json"
CATALOGUE_DIR = DATA_DIR / "measures"
CURRENCIES = ("euros", "person_days")


class CatalogueError(CityIndexError):
    """The measure catalogue is not valid."""


@dataclass(frozen=True)
class Measure:
    id: str
    name_de: str
    name_en: str
    description_de: str = ""
    description_en: str = ""
    euros: float | None = None
    person_days: float | None = None
    sets: dict[str, Any] = field(default_factory=dict)  # parameter → value as written
    raises: dict[str, float] = field(default_factory=dict)  # parameter → amount
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_de if lang == "de" else self.name_en

    def cost(self, currency: str) -> float | None:
        return getattr(self, currency)

    @property
    def parameters(self) -> list[str]:
        return list(dict.fromkeys([*self.sets, *self.raises]))

    def to_dict(self) -> dict:
        out = dict(self.__dict__)
        out["requires"], out["excludes"] = list(self.requires), list(self.excludes)
        return out


@dataclass(frozen=True)
class Catalogue:
    key: str
    methodology: str
    title_de: str
    title_en: str
    description_de: str
    description_en: str
    example: bool
    measures: tuple[Measure, ...]
    source: str = "catalogue"

    def get(self, measure_id: str) -> Measure:
        return self.by_id[measure_id]

    @property
    def by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    def title(self, lang: str) -> str:
        return self.title_de if lang == "de" else self.title_en


# Reading ----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def catalogue_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _where(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "file"


def _schema_errors(data: Any, label: str) -> None:
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(catalogue_schema()).iter_errors(data), key=lambda e: list(e.path))
    if not errors:
        return
    messages = []
    for error in errors[:3]:
        where = _where(error.path)
        measure = _measure_label(data, list(error.path))
        messages.append(f"{where}{measure}: {_message(error)}")
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    raise CatalogueError(f"{label}: {'; '.join(messages)}{more}")


def _message(error) -> str:
    if error.validator == "anyOf" and isinstance(error.instance, dict) and "cost" in error.instance:
        return "a measure needs sets or raises (or both): what does it change?"
    return error.message


def _measure_label(data: Any, path: list) -> str:
    if len(path) >= 2 and path[0] == "measures" and isinstance(path[1], int) and isinstance(data, dict):
        item = data["measures"][path[1]]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f" (measure {item['id']})"
    return ""


def _text(value: Any) -> tuple[str, str]:
    if value is None:
        return "", ""
    return (value, value) if isinstance(value, str) else (value["de"], value["en"])


def _measure(item: dict) -> Measure:
    name, description, cost = _text(item["name"]), _text(item.get("description")), item["cost"]
    return Measure(id=item["id"], name_de=name[0], name_en=name[1], description_de=description[0],
                   description_en=description[1], euros=cost.get("euros"), person_days=cost.get("person_days"),
                   sets=dict(item.get("sets") or {}), raises={k: float(v) for k, v in (item.get("raises") or {}).items()},
                   requires=tuple(item.get("requires") or ()), excludes=tuple(item.get("excludes") or ()))


def _read_yaml(path: Path) -> Any:
    from cityindex.methodology.files import _Loader  # yes/no stay text, as in methodology files

    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "not found"
        raise CatalogueError(f"measure catalogue {path} {what}; give the path of a .yaml file")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise CatalogueError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and check a catalogue file (schema, ids, prerequisites); ``CatalogueError`` otherwise."""
    path = Path(path)
    data = _read_yaml(path)
    _schema_errors(data, str(path))
    title, description = _text(data["title"]), _text(data.get("description"))
    catalogue = Catalogue(key=data["key"], methodology=data["methodology"], title_de=title[0], title_en=title[1],
                          description_de=description[0], description_en=description[1],
                          example=bool(data.get("example", False)),
                          measures=tuple(_measure(item) for item in data["measures"]), source=str(path))
    problems = structure_problems(catalogue)
    if problems:
        raise CatalogueError(f"{path}: {'; '.join(problems[:3])}" + (f" (and {len(problems) - 3} more)"
                                                                      if len(problems) > 3 else ""))
    return catalogue


def default_catalogue_path(methodology_key: str) -> Path:
    """The example catalogue shipped for a methodology (``data/measures/<key>.yaml``)."""
    path = CATALOGUE_DIR / f"{methodology_key}.yaml"
    if not path.is_file():
        raise CatalogueError(f"No measure catalogue is shipped for methodology {methodology_key}; "
                             "give one with --catalogue FILE (format: docs/planner.md).")
    return path


# Checks -----------------------------------------------------------------------------------------


def _unknown_id(measure: Measure, field_name: str, other: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(other, ids, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"measure {measure.id}: {field_name} names unknown measure {other!r}{hint}"


def _cycle(catalogue: Catalogue) -> list[str] | None:
    """A cycle of prerequisites as a list of ids (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    by_id = catalogue.by_id

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in by_id[node].requires:
            if nxt not in by_id:
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
            if state.get(nxt) is None and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return None

    for m in catalogue.measures:
        if state.get(m.id) is None and (found := visit(m.id, [m.id])):
            return found
    return None


def closure(catalogue: Catalogue, measure_id: str) -> set[str]:
    """Every measure ``measure_id`` needs, directly or through other prerequisites."""
    seen, todo, by_id = set(), [measure_id], catalogue.by_id
    while todo:
        for nxt in by_id[todo.pop()].requires:
            if nxt in by_id and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def structure_problems(catalogue: Catalogue) -> list[str]:
    """Duplicate or unknown ids, self-references, prerequisite cycles, measures that can never be taken."""
    ids = [m.id for m in catalogue.measures]
    problems = [f"measure id {i!r} is used more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for m in catalogue.measures:
        for field_name in ("requires", "excludes"):
            for other in getattr(m, field_name):
                if other == m.id:
                    problems.append(f"measure {m.id}: {field_name} names the measure itself")
                elif other not in ids:
                    problems.append(_unknown_id(m, field_name, other, ids))
    if problems:
        return problems
    cycle = _cycle(catalogue)
    if cycle:
        return [f"the prerequisites (requires) form a cycle: {' → '.join(cycle)}; a measure cannot need itself"]
    by_id = catalogue.by_id
    for m in catalogue.measures:
        needed = closure(catalogue, m.id) | {m.id}
        for a in sorted(needed):
            clash = sorted(set(by_id[a].excludes) & needed)
            if clash:
                problems.append(f"measure {m.id} can never be taken: it needs {a} and {clash[0]}, which exclude "
                                "each other")
                break
    return problems


def check_catalogue(catalogue: Catalogue, methodology) -> dict[str, dict[str, float]]:
    """Check every parameter code and value against ``methodology``; return each measure's
    ``sets`` in screened units. ``CatalogueError`` names the measure and the field."""
    from cityindex.analysis.scenario import BadValue, UnknownParameter, parameter, parse_value

    parsed = {}
    for m in catalogue.measures:
        parsed[m.id] = {}
        try:
            for code, value in m.sets.items():
                p = parameter(methodology, code, field=f"measure {m.id}: sets.{code}")
                parsed[m.id][code] = parse_value(p, value, field=f"measure {m.id}: sets.{code}")
            for code in m.raises:
                p = parameter(methodology, code, field=f"measure {m.id}: raises.{code}")
                if p.kind != "numeric":
                    raise CatalogueError(f"measure {m.id}: raises.{code}: {code} is a {p.kind} parameter; "
                                         "use sets to give it a value")
        except (BadValue, UnknownParameter) as exc:
            raise CatalogueError(f"{catalogue.source}: {exc}") from None
        except CatalogueError as exc:
            raise CatalogueError(f"{catalogue.source}: {exc}") from None
    return parsed
