"""A store that cannot work gives the CLI user one clear line, writes nothing and shows no secret.

Disk full (SQLite's page limit via CITYINDEX_SQLITE_MAX_MB), a read-only data directory, damaged
and 0-byte database files, an unreachable PostgreSQL server and malformed URLs.
"""

import os
import socket
from pathlib import Path

import pandas as pd
import pytest

from cityindex.cities import load_register
from cityindex.store import create_edition, open_store
from fault_helpers import METHODOLOGY, cli, cli_env, file_values, one_clear_line, stored_values, synthetic_file

SECRET = "hunter2-very-secret"
#: root ignores file permissions; without CAP_DAC_OVERRIDE it is held to them like any user
AS_USER = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--") if os.geteuid() == 0 else ()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data directory whose default SQLite store has edition ``e`` with one import."""
    directory = tmp_path / "data"
    with open_store(f"sqlite:///{directory / 'cityindex.sqlite'}") as store:
        create_edition(store, "e", METHODOLOGY)
    first = synthetic_file(tmp_path / "first.csv", 1.0)
    assert cli("import", str(first), "--edition", "e", env=_env(directory), cwd=tmp_path).returncode == 0
    return directory


def _env(directory: Path, **extra: str) -> dict[str, str]:
    return cli_env(CITYINDEX_DATA_DIR=str(directory), **extra)


def _values(directory: Path) -> dict:
    with open_store(f"sqlite:///{directory / 'cityindex.sqlite'}") as store:
        return stored_values(store, "e")


def test_a_full_disk_is_one_line_and_writes_nothing(data_dir, tmp_path):
    cities = [c.ags for c in load_register()]
    big = pd.DataFrame({"city": cities * 4, "parameter": ["charging_points"] * len(cities) * 4,
                        "value": 7.0, "note": ["x" * 8000] * len(cities) * 4})  # synthetic, ≈ 1.3 MB of notes
    big = big.drop_duplicates(["city", "parameter"]).assign(note=lambda f: f["note"] + f["city"])
    big = pd.concat([big, big.assign(parameter="bike_share_share")])
    big.to_csv(tmp_path / "big.csv", index=False)
    before = _values(data_dir)
    result = cli("import", str(tmp_path / "big.csv"), "--edition", "e", cwd=tmp_path,
                 env=_env(data_dir, CITYINDEX_SQLITE_MAX_MB="1"))
    assert "the store is full" in one_clear_line(result)
    assert _values(data_dir) == before


def test_a_read_only_data_directory_is_one_line_and_writes_nothing(data_dir, tmp_path):
    before = _values(data_dir)
    second = synthetic_file(tmp_path / "second.csv", 50.0)
    for path in (data_dir, *data_dir.iterdir()):
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        result = cli("import", str(second), "--edition", "e", env=_env(data_dir), cwd=tmp_path, prefix=AS_USER)
    finally:
        for path in (data_dir, *data_dir.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
    line = one_clear_line(result)
    assert str(data_dir) in line and ("read-only" in line or "cannot be opened" in line)
    assert _values(data_dir) == before != file_values(second)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 this is a zip archive, not a database" * 100],
                         ids=["0-byte", "damaged"])
def test_an_empty_or_damaged_database_file_is_named_and_left_alone(tmp_path, content):
    path = tmp_path / "data" / "cityindex.sqlite"
    path.parent.mkdir()
    path.write_bytes(content)
    result = cli("editions", "--data-dir", str(path.parent), env=cli_env(), cwd=tmp_path)
    line = one_clear_line(result)
    assert str(path) in line and ("empty (0 bytes)" in line if not content else "damaged" in line)
    assert path.read_bytes() == content


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.parametrize("url", [  # more malformed URLs: tests/store/test_db.py (in process, same code)
    f"postgresql+psycopg://cityindex:{SECRET}@127.0.0.1:{{port}}/cityindex",
    f"postgresql+psycopg://cityindex:{SECRET}@127.0.0.1:notaport/cityindex",
    f"postgresql+psycopg//cityindex:{SECRET}@127.0.0.1/cityindex",
    f"oracle+nodriver://cityindex:{SECRET}@db/cityindex",
], ids=["unreachable", "port-not-a-number", "no-scheme-separator", "unknown-driver"])
def test_an_unusable_database_url_is_one_line_without_the_password(tmp_path, url):
    url = url.format(port=_closed_port())
    by_option = url.endswith("127.0.0.1/cityindex")  # one URL through --database-url, the others the environment
    args, env = (["--database-url", url], cli_env()) if by_option else ([], cli_env(CITYINDEX_DATABASE_URL=url))
    line = one_clear_line(cli("editions", *args, env=env, cwd=tmp_path))
    assert SECRET not in line
    assert "Cannot open the store" in line or "URL" in line
