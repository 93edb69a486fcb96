"""Command line interface: thin Typer commands over library functions.

Each module below registers its commands on the shared ``app``. ``main`` runs the app
in Typer's standalone mode (usage errors print Typer's message and exit 2) and turns
the library's ``CityIndexError`` into one line on stderr with exit status 1 — never a
traceback for a user error.
"""

import sys

import typer

from cityindex.cli.app import app
from cityindex.cli import core, store, collect, web, analysis  # noqa: F401  (register commands)
from cityindex.errors import CityIndexError

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except CityIndexError as exc:
        typer.secho(f"Error: {exc}", err=True, fg="red")
        sys.exit(1)
