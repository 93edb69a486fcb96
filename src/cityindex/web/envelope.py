"""The one JSON envelope every API response uses.

Success: ``{"ok": true, "status": 200, "data": …}`` (lists also carry ``count``).
Error:   ``{"ok": false, "status": 404, "error": "…", "errors": [...], "suggestions": [...]}``.
"""

import math
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel


def ok_body(data: Any, *, status: int = 200) -> dict[str, Any]:
    """Envelope for a successful response; ``data`` is made JSON-safe (NaN → null)."""
    body: dict[str, Any] = {"ok": True, "status": status, "data": jsonable(data)}
    if isinstance(data, list):
        body["count"] = len(data)
    return body


def error_body(
    status: int,
    error: str,
    *,
    errors: list[str] | None = None,
    suggestions: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Envelope for an error: one message, the list of all problems, optional suggestions."""
    return {
        "ok": False,
        "status": status,
        "error": error,
        "errors": list(errors or [error]),
        "suggestions": list(suggestions or []),
    }


def jsonable(value: Any) -> Any:
    """Turn numpy/pandas scalars, NaN and tuples into plain JSON values, recursively."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return jsonable(value.to_dict(orient="records"))
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


# Models of the two shapes, for the OpenAPI document (responses are built by the functions above).


class Suggestion(BaseModel):
    """A close match for an unknown city, edition or area."""

    label: str
    url: str


class OkEnvelope(BaseModel):
    """Every successful JSON response."""

    ok: bool = True
    status: int = 200
    data: Any
    count: int | None = None


class ErrorEnvelope(BaseModel):
    """Every JSON error (4xx, 5xx)."""

    ok: bool = False
    status: int
    error: str
    errors: list[str]
    suggestions: list[Suggestion] = []


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": OkEnvelope, "description": "Success envelope"},
    400: {"model": ErrorEnvelope, "description": "Invalid parameter"},
    404: {"model": ErrorEnvelope, "description": "Unknown city, edition or area (with suggestions)"},
}

#: Errors of file downloads (CSV, charts, exports) are HTML pages for the browser that followed the link.
FILE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (an HTML error page)", "content": {"text/html": {}}},
    404: {"description": "Unknown city, edition or format (an HTML error page with suggestions)",
          "content": {"text/html": {}}},
}
