"""Exceptions for user and configuration errors.

Every class docstring is its default message; the CLI prints ``str(exc)`` as one line
and exits with status 1, the web app turns it into a 4xx JSON/HTML error. Data problems
found while importing go into a report (``cityindex.io``), not into exceptions.
"""

import re

#: ``scheme://user:password@host``: everything between the user's colon and the token's last ``@``
#: (an unencoded password may hold ``@``; masking too much is safe, too little is not).
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*):\S*@", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """The text with the password of every URL in it replaced by ``***``."""
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}:***@", text)


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
