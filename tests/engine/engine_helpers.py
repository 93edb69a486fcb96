"""Builders for the engine tests: small methodologies written as data, tiny CSV cases.

AGS codes starting with 99 are fictional units (no German state has the code 99); their values
are synthetic. Real AGS appear only with values published for that city.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cityindex.methodology import Methodology, load_methodology

CASES = Path(__file__).resolve().parents[1] / "data" / "engine"


def parameter(code: str, kind: str = "numeric", **fields: Any) -> dict[str, Any]:
    return {"code": code, "name_de": code, "name_en": code, "kind": kind, **fields}


def indicator(code: str, parameters: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {"code": code, "name_de": code, "name_en": code, "parameters": parameters, **fields}


def area(code: str, indicators: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {"code": code, "name_de": code, "name_en": code, "indicators": indicators, **fields}


def methodology(areas: list[dict[str, Any]], **rules: Any) -> Methodology:
    """A validated methodology (goes through the same YAML loading as a file)."""
    data = {"key": "test", "title": "Test (fictional)", "version": "1", "rules": rules, "areas": areas}
    return load_methodology(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def single(
    code: str = "p", kind: str = "numeric", normalisation: Any = "best_worst", rules: dict | None = None, **fields: Any
) -> Methodology:
    """One area `a`, one indicator `i`, one parameter (``code``)."""
    ind = indicator("i", [parameter(code, kind, **fields)], normalisation=normalisation)
    return methodology([area("a", [ind])], **(rules or {}))


def long(values: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """{parameter: {ags: value}} → long frame city, parameter, value."""
    rows = [(city, code, value) for code, per_city in values.items() for city, value in per_city.items()]
    return pd.DataFrame(rows, columns=["city", "parameter", "value"])


def case(name: str) -> pd.DataFrame:
    """A tiny named CSV case from tests/data/engine (AGS read as text)."""
    return pd.read_csv(CASES / name, dtype={"city": str}, comment="#")
