"""Settings: defaults, environment, explicit overrides, and documentation of every field."""

from pathlib import Path

import pytest

from cityindex.settings import Settings, SettingsError, get_settings

DOCS = Path(__file__).parent.parent.parent / "docs" / "settings.md"


def test_default_store_is_a_sqlite_file_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("CITYINDEX_DATABASE_URL", raising=False)
    monkeypatch.delenv("CITYINDEX_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    settings = get_settings()
    assert settings.data_dir == tmp_path / "cityindex"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'cityindex' / 'cityindex.sqlite'}"


def test_environment_then_explicit_override(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("CITYINDEX_DATABASE_URL=sqlite:///from-dotenv.sqlite\nCITYINDEX_SQL_ECHO=true\n")
    assert get_settings().database_url == "sqlite:///from-dotenv.sqlite" and get_settings().sql_echo
    monkeypatch.setenv("CITYINDEX_DATABASE_URL", "sqlite:///from-env.sqlite")
    assert get_settings().database_url == "sqlite:///from-env.sqlite"
    assert get_settings(database_url="sqlite:///from-cli.sqlite").database_url == "sqlite:///from-cli.sqlite"
    assert get_settings(database_url=None).database_url == "sqlite:///from-env.sqlite"


def test_production_refuses_placeholder_secret(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match="CITYINDEX_SECRET_KEY"):
        get_settings(environment="production")
    assert get_settings(environment="production", secret_key="a-real-long-secret").environment == "production"
    with pytest.raises(SettingsError, match="environment"):
        get_settings(environment="staging")


def test_invalid_setting_is_one_line_naming_field_and_variable(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CITYINDEX_SQL_ECHO", "maybe")
    with pytest.raises(SettingsError) as raised:
        get_settings()
    assert "\n" not in str(raised.value) and "sql_echo (CITYINDEX_SQL_ECHO)" in str(raised.value)


def test_every_setting_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"| `{name}` | `CITYINDEX_{name.upper()}` |" in text, f"{name} is not documented in docs/settings.md"
