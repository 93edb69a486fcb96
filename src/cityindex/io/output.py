"""Writing output files: an OS error (a file where a directory is expected, no permission, a
missing drive) becomes one clear line instead of a traceback."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from cityindex.errors import CityIndexError


class OutputError(CityIndexError):
    """The output file or directory cannot be written."""


@contextmanager
def writing(path: Path, *, expected: str) -> Iterator[None]:
    """Turn an OSError while writing ``path`` into OutputError; ``expected`` says what --out should be."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"Cannot write {path}: {exc.strerror or exc}. Give {expected} as --out.") from None
