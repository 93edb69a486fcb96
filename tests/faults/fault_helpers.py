"""Helpers of the fault suite: run the real CLI, hold an edition's lock, check one clear error line."""

import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

CITYINDEX = str(Path(sys.executable).parent / "cityindex")
METHODOLOGY = Path(__file__).resolve().parents[1] / "data" / "io" / "methodology.yaml"


@dataclass
class Backend:
    kind: str
    store: object
    url: str

    @property
    def env(self) -> dict[str, str]:
        return cli_env(CITYINDEX_DATABASE_URL=self.url)


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a CLI process: the suite's temporary data dir, no open pilot, ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYINDEX_") or k == "CITYINDEX_DATA_DIR"}
    return {**env, "CITYINDEX_OPEN_PILOT": "false", **extra}


def cli(*args: str, env: dict[str, str], cwd: Path, timeout: float = 120, prefix: tuple[str, ...] = ()):
    """Run ``cityindex ARGS`` to the end; returns the CompletedProcess (text)."""
    return subprocess.run([*prefix, CITYINDEX, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def start_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([CITYINDEX, *args], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def one_clear_line(result) -> str:
    """The error a CLI run printed: exactly one line ``Error: …``, exit status 1, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@contextmanager
def held(store, key: str, *, release_after: float | None = None):
    """Another writer holding edition ``key`` (a thread in its own transaction) until the block ends."""
    from cityindex.store.editions import lock_edition

    locked, release = threading.Event(), threading.Event()

    def writer():
        with store.transaction() as session:
            lock_edition(session, key)
            locked.set()
            release.wait(release_after if release_after is not None else 30)

    thread = threading.Thread(target=writer)
    thread.start()
    assert locked.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()


# Data: synthetic files for the fictional test methodology, and what the store holds -------------

def synthetic_file(path: Path, value: float, *, n_cities: int = 20) -> Path:
    """``n_cities`` register cities × 2 parameters, value ``value`` + k/8 (synthetic; fictional methodology,
    whose valid range is 0–100)."""
    from cityindex.cities import load_register

    cities = [c.ags for c in load_register()][:n_cities]
    keys = [(ags, parameter) for ags in cities for parameter in ("charging_points", "bike_share_share")]
    rows = [(ags, parameter, value + k / 8) for k, (ags, parameter) in enumerate(keys)]
    pd.DataFrame(rows, columns=["city", "parameter", "value"]).to_csv(path, index=False)
    return path


def file_values(path: Path) -> dict:
    frame = pd.read_csv(path, dtype={"city": str})
    return {(r.city, r.parameter): r.value for r in frame.itertuples()}


def stored_values(store, edition: str) -> dict:
    from cityindex.store import get_datapoints

    return {(r.city, r.parameter): r.value for r in get_datapoints(store, edition=edition).itertuples()}


def revisions(store, edition: str) -> pd.DataFrame:
    """Every revision of an edition: city, parameter, revision, old/new value, import id."""
    with store.engine.connect() as connection:
        return pd.read_sql(sa.text(
            "SELECT r.city_ags, r.parameter, r.revision, r.old_value, r.new_value, r.import_id FROM revisions r "
            "JOIN editions e ON e.id = r.edition_id WHERE e.key = :key ORDER BY r.city_ags, r.parameter, r.revision"),
            connection, params={"key": edition})


def serial_order(store, edition: str) -> tuple:
    """Check that every data point's history is a chain 1…k (each old value the previous new value)
    written by the same imports in the same order; return that order (import ids)."""
    orders = set()
    for _, chain in revisions(store, edition).groupby(["city_ags", "parameter"]):
        assert chain["revision"].tolist() == list(range(1, len(chain) + 1))
        assert pd.isna(chain["old_value"].iloc[0])
        assert chain["old_value"].tolist()[1:] == chain["new_value"].tolist()[:-1]
        orders.add(tuple(chain["import_id"]))
    assert len(orders) == 1, orders
    return orders.pop()


def import_file_name(store, import_id: int) -> str:
    with store.engine.connect() as connection:
        return connection.execute(sa.text("SELECT file_name FROM imports WHERE id = :id"), {"id": import_id}).scalar()
