"""Evidence files: only complete PDF, PNG and JPEG files of at most 10 MB, recognised from their
content; everything else is refused with a clear reason and nothing is stored."""

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from review_helpers import AACHEN, REVIEWER, revision_of

from cityindex.review import Entry, UnknownItem, UploadRefused, read_upload, save_entries, store_upload
from cityindex.review.uploads import MAX_BYTES, check_file
from cityindex.settings import get_settings

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture()
def data_dir(tmp_path):
    return get_settings(data_dir=tmp_path)


def _stored(store, settings) -> tuple[int, list]:
    import sqlalchemy as sa

    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT count(*) FROM review_uploads")).scalar()
    files = [p for p in (settings.data_dir / "uploads").rglob("*") if p.is_file()] \
        if (settings.data_dir / "uploads").exists() else []
    return rows, files


def _refused(store, settings, data: bytes, name: str, problem: str) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        store_upload(store, edition="e", city="Aachen", data=data, file_name=name, by=REVIEWER, settings=settings)
    assert caught.value.details["problem"] == problem
    assert _stored(store, settings) == (0, [])
    return caught.value


def test_pdf_png_and_jpeg_are_stored_by_their_content_hash_outside_the_web_root(review, evidence, data_dir):
    for kind, data in evidence.items():
        info = store_upload(review, edition="e", city="Aachen", data=data, file_name=f"../../beleg {kind}.bin",
                            by=REVIEWER, settings=data_dir)
        assert info.media_type == {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[kind]
        assert info.sha256 == hashlib.sha256(data).hexdigest() and "/" not in info.file_name
        assert info.file_name.startswith("beleg_") and info.file_name.endswith((".pdf", ".png", ".jpg"))
        path = data_dir.data_dir / "uploads" / info.sha256[:2] / info.sha256
        assert path.read_bytes() == data
        assert read_upload(review, edition="e", upload_id=info.id, city="Aachen", settings=data_dir)[1] == data
    again = store_upload(review, edition="e", city="Aachen", data=evidence["pdf"], file_name="x.pdf", by=REVIEWER,
                         settings=data_dir)
    rows, files = _stored(review, data_dir)
    assert (rows, len(files)) == (4, 3) and again.sha256 == hashlib.sha256(evidence["pdf"]).hexdigest()


def test_html_disguised_as_pdf_is_refused(review, data_dir):
    error = _refused(review, data_dir, HTML, "nachweis.pdf", "wrong-type")
    assert "HTML" in str(error) and "only PDF, PNG and JPEG" in str(error)


@pytest.mark.parametrize("data, problem", [
    (b"GIF89a" + b"\x00" * 100, "wrong-type"),
    (b"PK\x03\x04" + b"\x00" * 100, "wrong-type"),
    (b"Anzahl Ladepunkte: 14\n", "wrong-type"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "wrong-type"),
    (b"", "empty-file"),
])
def test_other_types_are_refused(review, data_dir, data, problem):
    _refused(review, data_dir, data, "beleg.pdf", problem)


@pytest.mark.parametrize("kind, cut", [("pdf", 0.5), ("png", 0.5), ("jpeg", 0.5), ("pdf", 0.99), ("png", 0.99)])
def test_truncated_files_are_refused(review, evidence, data_dir, kind, cut):
    data = evidence[kind]
    error = _refused(review, data_dir, data[: int(len(data) * cut)], f"beleg.{kind}", "damaged-file")
    assert "damaged or incomplete" in str(error)


def test_a_png_with_a_corrupted_chunk_is_refused(review, evidence, data_dir):
    data = bytearray(evidence["png"])
    data[40] ^= 0xFF
    _refused(review, data_dir, bytes(data), "beleg.png", "damaged-file")


def test_files_over_10_mb_are_refused(review, evidence, data_dir):
    pdf = evidence["pdf"]
    oversized = pdf[:-6] + b" " * (MAX_BYTES - len(pdf) + 1) + pdf[-6:]
    error = _refused(review, data_dir, oversized, "gross.pdf", "too-large")
    assert "10 MB" in str(error)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0"]),
       body=st.binary(max_size=600))
def test_random_bytes_are_accepted_only_as_complete_files_of_an_allowed_type(prefix, body):
    data = prefix + body
    try:
        media_type = check_file(data)
    except UploadRefused as error:
        assert error.details["problem"] in ("empty-file", "wrong-type", "damaged-file")
        return
    assert media_type == "application/pdf" and b"%%EOF" in data[-2048:]


def test_an_upload_is_only_for_its_city(review, evidence, data_dir):
    info = store_upload(review, edition="e", city="Aachen", data=evidence["png"], file_name="a.png", by=REVIEWER,
                        settings=data_dir)
    with pytest.raises(UnknownItem):
        read_upload(review, edition="e", upload_id=info.id, city="Bonn", settings=data_dir)
    with pytest.raises(UnknownItem):
        read_upload(review, edition="e", upload_id=info.id + 1, settings=data_dir)
    from cityindex.review import InvalidEntry

    with pytest.raises(InvalidEntry) as caught:
        save_entries(review, edition="e", city="Bonn", by="ben@bonn.example", entries=[Entry(
            "charging_points", "correct", value="9", upload_id=info.id, base_revision=revision_of(review, "05314000",
                                                                                                "charging_points"))])
    assert caught.value.details["problems"][0].code == "unknown-upload"
    save_entries(review, edition="e", city="Aachen", by=REVIEWER, entries=[Entry(
        "charging_points", "correct", value="14", upload_id=info.id,
        base_revision=revision_of(review, AACHEN, "charging_points"))])
