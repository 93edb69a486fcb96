"""Exceptions for user and configuration errors.

Every class docstring is its default message; the CLI prints ``str(exc)`` as one line
and exits with status 1, the web app turns it into a 4xx JSON/HTML error. Data problems
found while importing go into a report (``cityindex.io``), not into exceptions.
"""


class CityIndexError(Exception):
    """cityindex could not complete the request."""

    def __init__(self, message: str | None = None):
        super().__init__(message or (self.__doc__ or "").strip())


class UnknownCity(CityIndexError):
    """No city of the register matches that name or AGS."""


class UnknownEdition(CityIndexError):
    """No edition with that key exists."""


class UnknownScope(CityIndexError):
    """No area or scope with that code exists in the edition."""


class MethodologyError(CityIndexError):
    """The methodology file is not valid."""


class DataFileError(CityIndexError):
    """The data file cannot be read."""
