"""Exceptions of the review round; each docstring is its default message (English).

The website shows the German or English text of ``code`` (``review.texts``) and the details
the exception carries; the CLI prints ``str(exc)``.
"""

from __future__ import annotations

from cityindex.errors import CityIndexError


class ReviewError(CityIndexError):
    """The review round cannot do that."""

    code = "review-error"

    def __init__(self, message: str | None = None, **details):
        super().__init__(message)
        self.details = details


class NoCampaign(ReviewError):
    """The edition has no review round; open one with `cityindex review open --edition KEY --deadline DATE`."""

    code = "no-campaign"


class CampaignExists(ReviewError):
    """The edition's review round was opened already."""

    code = "campaign-exists"


class CampaignClosed(ReviewError):
    """The review round is closed; the data can no longer be changed by the cities."""

    code = "campaign-closed"


class AlreadySubmitted(ReviewError):
    """The city has submitted its review; it can only answer the team's questions now."""

    code = "already-submitted"


class VersionConflict(ReviewError):
    """Someone else changed this entry meanwhile; reload the page and check it again."""

    code = "version-conflict"


class ChangedSinceReview(ReviewError):
    """The data point changed after the city reviewed it; ask the city back or reject."""

    code = "changed-since-review"


class InvalidEntry(ReviewError):
    """The entry is not complete or not valid."""

    code = "invalid-entry"


class NotDecidable(ReviewError):
    """This entry cannot take that decision in its present state."""

    code = "not-decidable"


class UnknownItem(ReviewError):
    """No such review entry (for this city)."""

    code = "unknown-item"


class OpenProposals(ReviewError):
    """Proposals of the review round are still open; decide them or freeze with --force --reason."""

    code = "open-proposals"


class UploadRefused(ReviewError):
    """The file was refused: only PDF, PNG or JPEG files of at most 10 MB are accepted."""

    code = "upload-refused"


class MailError(ReviewError):
    """The mail could not be sent."""

    code = "mail-error"
