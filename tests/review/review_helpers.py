"""Shared data of the review tests: an edition of the FICTIONAL test methodology with data points of
three cities (values made up for the tests; no real index uses them)."""

import datetime as dt
from pathlib import Path

import pandas as pd

from cityindex.io.importer import import_frame
from cityindex.store import create_edition, get_datapoints

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"
AACHEN, BONN, KOELN = "05334002", "05314000", "05315000"
DEADLINE = dt.date.today() + dt.timedelta(days=21)
TEAM = "ana@index.example"
REVIEWER = "rita@aachen.example"

#: Test values of the fictional methodology (city, parameter, value)
VALUES = [
    ("Aachen", "online_appointments", "ja"), ("Aachen", "eid_services", "einige"),
    ("Aachen", "charging_points", 12.0), ("Aachen", "bike_share_share", 3.5),
    ("Bonn", "online_appointments", "nein"), ("Bonn", "eid_services", "alle"),
    ("Bonn", "charging_points", 8.0),
    ("Köln", "charging_points", 20.0),
]


def build_edition(store, key: str = "e") -> None:
    create_edition(store, key, METHODOLOGY)
    frame = pd.DataFrame(VALUES, columns=["city", "parameter", "value"])
    frame["source_url"] = "https://example.org/erhebung"
    frame["retrieved"] = "2026-03-01"
    import_frame(store, frame, edition=key, by="collector", reason="first collection")


def revision_of(store, city: str, parameter: str, edition: str = "e") -> int:
    """The data point's current revision (0: none), as a page would show it."""
    points = get_datapoints(store, edition=edition)
    found = points[(points["city"] == city) & (points["parameter"] == parameter)]
    return int(found["revision"].iloc[0]) if len(found) else 0


def set_value(store, city: str, parameter: str, value, *, edition: str = "e") -> None:
    """Change a value the way the team does outside the review: an import."""
    frame = pd.DataFrame({"city": [city], "parameter": [parameter], "value": [value],
                          "source_url": ["https://example.org/nacherhebung"]})
    import_frame(store, frame, edition=edition, by="collector", reason="new count")
