"""Freezing an edition while its review round holds open proposals: refused unless forced with a reason.

``cityindex.store.editions.set_status`` calls ``check_freeze`` inside the freezing transaction;
a forced freeze is written to the review log with the reason and the number of open proposals.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cityindex.review.campaigns import find_campaign, log_event
from cityindex.review.errors import OpenProposals
from cityindex.review.models import ReviewItem
from cityindex.store.models import Edition

PENDING = ("open", "asked")


def open_proposals(session: Session, campaign_id: int) -> int:
    """Corrections the cities submitted that the team has not decided yet."""
    return session.scalar(sa.select(sa.func.count()).select_from(ReviewItem).where(
        ReviewItem.campaign_id == campaign_id, ReviewItem.kind == "correct", ReviewItem.state.in_(PENDING)))


def check_freeze(session: Session, edition: Edition, *, force: bool, reason: str | None, by: str | None) -> None:
    """Refuse to freeze while proposals are open, unless ``force`` with a ``reason`` (logged)."""
    reason = (reason or "").strip()
    if force and not reason:
        raise OpenProposals("--force needs --reason: say why the edition is frozen this way (it is logged).")
    campaign = find_campaign(session, edition)
    count = open_proposals(session, campaign.id) if campaign is not None else 0
    if not count:
        return
    if not force:
        raise OpenProposals(f"Edition {edition.key!r} has {count} open proposal(s) from the review round; decide "
                            f"them (`cityindex review queue --edition {edition.key}`) or freeze with "
                            "--force --reason TEXT.", count=count)
    log_event(session, campaign, actor=by or "unknown", action="freeze-forced",
              detail=f"{count} open proposal(s): {reason}")
