"""Reports: generated narrative (de/en)."""

from cityindex.report.narrative import narrate

__all__ = ["narrate"]
