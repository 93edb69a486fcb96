"""Parsing the real raw files (and the curated side files) reproduces every value of facts.csv."""

from pathlib import Path

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


EXTRA = ["bba_gigabit_hh_2021", "bba_ftthb_hh_2021", "bba_100_hh_2021", "bba_gigabit_business_2021",
         "bba_5g_residential_2021", "parking_realtime_parkendd", "opendata_portal_ogeo", "geoportal_ogeo",
         "fast_charging_devices_2019"]


@pytest.fixture(scope="module")
def extra_facts():
    """The expected values of the nine extra parameters (copy of ../shared/data/open-pilot/extra/facts_extra.csv)."""
    data = Path(__file__).resolve().parents[1] / "data" / "connectors"
    return pd.read_csv(data / "open_pilot_extra_facts.csv.gz", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("parameter", EXTRA)
def test_every_value_of_the_extra_parameters_is_reproduced(extra_facts, rebuilt, parameter):
    mine = rebuilt.values[rebuilt.values.parameter == parameter]
    theirs = extra_facts[extra_facts.parameter == parameter]
    joined = theirs.merge(mine, left_on=["city_ags", "parameter"], right_on=["ags", "parameter"], how="left")
    assert len(joined) == 82
    number = lambda s: s.map(lambda v: round(float(v), 6) if v.replace(".", "", 1).isdigit() else v)  # noqa: E731
    wrong = joined[number(joined.value_x) != number(joined.value_y.fillna(""))]
    assert wrong.empty, wrong[["city_name", "value_x", "value_y"]].to_string()


def test_breitbandatlas_values_carry_the_credit_and_the_proxy_is_marked(rebuilt):
    values = rebuilt.values.set_index(["ags", "parameter"])
    aachen = values.loc[("05334002", "bba_5g_residential_2021")]  # in the StädteRegion Aachen
    assert "KREIS-LEVEL PROXY" in aachen.note and "StädteRegion Aachen" in aachen.note
    assert "Breitbandatlas | Gigabit-Grundbuch" in aachen.licence
    goettingen = values.loc[("03159016", "bba_gigabit_hh_2021")]
    assert "old AGS 03152012" in goettingen.note and goettingen.as_of == "2021-06-30"
