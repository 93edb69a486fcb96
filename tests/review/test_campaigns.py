"""A review round opens once on a draft edition with data, and closes; cities write only while it is open."""

import datetime as dt

import pytest

from cityindex.review import (CampaignClosed, CampaignExists, Entry, InvalidEntry, campaign_info, close_campaign,
                              open_campaign, review_log, save_entries)
from cityindex.store import StatusError, create_edition, edition_info, freeze_edition

from review_helpers import DEADLINE, METHODOLOGY, TEAM, revision_of


def test_open_moves_the_draft_to_review_and_lists_the_cities(edition):
    info = open_campaign(edition, edition="e", deadline=DEADLINE, by=TEAM)
    assert edition_info(edition, "e").status == "review"
    assert (info.state, info.deadline, info.opened_by) == ("open", DEADLINE, TEAM)
    assert info.cities == ("05314000", "05315000", "05334002")
    assert review_log(edition, edition="e")[["action", "actor"]].values.tolist() == [["opened", TEAM]]


def test_a_round_opens_once_with_a_deadline_ahead(edition):
    with pytest.raises(InvalidEntry, match="has passed"):
        open_campaign(edition, edition="e", deadline=dt.date.today() - dt.timedelta(days=1), by=TEAM)
    assert edition_info(edition, "e").status == "draft"
    open_campaign(edition, edition="e", deadline=DEADLINE, by=TEAM)
    with pytest.raises(CampaignExists):
        open_campaign(edition, edition="e", deadline=DEADLINE, by=TEAM)


def test_only_a_draft_with_data_points_goes_to_review(store):
    create_edition(store, "empty", METHODOLOGY)
    with pytest.raises(InvalidEntry, match="no data points"):
        open_campaign(store, edition="empty", deadline=DEADLINE, by=TEAM)
    freeze_edition(store, "empty")
    with pytest.raises(StatusError, match="frozen"):
        open_campaign(store, edition="empty", deadline=DEADLINE, by=TEAM)


def test_after_close_cities_cannot_change_entries(review):
    close_campaign(review, edition="e", by=TEAM)
    assert campaign_info(review, edition="e").state == "closed"
    with pytest.raises(CampaignClosed):
        save_entries(review, edition="e", city="Aachen", by="rita",
                     entries=[Entry("charging_points", "confirm", base_revision=revision_of(review, "05334002",
                                                                                          "charging_points"))])
    with pytest.raises(CampaignClosed):
        close_campaign(review, edition="e", by=TEAM)
    assert review_log(review, edition="e")["action"].tolist() == ["opened", "closed"]


def test_the_review_log_is_append_only_in_the_database(review):
    import sqlalchemy as sa

    for statement in ("UPDATE review_events SET actor = 'x'", "DELETE FROM review_events"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), review.engine.begin() as connection:
            connection.execute(sa.text(statement))
    assert review_log(review, edition="e")["actor"].tolist() == [TEAM]


def test_both_languages_have_every_text():
    from cityindex.review.mail import OPENINGS, SUBJECTS, TEXTS
    from cityindex.review.texts import LABELS, PROBLEMS

    for table in (PROBLEMS, LABELS, TEXTS):
        assert set(table["de"]) == set(table["en"])
    assert {k for k, _ in SUBJECTS} == {k for k, _ in OPENINGS} == {"invitation", "reminder"}
    assert {lang for _, lang in SUBJECTS} == {"de", "en"}


def test_every_logged_action_has_words_in_both_languages():
    from cityindex.review.models import ACTIONS
    from cityindex.review.texts import LABELS

    for action in ACTIONS:
        assert all("action_" + action.replace("-", "_") in LABELS[lang] for lang in ("de", "en")), action
