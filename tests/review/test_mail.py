"""The round's mails go through a real SMTP server (aiosmtpd), in the reviewer's language, with the
deadline and the link; a dry run or a failing server changes nothing."""

import datetime as dt

import pytest
from review_helpers import AACHEN, BONN, DEADLINE, KOELN, REVIEWER, TEAM, revision_of

from cityindex.review import (Entry, MailError, Recipient, open_review, remind, review_log, save_entries,
                              submit_review)
from cityindex.settings import get_settings
from cityindex.store import edition_info

RECIPIENTS = [
    Recipient(REVIEWER, (AACHEN,), "de", "Rita Roth", access_link="https://index.example/zugang/abc123"),
    Recipient("ben@bonn.example", (BONN,), "en"),
    Recipient("nobody@elsewhere.example", ("09162000",), "de"),
]


def _settings(overrides, **more):
    return get_settings(base_url="https://index.example", **overrides, **more)


def test_opening_invites_each_reviewer_in_their_language_with_deadline_and_link(edition, smtp_server):
    overrides, inbox = smtp_server
    info, mailing = open_review(edition, edition="e", deadline=DEADLINE, by=TEAM, recipients=RECIPIENTS,
                                settings=_settings(overrides))
    assert info.state == "open" and edition_info(edition, "e").status == "review"
    assert (mailing.sent, mailing.cities_without_reviewer) == (2, (KOELN,))
    by_address = {to[0]: message for to, message in inbox.messages}
    assert sorted(by_address) == ["ben@bonn.example", REVIEWER]
    german, english = by_address[REVIEWER], by_address["ben@bonn.example"]
    day = DEADLINE
    months_de = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"]
    assert f"bis zum {day.day}. {months_de[day.month - 1]} {day.year}" in german["Subject"]
    body = german.get_content()
    assert "Guten Tag Rita Roth," in body and "https://index.example/zugang/abc123" in body
    assert "Aachen: https://index.example/pruefung/aachen/e\n" in body.replace("\r\n", "\n")
    assert "Prüfung abschließen" in body and german["Content-Language"] == "de"
    text = english.get_content()
    assert english["Subject"].startswith("Fictional test index: please check your data by")
    assert "Bonn: https://index.example/pruefung/bonn/e\n" in text.replace("\r\n", "\n") and "Guten Tag" not in text
    invited = review_log(edition, edition="e").query("action == 'invited'")
    assert sorted(zip(invited["city"], invited["detail"])) == [(BONN, "ben@bonn.example"), (AACHEN, REVIEWER)]


def test_a_dry_run_composes_the_mails_and_changes_nothing(edition, smtp_server):
    overrides, inbox = smtp_server
    info, mailing = open_review(edition, edition="e", deadline=DEADLINE, by=TEAM, recipients=RECIPIENTS,
                                settings=_settings(overrides), dry_run=True)
    assert info is None and mailing.dry_run and inbox.messages == []
    assert "To: rita@aachen.example" in mailing.mails[0].render()
    assert edition_info(edition, "e").status == "draft"


def test_an_unreachable_server_leaves_the_edition_unchanged(edition):
    settings = get_settings(smtp_host="127.0.0.1", smtp_port=1, smtp_timeout=2)
    with pytest.raises(MailError, match="Cannot reach the SMTP server 127.0.0.1:1"):
        open_review(edition, edition="e", deadline=DEADLINE, by=TEAM, recipients=RECIPIENTS, settings=settings)
    assert edition_info(edition, "e").status == "draft"


def test_a_refused_login_names_the_user_never_the_password(edition):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(object(), hostname="127.0.0.1", port=port, auth_require_tls=False,
                            authenticator=lambda *args: AuthResult(success=False, handled=False))
    controller.start()
    try:
        settings = get_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_username="index",
                                smtp_password="geheim-123")
        with pytest.raises(MailError) as caught:
            open_review(edition, edition="e", deadline=DEADLINE, by=TEAM, recipients=RECIPIENTS, settings=settings)
    finally:
        controller.stop()
    assert "refused the login of 'index'" in str(caught.value) and "geheim" not in str(caught.value)
    assert edition_info(edition, "e").status == "draft"


def test_reminders_go_only_to_cities_that_have_not_submitted(edition, smtp_server):
    overrides, inbox = smtp_server
    settings = _settings(overrides)
    open_review(edition, edition="e", deadline=DEADLINE, by=TEAM, recipients=RECIPIENTS, settings=settings)
    save_entries(edition, edition="e", city="Bonn", by="ben@bonn.example", entries=[
        Entry("charging_points", "confirm", base_revision=revision_of(edition, BONN, "charging_points"))])
    submit_review(edition, edition="e", city="Bonn", by="ben@bonn.example")
    inbox.messages.clear()
    mailing = remind(edition, edition="e", by=TEAM, recipients=RECIPIENTS, settings=settings)
    assert [to for to, _ in inbox.messages] == [[REVIEWER]] and mailing.sent == 1
    assert inbox.messages[0][1]["Subject"].startswith("Erinnerung")
    assert review_log(edition, edition="e")["action"].tolist()[-1] == "reminded"


def test_the_deadline_reads_naturally_in_both_languages():
    from cityindex.review.texts import long_date

    assert long_date(dt.date(2026, 5, 15), "de") == "15. Mai 2026"
    assert long_date(dt.date(2026, 5, 15), "en") == "15 May 2026"


def test_reviewers_are_the_city_accounts_and_new_ones_get_a_personal_link(edition, smtp_server):
    from cityindex.auth.testing import account_settings, make_user
    from cityindex.auth.users import disable_user, link_info
    from cityindex.review.people import city_reviewers

    overrides, inbox = smtp_server
    settings = account_settings(base_url="https://index.example", **overrides)
    make_user(edition, "rita@aachen.example", role="city", cities=(AACHEN,), settings=settings)
    make_user(edition, "new@bonn.example", role="city", cities=(BONN,), password=None, settings=settings)
    make_user(edition, "gone@koeln.example", role="city", cities=(KOELN,), settings=settings)
    disable_user(edition, "gone@koeln.example", by="test")
    make_user(edition, "ana@index.example", role="analyst", settings=settings)
    dry = city_reviewers(edition, by=TEAM, settings=settings, invite=False)
    assert [(r.email, r.cities) for r in dry] == [("new@bonn.example", (BONN,)), ("rita@aachen.example", (AACHEN,))]
    assert "beim Versand erzeugt" in dry[0].access_link and dry[1].access_link is None
    _, mailing = open_review(edition, edition="e", deadline=DEADLINE, by=TEAM, settings=settings,
                             recipients=lambda invite: city_reviewers(edition, by=TEAM, settings=settings,
                                                                      invite=invite))
    assert mailing.cities_without_reviewer == (KOELN,)
    body = {to[0]: m.get_content() for to, m in inbox.messages}["new@bonn.example"]
    link = next(line for line in body.splitlines() if "/zugang/" in line).strip()
    assert link.startswith("https://index.example/zugang/")
    purpose, user = link_info(edition, link.rsplit("/", 1)[1])
    assert (purpose, user.email) == ("invite", "new@bonn.example")
