"""Who reviews: the active ``city`` accounts bound to a city (``cityindex.auth``), as mail recipients.

A reviewer who has not set a password yet gets a personal invitation link (``auth.issue_link``,
valid ``invite_valid_days``; it ends the user's older links) — but only when mails really go
out: for a dry run the mail shows where that link will be.
"""

from __future__ import annotations

from cityindex.review.mail import Recipient
from cityindex.settings import Settings
from cityindex.store.db import Store

PENDING_LINK = {"de": "(ein persönlicher Einladungslink wird beim Versand erzeugt)",
                "en": "(a personal invitation link is created when the mail is sent)"}


def city_reviewers(store: Store, *, by: str, settings: Settings, invite: bool) -> list[Recipient]:
    """Recipients for every active city account with cities; ``invite`` issues the links it needs."""
    from cityindex.auth.users import issue_link, list_users

    recipients = []
    for user in list_users(store, role="city"):
        if not user.active or not user.cities:
            continue
        link = None
        if not user.has_password:
            link = (issue_link(store, user.email, purpose="invite", by=by, settings=settings).url if invite
                    else PENDING_LINK.get(user.lang, PENDING_LINK["de"]))
        recipients.append(Recipient(user.email, user.cities, user.lang, user.name, access_link=link))
    return recipients
