"""What the pages show: the city's sheet (definition, value, unit, source, as-of date, what it
scores), the team's queue with filters, the status board; the log export and the receipt."""

import pandas as pd
import pytest
from review_helpers import AACHEN, BONN, REVIEWER, TEAM, revision_of

from cityindex.review import (Entry, city_sheet, decide, export_review, queue, receipt_html, review_summary,
                              save_entries, status_board, submit_review)


def _rows(sheet):
    return {p["code"]: p for a in sheet["areas"] for i in a["indicators"] for p in i["parameters"]}


def _save(store, city, ags, *entries, by=REVIEWER):
    return save_entries(store, edition="e", city=city, by=by, entries=[
        Entry(p, k, base_revision=revision_of(store, ags, p), **f) for p, k, f in entries])


def test_the_city_sheet_is_grouped_area_indicator_parameter_with_everything_to_judge_a_value(review):
    sheet = city_sheet(review, edition="e", city="Aachen")
    assert [a["name"] for a in sheet["areas"]] == ["Verwaltung", "Mobilität"]
    assert [i["name"] for i in sheet["areas"][1]["indicators"]] == ["Ladeinfrastruktur"]
    rows = _rows(sheet)
    charging = rows["charging_points"]
    assert (charging["name"], charging["display"], charging["unit"]) == ("Ladepunkte je 1.000 Einwohner", "12",
                                                                         "je 1.000 Einwohner")
    assert (charging["source_url"], charging["retrieved"]) == ("https://example.org/erhebung", "2026-03-01")
    assert "höher ist besser" in charging["scores"] and "Ladeinfrastruktur" in charging["scores"]
    assert rows["online_appointments"]["display"] == "ja"
    assert "„ja“ gibt 1 Punkt(e)" in rows["online_appointments"]["scores"]
    assert rows["eid_services"]["scores"].endswith("keine = 0, einige = 1, alle = 2.")
    assert sheet["counts"]["datapoints"] == 4 and sheet["editable"]
    english = _rows(city_sheet(review, edition="e", city="Aachen", lang="en"))
    assert english["online_appointments"]["display"] == "yes" and "higher is better" in english["charging_points"]["scores"]
    assert _rows(city_sheet(review, edition="e", city="Bonn"))["bike_share_share"]["value"] is None


def test_the_queue_filters_by_city_area_and_state_and_never_shows_drafts(review):
    _save(review, "Aachen", AACHEN, ("charging_points", "correct", {"value": "14", "evidence_url": "https://a.example/"}),
          ("eid_services", "correct", {"value": "alle", "evidence_url": "https://a.example/"}))
    _save(review, "Bonn", BONN, ("charging_points", "correct", {"value": "9", "evidence_url": "https://b.example/"}))
    assert queue(review, edition="e")["total"] == 0
    submit_review(review, edition="e", city="Aachen", by=REVIEWER)
    submit_review(review, edition="e", city="Bonn", by="ben@bonn.example")
    everything = queue(review, edition="e")
    assert everything["total"] == 3
    row = everything["items"][0]
    assert (row["city_name"], row["parameter_name"], row["old_display"], row["proposed_display"]) == (
        "Bonn", "Ladepunkte je 1.000 Einwohner", "8", "9")
    assert [r["city"] for r in queue(review, edition="e", city="Aachen")["items"]] == [AACHEN, AACHEN]
    assert [r["parameter"] for r in queue(review, edition="e", area="verwaltung")["items"]] == ["eid_services"]
    decide(review, edition="e", item_id=row["id"], decision="ask", version=row["version"], by=TEAM, reason="Quelle?")
    assert [r["city"] for r in queue(review, edition="e", state="asked")["items"]] == [BONN]
    assert queue(review, edition="e", state="open")["total"] == 2


def test_the_status_board_counts_cities_and_open_proposals_by_area(review):
    _save(review, "Aachen", AACHEN, ("charging_points", "correct", {"value": "14", "evidence_url": "https://a.example/"}))
    _save(review, "Bonn", BONN, ("charging_points", "confirm", {}))
    submit_review(review, edition="e", city="Bonn", by="ben@bonn.example")
    board = status_board(review, edition="e")
    assert {c["city_name"]: c["status"] for c in board["cities"]} == {
        "Aachen": "in_progress", "Bonn": "submitted", "Köln": "not_started"}
    submit_review(review, edition="e", city="Aachen", by=REVIEWER)
    from cityindex.review import accept_confirmations

    accept_confirmations(review, edition="e", by=TEAM)
    board = status_board(review, edition="e", lang="en")
    assert {c["city_name"]: c["status_label"] for c in board["cities"]} == {
        "Aachen": "submitted", "Bonn": "decided", "Köln": "not started"}
    assert (board["reviewed"], board["n_cities"], round(board["share_reviewed"], 3)) == (2, 3, 0.667)
    assert {a["area"]: a["open"] for a in board["open_by_area"]} == {"verwaltung": 0, "mobilitaet": 1}
    assert review_summary(review, edition="e") == {"cities": 3, "reviewed": 2, "share": 2 / 3}


def test_the_review_log_exports_as_csv_and_xlsx_with_formulas_neutralised(review, tmp_path):
    _save(review, "Aachen", AACHEN, ("charging_points", "correct",
                                     {"value": "14", "evidence_url": "https://a.example/", "comment": "=HYPERLINK(1)"}))
    submit_review(review, edition="e", city="Aachen", by=REVIEWER)
    log_csv, entries_csv = export_review(review, edition="e", format="csv", out=tmp_path)
    log = pd.read_csv(log_csv, dtype=str)
    assert log["action"].tolist() == ["opened", "proposed", "submitted"]
    assert log.loc[1, "detail"] == "'https://a.example/ · =HYPERLINK(1)" or log.loc[1, "detail"].endswith("=HYPERLINK(1)")
    entries = pd.read_csv(entries_csv, dtype=str)
    assert entries.loc[0, "comment"] == "'=HYPERLINK(1)"
    assert (entries.loc[0, "old_value"], entries.loc[0, "proposed_value"], entries.loc[0, "state"]) == ("12", "14", "open")
    [workbook] = export_review(review, edition="e", format="xlsx", out=tmp_path / "x")
    sheets = pd.read_excel(workbook, sheet_name=None, dtype=str)
    assert list(sheets) == ["log", "entries"] and sheets["entries"].loc[0, "comment"] == "'=HYPERLINK(1)"


def test_the_receipt_lists_the_entries_and_decisions(review):
    saved = _save(review, "Aachen", AACHEN, ("charging_points", "correct",
                                             {"value": "14,5", "evidence_url": "https://a.example/z"}),
                  ("online_appointments", "confirm", {}))
    submit_review(review, edition="e", city="Aachen", by=REVIEWER)
    decide(review, edition="e", item_id=saved["charging_points"][0], decision="reject", version=2, by=TEAM,
           reason="Zählung <unvollständig>")
    html = receipt_html(review, edition="e", city="Aachen")
    assert "Prüfbeleg: Aachen" in html and f"von {REVIEWER}" in html
    assert "14,5 je 1.000 Einwohner" in html and "https://a.example/z" in html
    assert "abgelehnt" in html and "Zählung &lt;unvollständig&gt;" in html and "<unvollständig>" not in html
    assert "1 bestätigt, 1 Korrekturen (0 übernommen, 1 abgelehnt, 0 offen)" in html
    english = receipt_html(review, edition="e", city="Aachen", lang="en")
    assert "Review receipt: Aachen" in english and "rejected" in english


@pytest.mark.browser
def test_the_receipt_prints_as_pdf_with_chromium():
    """Printing does not depend on the database: one SQLite store is enough."""
    from review_helpers import DEADLINE, build_edition

    from cityindex.review import open_campaign, receipt_pdf
    from cityindex.store.testing import fresh_store

    with fresh_store() as store:
        build_edition(store)
        open_campaign(store, edition="e", deadline=DEADLINE, by=TEAM)
        _save(store, "Aachen", AACHEN, ("online_appointments", "confirm", {}))
        pdf = receipt_pdf(store, edition="e", city="Aachen")
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:] and len(pdf) > 5000
