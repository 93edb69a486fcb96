"""Opening the round with invitations, and reminders: the store and the mails in the right order.

The SMTP connection is made *before* anything changes, so an unreachable server or a refused
login leaves the edition as it was. Each mail that went out is written to the review log
(``invited`` / ``reminded``). ``dry_run`` changes nothing and returns the mails unsent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import sqlalchemy as sa

from cityindex.review.campaigns import (CampaignInfo, campaign_info, check_openable, edition_cities, load_campaign,
                                        log_event, open_campaign)
from cityindex.review.errors import MailError
from cityindex.review.mail import Mail, Recipient, compose, send, smtp_connection
from cityindex.review.models import ReviewCity
from cityindex.settings import Settings
from cityindex.store.db import Store
from cityindex.store.editions import get_row
from cityindex.store.models import City


@dataclass(frozen=True)
class Mailing:
    """What a mailing did: the mails (sent, or only composed for a dry run) and the cities without a reviewer."""

    mails: tuple[Mail, ...]
    sent: int
    dry_run: bool
    cities_without_reviewer: tuple[str, ...]


Recipients = list[Recipient] | Callable[[bool], list[Recipient]]


def _who(recipients: Recipients, *, invite: bool) -> list[Recipient]:
    """The recipients; a provider is called with ``invite`` (create personal links only when sending)."""
    return recipients(invite) if callable(recipients) else list(recipients)


def open_review(store: Store, *, edition: str, deadline: dt.date, by: str, recipients: Recipients,
                settings: Settings, dry_run: bool = False,
                today: dt.date | None = None) -> tuple[CampaignInfo | None, Mailing]:
    """Open the round and invite every reviewer of the edition's cities (``dry_run``: only compose).

    ``recipients`` is a list or a provider ``(invite) -> list`` (``people.city_reviewers``), which
    is called only once the SMTP server has answered.
    """
    with store.sessions() as session:
        row = get_row(session, edition)
        check_openable(session, row, deadline, today=today)
        cities = edition_cities(session, row.id)
        title, names = row.title, _names(session)
    compose_all = partial(_mails, "invitation", cities=cities, edition=edition, title=title, deadline=deadline,
                          names=names, settings=settings)
    mails, missing = compose_all(_who(recipients, invite=False))
    if dry_run:
        return None, Mailing(tuple(mails), 0, True, missing)
    if not mails:  # nobody to invite yet: open the round without a mail server
        info = open_campaign(store, edition=edition, deadline=deadline, by=by, today=today)
        return info, Mailing((), 0, False, missing)
    with smtp_connection(settings) as client:
        mails, missing = compose_all(_who(recipients, invite=True))
        info = open_campaign(store, edition=edition, deadline=deadline, by=by, today=today)
        sent = _send_all(store, client, mails, edition=edition, action="invited", by=by, settings=settings)
    return info, Mailing(tuple(mails), sent, False, missing)


def remind(store: Store, *, edition: str, by: str, recipients: Recipients, settings: Settings,
           dry_run: bool = False) -> Mailing:
    """Mail the reviewers of every city that has not submitted its review yet."""
    info = campaign_info(store, edition=edition)
    with store.sessions() as session:
        _, campaign = load_campaign(session, edition)
        done = set(session.scalars(sa.select(ReviewCity.city_ags).where(
            ReviewCity.campaign_id == campaign.id, ReviewCity.submitted_at.is_not(None))))
        names = _names(session)
    if not info.open:
        from cityindex.review.errors import CampaignClosed
        raise CampaignClosed(f"The review round of edition {edition!r} is closed; no reminders.")
    waiting = tuple(c for c in info.cities if c not in done)
    compose_all = partial(_mails, "reminder", cities=waiting, edition=edition, title=info.edition_title,
                          deadline=info.deadline, names=names, settings=settings)
    mails, missing = compose_all(_who(recipients, invite=False))
    if dry_run or not mails:
        return Mailing(tuple(mails), 0, dry_run, missing)
    with smtp_connection(settings) as client:
        mails, missing = compose_all(_who(recipients, invite=True))
        sent = _send_all(store, client, mails, edition=edition, action="reminded", by=by, settings=settings)
    return Mailing(tuple(mails), sent, False, missing)


def _names(session) -> dict[str, str]:
    return dict(session.execute(sa.select(City.ags, City.name)).all())


def _mails(kind: str, recipients: list[Recipient], *, cities, edition, title, deadline, names, settings):
    """One mail per recipient for the cities of theirs that are asked; the cities nobody reviews."""
    wanted = set(cities)
    mails, covered = [], set()
    for recipient in recipients:
        own = tuple(c for c in recipient.cities if c in wanted)
        if not own:
            continue
        covered.update(own)
        mails.append(compose(kind, Recipient(recipient.email, own, recipient.lang, recipient.name,
                                             recipient.access_link),
                             edition=edition, title=title, deadline=deadline, city_names=names, settings=settings))
    return mails, tuple(sorted(wanted - covered))


def _send_all(store: Store, client, mails: list[Mail], *, edition: str, action: str, by: str,
              settings: Settings) -> int:
    """Send one after the other, logging each; a failure names what was sent and what was not."""
    for number, mail in enumerate(mails):
        try:
            send(client, mail, settings)
        except MailError as exc:
            rest = ", ".join(m.recipient.email for m in mails[number:])
            raise MailError(f"{exc} {number} of {len(mails)} mails were sent; not sent: {rest}. "
                            f"`cityindex review remind --edition {edition}` sends to those who have not "
                            "submitted.") from None
        with store.transaction() as session:
            _, campaign = load_campaign(session, edition)
            for ags in mail.recipient.cities:
                log_event(session, campaign, actor=by, action=action, city_ags=ags, detail=mail.recipient.email)
    return len(mails)
