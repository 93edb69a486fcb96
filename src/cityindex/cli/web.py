"""CLI commands (web); filled in by its owner."""

from cityindex.cli.app import app  # noqa: F401
