"""The Typer application object shared by every command module."""

from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperOption

_display_type = TyperOption.display_type_rich


def _flag_without_metavar(self, ctx):
    """A flag takes no value, so ``--help`` shows no ``<bool>`` after it."""
    return None if self.is_flag and not self.metavar else _display_type(self, ctx)


TyperOption.display_type_rich = _flag_without_metavar  # type: ignore[method-assign]

app = typer.Typer(
    name="cityindex",
    help="Build, review, publish and analyse the smart-city index of German cities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root() -> None:
    """cityindex — Smart City Index: rankings, city profiles, scoring and open data."""


@app.command()
def version() -> None:
    """Print the installed cityindex version.

    Example:

        cityindex version
    """
    from cityindex import __version__

    typer.echo(__version__)


# Shared option groups: every command that opens the store takes these two.
DbOpt = Annotated[str | None, typer.Option("--database-url", help="Database URL (overrides CITYINDEX_DATABASE_URL).")]
DirOpt = Annotated[Path | None, typer.Option("--data-dir", help="Data directory of the default SQLite store "
                                                                 "(overrides CITYINDEX_DATA_DIR).")]


def open_cli_store(database_url: str | None, data_dir: Path | None):
    """The store named by the settings, with the CLI options taking precedence.

    A writer that has to wait for another import says so on stderr.
    """
    from cityindex.settings import get_settings
    from cityindex.store import open_store

    return open_store(settings=get_settings(database_url=database_url, data_dir=data_dir),
                      on_wait=lambda message: typer.echo(message, err=True))
