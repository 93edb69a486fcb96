"""Command line interface: thin Typer commands over library functions.

Each module below registers its commands on the shared ``app``. ``main`` runs the app
in Typer's standalone mode (usage errors print Typer's message and exit 2) and turns
the library's ``CityIndexError`` — and database or file-system faults the library did not
name — into one line on stderr with exit status 1, passwords in URLs masked: never a
traceback for a user error or a fault of the machine.
"""

import sys

import typer

from cityindex.cli.app import app
from cityindex.cli import core, store, collect, series, web, accounts, planning, review, analysis  # noqa: F401  (register commands)
from cityindex.errors import CityIndexError, mask_secrets

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except CityIndexError as exc:
        fail(str(exc))
    except OSError as exc:  # disk full, no permission … while reading or writing a file
        fail(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
    except Exception as exc:
        # A database error no library function turned into a message. SQLAlchemy is looked up,
        # not imported: a command that never opened the store (a published edition's story) does
        # not pay for importing it, and then no database error can have happened.
        sa_exc = sys.modules.get("sqlalchemy.exc")
        if sa_exc is None or not isinstance(exc, sa_exc.DBAPIError):
            raise
        fail(f"The store failed: {str(exc.orig or exc).strip().splitlines()[0]}")


def fail(message: str) -> None:
    """One line on stderr (passwords of URLs masked), exit status 1."""
    typer.secho(f"Error: {mask_secrets(message)}", err=True, fg="red")
    sys.exit(1)
