"""The review pages' forms: multipart with evidence files, CSRF-checked; form fields → entries.

Field names of the area form, per parameter code ``p``: ``k_p`` (confirm / correct), ``v_p`` (the
correct value), ``u_p`` (evidence link), ``f_p`` (evidence file), ``c_p`` (comment), ``up_p`` (an
upload kept from an earlier try), and the hidden ``ver_p`` (entry version) and ``rev_p`` (data
point revision) the page was rendered with — the optimistic lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import UploadFile

from cityindex.auth import csrf
from cityindex.auth.errors import CsrfError
from cityindex.review import Entry, ReviewError
from cityindex.review.uploads import MAX_BYTES
from cityindex.web.auth import Form, current_visitor

MAX_FILES = 40
MAX_REQUEST_BYTES = 3 * MAX_BYTES + 256 * 1024
MAX_FIELD_BYTES = 64 * 1024


class RequestTooLarge(ReviewError):
    """The request is too large: send at most three evidence files at once."""

    code = "request-too-large"
    page_text = ("rv_request_too_large", "")  # the error page says it in the reader's language


@dataclass
class Posted:
    """A posted review form: its text fields and its files (field name → (file name, bytes))."""

    fields: Form
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


async def posted_form(request: Request) -> Posted:
    """The POSTed (multipart or urlencoded) form after the CSRF check; files read into memory.

    A request without a length or longer than three full evidence files is refused before it is
    read (``RequestTooLarge``, 400); a single file over 10 MB is read only up to its limit and refused later.
    """
    try:
        size = int(request.headers.get("content-length") or -1)
    except ValueError:
        size = -1
    if size < 0 or size > MAX_REQUEST_BYTES:
        raise RequestTooLarge()
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=3000, max_part_size=MAX_FIELD_BYTES)
    except Exception:  # malformed body: no valid token can be in it
        raise CsrfError() from None
    fields = Form(form)
    visitor = current_visitor(request)
    if not visitor.has_csrf_cookie or not csrf.same_token(fields.get(csrf.FIELD), visitor.csrf):
        raise CsrfError()
    files = {}
    for name, value in form.multi_items():
        if isinstance(value, UploadFile) and value.filename:
            data = await value.read(MAX_BYTES + 1)
            if data:
                files[name] = (value.filename, data)
    return Posted(fields, files)


def number(text: str | None) -> int:
    """A hidden version or revision field; anything else is -1 (then refused as a conflict)."""
    try:
        return int(text or "")
    except ValueError:
        return -1


def area_entries(posted: Posted, parameters: list[dict]) -> list[Entry]:
    """The entries of an area form: one per parameter the reviewer checked (confirm or correct)."""
    entries = []
    for p in parameters:
        code, fields = p["code"], posted.fields
        kind = fields.get(f"k_{code}")
        if kind not in ("confirm", "correct"):
            continue
        kept = number(fields.get(f"up_{code}"))
        entries.append(Entry(code, kind, value=fields.get(f"v_{code}"), evidence_url=fields.get(f"u_{code}"),
                             upload_id=kept if kept > 0 else None, comment=fields.get(f"c_{code}"),
                             version=number(fields.get(f"ver_{code}")),
                             base_revision=number(fields.get(f"rev_{code}"))))
    return entries


def form_values(posted: Posted, parameters: list[dict]) -> dict[str, dict]:
    """What the reviewer typed, per parameter, to show again after a refusal."""
    f = posted.fields
    return {p["code"]: {"kind": f.get(f"k_{p['code']}"), "value": f.get(f"v_{p['code']}"),
                        "url": f.get(f"u_{p['code']}"), "comment": f.get(f"c_{p['code']}"),
                        "upload": number(f.get(f"up_{p['code']}"))} for p in parameters}
