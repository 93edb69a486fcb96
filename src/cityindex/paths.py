"""Filesystem locations inside the installed package. A leaf module: imports nothing from cityindex."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PUBLISHED_DIR = DATA_DIR / "published"
METHODOLOGY_DIR = DATA_DIR / "methodologies"
OPEN_PILOT_DIR = DATA_DIR / "open_pilot"
OPEN_SERIES_DIR = DATA_DIR / "open_series"
GEO_DIR = DATA_DIR / "geo"
SCHEMA_DIR = DATA_DIR / "schema"
