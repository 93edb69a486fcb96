"""Methodology as data: one edition's rules, loaded from YAML into frozen models.

A methodology file describes areas → indicators → parameters, how parameters are read
(kinds, answers, transforms), how indicators are normalised and how scores are aggregated,
weighted, ranked and rounded. The reference is docs/methodology.md. Three modules:

    models.py   the frozen models (Methodology, Area, Indicator, Parameter, Rules …)
    files.py    load_methodology / dump_methodology / validate_methodology (YAML ⇄ models)
    checks.py   the shipped JSON Schema and the semantic checks, as MethodologyProblems

``load_methodology(dump_methodology(m)) == m``. Method names (normalisers, aggregators …) come
from ``cityindex.methods``, below both this package and the engine.
"""

from cityindex.methodology.checks import (SCHEMA_PATH, MethodologyInvalid, MethodologyProblem, methodology_schema,
                                          schema_problems, semantic_problems)
from cityindex.methodology.files import HEADER, dump_methodology, load_methodology, validate_methodology
from cityindex.methodology.models import (REGISTER_DENOMINATORS, RESERVED_SCOPE, Area, Bonus, Cap, Indicator,
                                          LocalText, Log, Methodology, MethodSpec, Parameter, PerCapita, Rules)

__all__ = [
    "Area",
    "Bonus",
    "Cap",
    "HEADER",
    "Indicator",
    "LocalText",
    "Log",
    "Methodology",
    "MethodologyInvalid",
    "MethodologyProblem",
    "MethodSpec",
    "Parameter",
    "PerCapita",
    "REGISTER_DENOMINATORS",
    "RESERVED_SCOPE",
    "Rules",
    "SCHEMA_PATH",
    "dump_methodology",
    "load_methodology",
    "methodology_schema",
    "schema_problems",
    "semantic_problems",
    "validate_methodology",
]
