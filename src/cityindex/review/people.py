"""Who reviews: the reviewers of each city of an edition, as mail recipients.

The reviewers are the active ``city`` accounts bound to a city (issue 12's users). Until
accounts exist in the store, there are none; ``review open`` then names every city without a
reviewer.
"""

from __future__ import annotations

from cityindex.review.mail import Recipient
from cityindex.settings import Settings
from cityindex.store.db import Store


def city_reviewers(store: Store, *, by: str, settings: Settings, invite: bool) -> list[Recipient]:
    """Mail recipients for the cities' reviewers (``invite``: a one-time link for those without a password)."""
    return []
