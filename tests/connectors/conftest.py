from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors"
RAW = DATA / "open_pilot_raw"


@pytest.fixture(scope="session")
def facts() -> pd.DataFrame:
    """The open pilot's published facts (copy of ../shared/data/open-pilot/facts.csv)."""
    return pd.read_csv(DATA / "open_pilot_facts.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def rebuilt():
    from cityindex.connectors.open_pilot import rebuild_values

    return rebuild_values(RAW)


HISTORY = DATA / "open_history"


@pytest.fixture(scope="session")
def history_facts() -> pd.DataFrame:
    """The compiler's per-city values of every year (copy of ../shared/data/open-history/facts_by_year.csv)."""
    return pd.read_csv(DATA / "open_history_facts.csv.gz", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def history_values():
    """Every year of the recorded history folder rebuilt by the connectors: {year: YearValues}."""
    from cityindex.connectors.history import rebuild_series

    return rebuild_series(HISTORY)
