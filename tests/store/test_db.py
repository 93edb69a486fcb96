"""Opening the store: clear errors for bad URLs and unreachable servers, settings respected."""

import pytest

from cityindex.settings import get_settings
from cityindex.store import StoreError, list_editions, open_store


@pytest.mark.parametrize("url", ["my database with password hunter2", "postgresql+psycopg//someone:hunter2@db/x",
                                 "postgresql+psycopg://someone:hunter2@db:port/x", "nosuchdb://someone:hunter2@db/x"])
def test_a_malformed_url_is_one_line_that_never_shows_the_password(url):
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "hunter2" not in message and "\n" not in message
    assert "sqlite:///" in message and "postgresql+psycopg://" in message  # says what a URL looks like


def test_a_zero_byte_file_is_not_taken_for_a_new_store(tmp_path):
    (tmp_path / "cityindex.sqlite").write_bytes(b"")
    with pytest.raises(StoreError, match="is empty \\(0 bytes\\), so it is not a cityindex store"):
        open_store(f"sqlite:///{tmp_path / 'cityindex.sqlite'}")
    assert (tmp_path / "cityindex.sqlite").stat().st_size == 0


def test_a_damaged_file_is_named_and_left_alone(tmp_path):
    path = tmp_path / "cityindex.sqlite"
    path.write_bytes(b"not a database " * 500)
    with pytest.raises(StoreError, match="not a SQLite database or is damaged. Restore it from a backup"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == b"not a database " * 500


def test_unreachable_server_is_one_line_without_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://someone:topsecret@127.0.0.1:1/nothing")
    message = str(caught.value)
    assert message.startswith("Cannot open the store at postgresql+psycopg://someone:***@127.0.0.1:1/nothing")
    assert "topsecret" not in message and "\n" not in message


def test_default_store_lives_in_the_configured_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("CITYINDEX_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    with open_store(settings=get_settings(data_dir=tmp_path / "data")) as store:
        assert list_editions(store) == []
        assert store.dialect == "sqlite"
    assert (tmp_path / "data" / "cityindex.sqlite").is_file()


def test_a_store_of_a_newer_cityindex_is_refused_with_one_line(tmp_path):
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'cityindex.sqlite'}"
    with open_store(url) as store, store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="migrated by a newer cityindex \\(schema 9999; this cityindex knows up to"):
        open_store(url)
