"""The team decides: accepting writes a revision linked to the entry, rejecting tells the city why,
asking back opens a thread; a value changed after review cannot be accepted blindly; freezing
waits for open proposals unless forced with a reason."""

import pytest
from review_helpers import AACHEN, BONN, REVIEWER, TEAM, revision_of, set_value
from typer.testing import CliRunner

from cityindex.review import (ChangedSinceReview, Entry, NotDecidable, OpenProposals, VersionConflict,
                              accept_confirmations, answer_question, city_sheet, decide, queue, review_log,
                              save_entries, status_board, submit_review)
from cityindex.store import edition_info, freeze_edition, get_datapoints, history


def _submit(store, city, *entries):
    ags = {"Aachen": AACHEN, "Bonn": BONN}[city]
    saved = save_entries(store, edition="e", city=city, by=REVIEWER, entries=[
        Entry(parameter, kind, base_revision=revision_of(store, ags, parameter), **fields)
        for parameter, kind, fields in entries])
    submit_review(store, edition="e", city=city, by=REVIEWER)
    return {p: item_id for p, (item_id, _) in saved.items()}


def _value(store, city, parameter):
    points = get_datapoints(store, edition="e")
    return points[(points["city"] == city) & (points["parameter"] == parameter)].iloc[0]


def test_accepting_a_correction_writes_a_revision_that_names_the_proposal(review):
    ids = _submit(review, "Aachen", ("charging_points", "correct",
                                     {"value": "14,5", "evidence_url": "https://aachen.example/laden"}))
    decide(review, edition="e", item_id=ids["charging_points"], decision="accept", version=2, by=TEAM,
           reason="count of the city's utility")
    point = _value(review, AACHEN, "charging_points")
    assert (point["value"], point["source_url"], point["review_status"]) == (14.5, "https://aachen.example/laden",
                                                                             "confirmed")
    last = history(review, edition="e", city="Aachen", parameter="charging_points").iloc[-1]
    assert (last["old_value"], last["new_value"], last["changed_by"]) == ("12", "14.5", TEAM)
    assert last["review_item_id"] == ids["charging_points"]
    assert f"review #{ids['charging_points']}" in last["reason"] and "count of the city's utility" in last["reason"]
    assert last["changes"]["review_status"] == ["collected", "confirmed"]
    assert queue(review, edition="e")["items"][0]["revision_id"] is not None


def test_history_on_the_command_line_shows_the_proposal(review, tmp_path):
    from cityindex.cli import app

    ids = _submit(review, "Aachen", ("charging_points", "correct", {"value": "15", "evidence_url": "https://a.example/"}))
    decide(review, edition="e", item_id=ids["charging_points"], decision="accept", version=2, by=TEAM)
    result = CliRunner().invoke(app, ["history", "--edition", "e", "--city", "Aachen", "--parameter",
                                      "charging_points", "--database-url", review.engine.url.render_as_string(False)])
    assert result.exit_code == 0, result.output
    assert f"#{ids['charging_points']}" in result.output and "review" in result.output


def test_rejecting_keeps_the_value_marks_it_disputed_and_tells_the_city_why(review):
    ids = _submit(review, "Aachen", ("charging_points", "correct", {"value": "30", "evidence_url": "https://a.example/"}))
    with pytest.raises(Exception, match="reason"):
        decide(review, edition="e", item_id=ids["charging_points"], decision="reject", version=2, by=TEAM)
    decide(review, edition="e", item_id=ids["charging_points"], decision="reject", version=2, by=TEAM,
           reason="Die Quelle zählt auch private Ladepunkte.")
    point = _value(review, AACHEN, "charging_points")
    assert (point["value"], point["review_status"]) == (12.0, "disputed")
    item = city_sheet(review, edition="e", city="Aachen")["areas"][1]["indicators"][0]["parameters"][0]["item"]
    assert (item["state"], item["decision_reason"]) == ("rejected", "Die Quelle zählt auch private Ladepunkte.")
    assert item["messages"][0]["side"] == "team" and not item["changed"]


def test_asking_back_opens_a_thread_the_city_answers_with_a_new_proposal(review):
    ids = _submit(review, "Aachen", ("charging_points", "correct", {"value": "30", "evidence_url": "https://a.example/"}))
    version = decide(review, edition="e", item_id=ids["charging_points"], decision="ask", version=2, by=TEAM,
                     reason="Zählen Sie Schnellladepunkte doppelt?")
    version = answer_question(review, edition="e", city="Aachen", item_id=ids["charging_points"], version=version,
                              body="Ja, korrigiert.", by=REVIEWER,
                              entry=Entry("charging_points", "correct", value="25", evidence_url="https://a.example/2"))
    row = queue(review, edition="e", state="open")["items"][0]
    assert (row["proposed_value"], row["state"]) == ("25", "open")
    assert [(m["side"], m["body"]) for m in row["messages"]] == [("team", "Zählen Sie Schnellladepunkte doppelt?"),
                                                                 ("city", "Ja, korrigiert.")]
    decide(review, edition="e", item_id=ids["charging_points"], decision="accept", version=version, by=TEAM)
    assert _value(review, AACHEN, "charging_points")["value"] == 25.0


def test_a_value_changed_after_review_goes_back_to_changed_and_cannot_be_accepted(review):
    ids = _submit(review, "Aachen", ("charging_points", "confirm", {}),
                  ("bike_share_share", "correct", {"value": "4", "evidence_url": "https://a.example/"}))
    set_value(review, "Aachen", "charging_points", 13.0)
    set_value(review, "Aachen", "bike_share_share", 3.8)
    changed = queue(review, edition="e", state="changed", kind=None)["items"]
    assert sorted(r["parameter"] for r in changed) == ["bike_share_share", "charging_points"]
    assert {r["state_label"] for r in changed} == {"seit Prüfung geändert"}
    with pytest.raises(ChangedSinceReview):
        decide(review, edition="e", item_id=ids["bike_share_share"], decision="accept", version=2, by=TEAM)
    assert accept_confirmations(review, edition="e", by=TEAM) == 0
    assert _value(review, AACHEN, "bike_share_share")["value"] == 3.8
    assert status_board(review, edition="e")["changed_since_review"] == 2


def test_bulk_accept_confirms_every_open_confirmation_with_one_revision_each(review):
    ids = _submit(review, "Aachen", ("charging_points", "confirm", {}), ("online_appointments", "confirm", {}),
                  ("bike_share_share", "correct", {"value": "4", "evidence_url": "https://a.example/"}))
    _submit(review, "Bonn", ("charging_points", "confirm", {}))
    assert accept_confirmations(review, edition="e", by=TEAM, city="Aachen") == 2
    assert accept_confirmations(review, edition="e", by=TEAM) == 1
    points = get_datapoints(review, edition="e").set_index(["city", "parameter"])["review_status"]
    assert points[(AACHEN, "charging_points")] == points[(BONN, "charging_points")] == "confirmed"
    assert points[(AACHEN, "bike_share_share")] == "collected"
    last = history(review, edition="e", city="Aachen", parameter="online_appointments").iloc[-1]
    assert last["review_item_id"] == ids["online_appointments"]
    assert [r["state"] for r in queue(review, edition="e", kind="confirm")["items"]] == ["accepted"] * 3
    with pytest.raises(NotDecidable):
        decide(review, edition="e", item_id=ids["charging_points"], decision="accept", version=3, by=TEAM)


def test_a_decision_on_a_stale_version_is_refused(review):
    ids = _submit(review, "Aachen", ("charging_points", "correct", {"value": "15", "evidence_url": "https://a.example/"}))
    decide(review, edition="e", item_id=ids["charging_points"], decision="ask", version=2, by=TEAM, reason="Quelle?")
    with pytest.raises(VersionConflict):
        decide(review, edition="e", item_id=ids["charging_points"], decision="accept", version=2, by="bob@index.example")


def test_accepting_a_value_for_a_parameter_without_data_point_creates_it(review):
    ids = _submit(review, "Bonn", ("bike_share_share", "correct", {"value": "2,5", "evidence_url": "https://b.example/"}))
    decide(review, edition="e", item_id=ids["bike_share_share"], decision="accept", version=2, by=TEAM)
    assert _value(review, BONN, "bike_share_share")["value"] == 2.5
    first = history(review, edition="e", city="Bonn", parameter="bike_share_share")
    assert first[["revision", "old_value", "new_value"]].values.tolist() == [[1, None, "2.5"]]
    assert first["review_item_id"].tolist() == [ids["bike_share_share"]]


def test_freeze_refuses_open_proposals_unless_forced_with_a_reason(review):
    _submit(review, "Aachen", ("charging_points", "correct", {"value": "15", "evidence_url": "https://a.example/"}))
    with pytest.raises(OpenProposals, match="1 open proposal"):
        freeze_edition(review, "e")
    with pytest.raises(OpenProposals, match="--reason"):
        freeze_edition(review, "e", force=True)
    assert edition_info(review, "e").status == "review"
    freeze_edition(review, "e", force=True, reason="Redaktionsschluss", by=TEAM)
    assert edition_info(review, "e").status == "frozen"
    last = review_log(review, edition="e").iloc[-1]
    assert (last["action"], last["actor"], last["detail"]) == ("freeze-forced", TEAM, "1 open proposal(s): Redaktionsschluss")


def test_a_confirmation_cannot_be_rejected(review):
    ids = _submit(review, "Aachen", ("charging_points", "confirm", {}))
    with pytest.raises(NotDecidable):
        decide(review, edition="e", item_id=ids["charging_points"], decision="reject", version=2, by=TEAM,
               reason="no")


def test_a_city_cannot_reach_another_citys_entry_by_its_number(review):
    from cityindex.review import UnknownItem, get_item

    ids = _submit(review, "Aachen", ("charging_points", "correct", {"value": "15", "evidence_url": "https://a.example/"}))
    decide(review, edition="e", item_id=ids["charging_points"], decision="ask", version=2, by=TEAM, reason="Quelle?")
    with pytest.raises(UnknownItem):
        get_item(review, edition="e", item_id=ids["charging_points"], city="Bonn")
    with pytest.raises(UnknownItem):
        answer_question(review, edition="e", city="Bonn", item_id=ids["charging_points"], version=3, body="x",
                        by="ben@bonn.example")
    assert get_item(review, edition="e", item_id=ids["charging_points"], city="Aachen")["state"] == "asked"
