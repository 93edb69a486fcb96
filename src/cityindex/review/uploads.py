"""Evidence files: PDF, PNG or JPEG of at most 10 MB, checked from their content, stored by hash.

* The type comes from the bytes (``filetype`` reads the magic numbers), never from the name or
  the browser's content type; the file must then also be complete for its type (a PDF ends with
  ``%%EOF`` after a ``startxref``, every PNG chunk has a valid CRC up to ``IEND``, a JPEG ends
  with its end-of-image marker). Anything else is refused with one clear reason and nothing is
  stored.
* The bytes go to ``<data_dir>/uploads/<sha256[:2]>/<sha256>`` — outside any web root, one file
  per content — and a row in ``review_uploads`` names the campaign, the city and who uploaded.
* ``read_upload`` hands a file only to the team or to the city it belongs to; the website serves
  it as an attachment with ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import filetype

from cityindex.review.campaigns import city_ags, load_campaign, log_event, require_open
from cityindex.review.errors import UnknownItem, UploadRefused
from cityindex.review.models import ReviewUpload
from cityindex.review.texts import problem_text, size_text
from cityindex.settings import Settings, get_settings
from cityindex.store.db import Store
from cityindex.store.editions import check_by
from cityindex.store.models import utcnow

MAX_BYTES = 10 * 1000 * 1000
ALLOWED = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class UploadInfo:
    id: int
    city: str
    sha256: str
    size: int
    media_type: str
    file_name: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _refused(code: str, **details) -> UploadRefused:
    return UploadRefused(problem_text(code, details, "en"), problem=code, **details)


# --- checking ------------------------------------------------------------------------------

def check_file(data: bytes) -> str:
    """The media type of an acceptable evidence file; ``UploadRefused`` naming the reason otherwise."""
    if not data:
        raise _refused("empty-file")
    if len(data) > MAX_BYTES:
        raise _refused("too-large", size=size_text(len(data), "en"), limit=size_text(MAX_BYTES, "en"))
    kind = filetype.guess(data)
    media_type = kind.mime if kind else None
    if media_type not in ALLOWED:
        raise _refused("wrong-type", found=_describe(data, media_type))
    problem = COMPLETE[media_type](data)
    if problem:
        raise _refused("damaged-file", detail=problem)
    return media_type


def _describe(data: bytes, media_type: str | None) -> str:
    """What a refused file is, for the message (its detected type, or what its start looks like)."""
    if media_type:
        return media_type
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or b"<html" in head:
        return "HTML"
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        return "XML/SVG"
    return "of an unknown type"


def _pdf_problem(data: bytes) -> str | None:
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in data[-4096:]:
        return "PDF without its end (%%EOF)"
    return None


def _png_problem(data: bytes) -> str | None:
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        length, = struct.unpack(">I", data[position:position + 4])
        chunk_type = data[position + 4:position + 8]
        end = position + 8 + length
        if end + 4 > len(data):
            return "PNG cut off inside a chunk"
        crc, = struct.unpack(">I", data[end:end + 4])
        if zlib.crc32(data[position + 4:end]) != crc:
            return "PNG chunk with a wrong checksum"
        if chunk_type == b"IEND":
            return None
        position = end + 4
    return "PNG without its end (IEND)"


def _jpeg_problem(data: bytes) -> str | None:
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return "JPEG without its end-of-image marker"
    return None


COMPLETE = {"application/pdf": _pdf_problem, "image/png": _png_problem, "image/jpeg": _jpeg_problem}


def safe_name(name: str | None, media_type: str) -> str:
    """A harmless display name (letters, digits, ``._-``) with the extension of the detected type."""
    stem = Path((name or "").replace("\\", "/")).name
    stem = re.sub(r"[^\w.\-]+", "_", stem, flags=re.ASCII).strip("._")
    stem = re.sub(r"\.(pdf|png|jpe?g)$", "", stem, flags=re.IGNORECASE)[:100] or "nachweis"
    return stem + ALLOWED[media_type]


# --- storing and reading -------------------------------------------------------------------

def upload_dir(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).data_dir / "uploads"


def blob_path(sha256: str, settings: Settings | None = None) -> Path:
    return upload_dir(settings) / sha256[:2] / sha256


def store_upload(store: Store, *, edition: str, city: str, data: bytes, file_name: str | None, by: str,
                 settings: Settings | None = None) -> UploadInfo:
    """Check and keep an evidence file of a city; returns its record (``UploadRefused`` stores nothing)."""
    check_by(by)
    ags = city_ags(city)
    media_type = check_file(data)
    sha = hashlib.sha256(data).hexdigest()
    name = safe_name(file_name, media_type)
    with store.transaction() as session:
        row, campaign = load_campaign(session, edition)
        require_open(row, campaign)
        upload = ReviewUpload(campaign_id=campaign.id, city_ags=ags, sha256=sha, size=len(data),
                              media_type=media_type, file_name=name, uploaded_by=by, uploaded_at=utcnow())
        session.add(upload)
        session.flush()
        log_event(session, campaign, actor=by, action="uploaded", city_ags=ags, detail=f"{name} ({sha[:12]})")
        _write_blob(blob_path(sha, settings), data)
        return UploadInfo(id=upload.id, city=ags, sha256=sha, size=len(data), media_type=media_type, file_name=name)


def _write_blob(path: Path, data: bytes) -> None:
    """Write once, atomically: a file of that hash exists complete or not at all."""
    if path.is_file() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_upload(store: Store, *, edition: str, upload_id: int, city: str | None = None,
                settings: Settings | None = None) -> tuple[UploadInfo, bytes]:
    """An upload's record and bytes; with ``city`` only that city's own (others do not exist for it)."""
    ags = city_ags(city) if city else None
    with store.sessions() as session:
        _, campaign = load_campaign(session, edition)
        upload = session.get(ReviewUpload, upload_id)
        if upload is None or upload.campaign_id != campaign.id or (ags is not None and upload.city_ags != ags):
            raise UnknownItem(f"No upload #{upload_id} here.")
        info = UploadInfo(id=upload.id, city=upload.city_ags, sha256=upload.sha256, size=upload.size,
                          media_type=upload.media_type, file_name=upload.file_name)
    path = blob_path(info.sha256, settings)
    try:
        data = path.read_bytes()
    except OSError:
        raise UnknownItem(f"The file of upload #{upload_id} is missing from the data directory.") from None
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise UnknownItem(f"The file of upload #{upload_id} does not match its checksum.")
    return info, data
