"""The Typer application object shared by every command module."""

import typer

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
