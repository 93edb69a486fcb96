"""Data files: reading with a validation report, import into the store, template, export."""

from cityindex.io.issues import ISSUES, Issue, Report
from cityindex.io.read import load_datapoints, read_datapoints

__all__ = ["ISSUES", "Issue", "Report", "export_edition", "import_file", "import_frame", "load_datapoints",
           "read_datapoints", "write_template"]


def __getattr__(name: str):
    # Store-backed functions are imported lazily so that reading files needs no database code.
    if name in ("import_file", "import_frame"):
        from cityindex.io import importer
        return getattr(importer, name)
    if name == "export_edition":
        from cityindex.io.export import export_edition
        return export_edition
    if name == "write_template":
        from cityindex.io.template import write_template
        return write_template
    raise AttributeError(name)
