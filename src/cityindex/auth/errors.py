"""Account errors. Each docstring is the default (English) message; ``key`` names the page text
the website shows in the visitor's language (web/i18n_auth.py)."""

from cityindex.errors import CityIndexError


class AuthError(CityIndexError):
    """The account request cannot be completed."""

    key = "auth_error"
    status = 400


class UnknownUser(AuthError):
    """No user has that e-mail address."""

    key = "unknown_user"
    status = 404


class UserExists(AuthError):
    """A user with that e-mail address exists already."""

    key = "user_exists"


class BadEmail(AuthError):
    """That is not an e-mail address."""

    key = "bad_email"


class BadRole(AuthError):
    """The role must be admin, analyst or city; a city user needs at least one city, the team none."""

    key = "bad_role"


class WeakPassword(AuthError):
    """The password is too weak: use at least 12 characters that are hard to guess."""

    key = "weak_password"

    def __init__(self, message: str | None = None, *, reason: str = "weak"):
        super().__init__(message)
        self.reason = reason


class BadCredentials(AuthError):
    """E-mail address or password is wrong, or the account is disabled."""

    key = "bad_credentials"
    status = 401


class BadCode(AuthError):
    """The code is wrong or has expired."""

    key = "bad_code"
    status = 401


class InvalidLink(AuthError):
    """This link is unknown, already used or expired; ask the index team for a new one."""

    key = "invalid_link"
    status = 410


class Throttled(AuthError):
    """Too many failed sign-ins; wait and try again."""

    key = "throttled"
    status = 429

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed sign-ins; try again in {retry_after} seconds.")
        self.retry_after = retry_after


class NotSignedIn(AuthError):
    """Please sign in first."""

    key = "not_signed_in"
    status = 401


class Forbidden(AuthError):
    """Your account may not open this page."""

    key = "forbidden"
    status = 403


class CsrfError(AuthError):
    """The form has expired or did not come from this site; reload the page and send it again."""

    key = "csrf"
    status = 403


class AccountsOff(AuthError):
    """Accounts need a real secret key: set CITYINDEX_SECRET_KEY to at least 32 random characters."""
