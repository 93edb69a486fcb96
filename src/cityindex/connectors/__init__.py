"""Connectors: one module per source with the same three steps — download, parse, assign.

    from cityindex.connectors import SOURCES, build_open_pilot
    SOURCES["gbfs"].attribution
    result = build_open_pilot(store)      # edition open-2026 created, imported, scored

See docs/connectors.md and docs/open-pilot.md.
"""

from cityindex.connectors.registry import SOURCES, get_source
from cityindex.connectors.open_pilot import EDITION_KEY, build_open_pilot, rebuild_values

__all__ = ["EDITION_KEY", "SOURCES", "build_open_pilot", "get_source", "rebuild_values"]
