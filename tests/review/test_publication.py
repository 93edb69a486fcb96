"""After publication the export states how many cities checked their data; before it, nothing of
the review is exported."""

import json

import pandas as pd
from review_helpers import AACHEN, REVIEWER, TEAM, revision_of

from cityindex.io.export import export_edition
from cityindex.review import Entry, accept_confirmations, save_entries, submit_review
from cityindex.store import freeze_edition, publish_edition, score_edition


def test_the_published_export_says_how_many_cities_checked_their_data(review, tmp_path):
    save_entries(review, edition="e", city="Aachen", by=REVIEWER, entries=[
        Entry("charging_points", "confirm", base_revision=revision_of(review, AACHEN, "charging_points"))])
    submit_review(review, edition="e", city="Aachen", by=REVIEWER)
    accept_confirmations(review, edition="e", by=TEAM)
    score_edition(review, "e")
    freeze_edition(review, "e")
    before = export_edition(review, "e", format="csv", out=tmp_path / "before")
    assert not any("review" in p.name for p in before)
    publish_edition(review, "e")
    files = export_edition(review, "e", format="datapackage", out=tmp_path / "after")
    table = pd.read_csv(tmp_path / "after" / "cityindex-e-review.csv")
    assert table.to_dict("records") == [{"edition": "e", "cities": 3, "cities_checked": 1, "share_checked": 0.3333}]
    descriptor = json.loads((tmp_path / "after" / "datapackage.json").read_text(encoding="utf-8"))
    assert "1 of 3 cities checked their data in the review round." in descriptor["description"]
    from frictionless import Package

    assert Package(str(files[-1])).validate().valid


def test_the_published_edition_page_says_how_many_cities_checked_their_data(review, monkeypatch):
    from cityindex import editions

    save_entries(review, edition="e", city="Bonn", by=REVIEWER, entries=[
        Entry("charging_points", "confirm", base_revision=revision_of(review, "05314000", "charging_points"))])
    submit_review(review, edition="e", city="Bonn", by=REVIEWER)
    score_edition(review, "e")
    freeze_edition(review, "e")
    url = review.engine.url.render_as_string(hide_password=False)
    monkeypatch.setitem(editions._STORES, url, review)
    monkeypatch.setenv("CITYINDEX_DATABASE_URL", url)
    assert not [n for n in editions.get_edition("e").notes if "checked" in n.en]  # frozen: not yet
    publish_edition(review, "e")
    [note] = [n for n in editions.get_edition("e").notes if "checked" in n.en]
    assert (note.de, note.en) == ("1 von 3 Städten haben ihre Daten vor der Veröffentlichung geprüft.",
                                  "1 of 3 cities checked their data before publication.")
