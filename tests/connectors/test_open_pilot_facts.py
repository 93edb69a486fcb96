"""Parsing the real raw files (and the curated side files) reproduces every value of facts.csv."""

import pandas as pd
import pytest

PARAMETERS = ["gbfs_feeds_city", "freifunk_directory_entry", "freifunk_nodes_stated", "oklab_active",
              "oklab_any", "mpsc_funded", "opendata_listed_odg", "govdata_publishers_mdk",
              "onleihe_public_library", "charging_points_2019", "charging_points_per_1000_2019"]


def _joined(facts, rebuilt, parameter):
    mine = rebuilt.values[rebuilt.values.parameter == parameter]
    theirs = facts[facts.parameter == parameter]
    return theirs.merge(mine, on=["ags", "parameter"], how="left", suffixes=("", "_rebuilt"))


@pytest.mark.parametrize("parameter", PARAMETERS)
def test_every_value_of_the_parameter_is_reproduced_city_by_city(facts, rebuilt, parameter):
    joined = _joined(facts, rebuilt, parameter)
    assert len(joined) == 82
    known = joined[joined.value != ""]
    wrong = known[known.value != known.value_rebuilt]
    assert wrong.empty, wrong[["city", "value", "value_rebuilt"]].to_string()
    # a value unknown in the facts is not invented by the rebuild
    unknown = joined[joined.value == ""]
    assert (unknown.value_rebuilt.fillna("") == "").all()


@pytest.mark.parametrize("parameter", PARAMETERS)
def test_dates_and_source_urls_match_the_facts(facts, rebuilt, parameter):
    joined = _joined(facts, rebuilt, parameter)
    known = joined[joined.value != ""]
    assert (known.as_of == known.as_of_rebuilt).all(), known[known.as_of != known.as_of_rebuilt][["city", "as_of", "as_of_rebuilt"]]
    assert (known.source_url == known.source_url_rebuilt).all()


def test_every_row_of_the_rebuild_names_source_and_licence(rebuilt):
    values = rebuilt.values[rebuilt.values.value != ""]
    assert (values.source_name != "").all() and (values.licence != "").all()
    assert values.source_url.str.startswith("https://").all()
    assert not values.duplicated(["ags", "parameter"]).any()


def test_charging_note_lists_the_district_spellings_that_were_counted(rebuilt):
    values = rebuilt.values.set_index(["ags", "parameter"])
    note = values.loc[("05315000", "charging_points_2019"), "note"]
    assert note.startswith("75 charging devices") and "'köln-niehl' [Nordrhein-Westfalen] x4" in note


def test_unassigned_rows_are_reported_not_dropped(rebuilt):
    gbfs = rebuilt.unassigned["gbfs"]
    assert "nationwide entry" in set(gbfs.reason)
    assert gbfs.row.str.contains(r"\(Ruhr\)").any()
    freifunk = rebuilt.unassigned["freifunk"]
    assert "halle_westfalen" in set(freifunk.row)
    onleihe = rebuilt.unassigned["onleihe"]
    assert onleihe.reason.str.contains("lies in").any()  # same town name in another state
