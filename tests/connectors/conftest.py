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
