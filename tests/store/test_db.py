"""Opening the store: clear errors for bad URLs and unreachable servers, settings respected."""

import pytest

from cityindex.settings import get_settings
from cityindex.store import StoreError, list_editions, open_store


def test_not_a_url_is_a_clear_error():
    with pytest.raises(StoreError, match="Not a database URL: 'my database'"):
        open_store("my database")


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
