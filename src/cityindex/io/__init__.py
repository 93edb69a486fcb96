"""Data files: reading with a validation report, import into the store, template, export."""

from cityindex.io.issues import ISSUES, Issue, Report
from cityindex.io.read import load_datapoints, read_datapoints

__all__ = ["ISSUES", "Issue", "Report", "load_datapoints", "read_datapoints"]
