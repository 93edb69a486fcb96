"""A city confirms or corrects its data points; nothing of a refused request is stored, and two
reviewers of one city never overwrite each other silently (optimistic locking)."""

import pytest
from review_helpers import AACHEN, REVIEWER, revision_of, set_value

from cityindex.review import (AlreadySubmitted, Entry, InvalidEntry, VersionConflict, city_sheet, confirm_remaining,
                              review_log, save_entries, submit_review)


def _entry(store, parameter, kind="confirm", city=AACHEN, **fields):
    return Entry(parameter, kind, base_revision=revision_of(store, city, parameter), **fields)


def _item(store, parameter, city="Aachen", lang="de"):
    sheet = city_sheet(store, edition="e", city=city, lang=lang)
    rows = [p for a in sheet["areas"] for i in a["indicators"] for p in i["parameters"] if p["code"] == parameter]
    return rows[0]["item"]


def test_confirm_and_correct_are_saved_as_drafts_with_evidence(review):
    saved = save_entries(review, edition="e", city="Aachen", by=REVIEWER, entries=[
        _entry(review, "online_appointments"),
        _entry(review, "charging_points", "correct", value="14,5", evidence_url="https://aachen.example/laden",
               comment="Zählung vom 1. April")])
    assert sorted(saved) == ["charging_points", "online_appointments"]
    item = _item(review, "charging_points")
    assert (item["kind"], item["state"], item["old_value"], item["proposed_value"]) == ("correct", "draft", "12", "14.5")
    assert (item["proposed_display"], item["evidence_url"], item["version"]) == ("14,5", "https://aachen.example/laden", 1)
    assert _item(review, "online_appointments")["kind"] == "confirm"
    assert review_log(review, edition="e")["action"].tolist()[1:] == ["confirmed", "proposed"]


@pytest.mark.parametrize("value, lang, code, text", [
    ("viele", "de", "not-a-number", "„viele“ ist keine Zahl."),
    ("1.23", "de", "ambiguous-number", "nicht eindeutig"),
    ("250", "de", "out-of-range", "250 liegt außerhalb des plausiblen Bereichs 0 bis 100."),
    ("12", "de", "same-value", "der bisherige"),
    ("", "en", "empty-value", "Please give the correct value."),
    ("=1+1", "en", "formula-text", "must not start with ="),
])
def test_a_bad_value_is_refused_with_a_clear_message_and_nothing_is_stored(review, value, lang, code, text):
    good = _entry(review, "online_appointments")
    bad = _entry(review, "charging_points", "correct", value=value, evidence_url="https://aachen.example/x")
    with pytest.raises(InvalidEntry) as caught:
        save_entries(review, edition="e", city="Aachen", by=REVIEWER, entries=[good, bad], lang=lang)
    [problem] = caught.value.details["problems"]
    assert (problem.parameter, problem.code) == ("charging_points", code)
    assert text in problem.text(lang)
    assert _item(review, "online_appointments") is None
    assert review_log(review, edition="e")["action"].tolist() == ["opened"]


def test_answers_of_graded_and_yes_no_parameters_follow_the_methodology(review):
    with pytest.raises(InvalidEntry) as caught:
        save_entries(review, edition="e", city="Aachen", by=REVIEWER, entries=[
            _entry(review, "eid_services", "correct", value="manche", evidence_url="https://a.example/")])
    assert caught.value.details["problems"][0].text("de") == \
        "„manche“ ist keine erlaubte Antwort; möglich sind: keine, einige, alle."
    save_entries(review, edition="e", city="Aachen", by=REVIEWER, entries=[
        _entry(review, "eid_services", "correct", value="Alle", evidence_url="https://a.example/"),
        _entry(review, "online_appointments", "correct", value="nein", evidence_url="https://a.example/")])
    assert _item(review, "eid_services")["proposed_value"] == "alle"
    assert _item(review, "online_appointments", lang="en")["proposed_display"] == "no"


@pytest.mark.parametrize("fields, code", [
    ({"value": "15"}, "evidence-missing"),
    ({"value": "15", "evidence_url": "javascript:alert(1)"}, "bad-url"),
    ({"value": "15", "upload_id": 999}, "unknown-upload"),
    ({"value": "15", "evidence_url": "https://a.example/", "comment": "x" * 2001}, "text-too-long"),
])
def test_a_correction_needs_valid_evidence(review, fields, code):
    with pytest.raises(InvalidEntry) as caught:
        save_entries(review, edition="e", city="Aachen", by=REVIEWER,
                     entries=[_entry(review, "charging_points", "correct", **fields)])
    assert caught.value.details["problems"][0].code == code


def test_a_missing_value_can_be_proposed_but_not_confirmed(review):
    with pytest.raises(InvalidEntry) as caught:
        save_entries(review, edition="e", city="Bonn", by=REVIEWER, entries=[Entry("bike_share_share", "confirm")])
    assert caught.value.details["problems"][0].code == "nothing-to-confirm"
    save_entries(review, edition="e", city="Bonn", by=REVIEWER, entries=[
        Entry("bike_share_share", "correct", value="2,5", evidence_url="https://bonn.example/rad")])
    item = _item(review, "bike_share_share", city="Bonn")
    assert (item["old_value"], item["proposed_value"]) == (None, "2.5")


def test_two_reviewers_of_one_city_get_a_conflict_not_a_lost_update(review):
    """Both load the page (version 0); the second save is refused and the first one stays."""
    seen = revision_of(review, AACHEN, "charging_points")
    first = Entry("charging_points", "correct", value="14", evidence_url="https://a.example/1", base_revision=seen)
    second = Entry("charging_points", "correct", value="15", evidence_url="https://a.example/2", base_revision=seen)
    save_entries(review, edition="e", city="Aachen", by="rita@aachen.example", entries=[first])
    with pytest.raises(VersionConflict):
        save_entries(review, edition="e", city="Aachen", by="paul@aachen.example", entries=[second])
    assert _item(review, "charging_points")["proposed_value"] == "14"
    # after reloading (version 1) the second reviewer may change it
    save_entries(review, edition="e", city="Aachen", by="paul@aachen.example",
                 entries=[Entry(**{**second.__dict__, "version": 1})])
    item = _item(review, "charging_points")
    assert (item["proposed_value"], item["version"], item["updated_by"]) == ("15", 2, "paul@aachen.example")


def test_a_value_changed_by_the_team_while_the_page_was_open_is_a_conflict(review):
    seen = revision_of(review, AACHEN, "charging_points")
    set_value(review, "Aachen", "charging_points", 13.0)
    with pytest.raises(VersionConflict) as caught:
        save_entries(review, edition="e", city="Aachen", by=REVIEWER,
                     entries=[Entry("charging_points", "confirm", base_revision=seen)])
    assert "reload" in caught.value.details["problems"][0].text("en")


def test_saving_an_unchanged_entry_keeps_its_version(review):
    entry = _entry(review, "charging_points", "correct", value="14", evidence_url="https://a.example/")
    save_entries(review, edition="e", city="Aachen", by=REVIEWER, entries=[entry])
    again = save_entries(review, edition="e", city="Aachen", by="paul@aachen.example",
                         entries=[Entry(**{**entry.__dict__, "version": 1})])
    assert again["charging_points"][1] == 1
    assert _item(review, "charging_points")["updated_by"] == REVIEWER


def test_submitting_sends_the_drafts_to_the_team_and_then_the_sheet_is_read_only(review):
    with pytest.raises(InvalidEntry, match="at least one"):
        submit_review(review, edition="e", city="Aachen", by=REVIEWER)
    assert confirm_remaining(review, edition="e", city="Aachen", by=REVIEWER) == 4
    assert submit_review(review, edition="e", city="Aachen", by=REVIEWER) == 4
    sheet = city_sheet(review, edition="e", city="Aachen")
    assert not sheet["editable"] and sheet["submitted_by"] == REVIEWER
    assert {p["item"]["state"] for a in sheet["areas"] for i in a["indicators"] for p in i["parameters"]
            if p["item"]} == {"open"}
    with pytest.raises(AlreadySubmitted):
        save_entries(review, edition="e", city="Aachen", by=REVIEWER,
                     entries=[Entry("charging_points", "confirm", version=2,
                                    base_revision=revision_of(review, AACHEN, "charging_points"))])
    with pytest.raises(AlreadySubmitted):
        submit_review(review, edition="e", city="Aachen", by=REVIEWER)
    assert city_sheet(review, edition="e", city="Bonn")["editable"]
