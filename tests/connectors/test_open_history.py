"""The yearly series: every year's files of the history folder give the compiler's values (facts_by_year.csv)."""

import shutil

import pandas as pd
import pytest

from cityindex.connectors.base import ChecksumMismatch
from cityindex.connectors.history import SERIES_PARAMETERS, History, HistoryFolderError, rebuild_year

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors"
HISTORY = DATA / "open_history"

YEARS = list(range(2019, 2027))
DEVIATIONS = pd.read_csv(DATA / "open_history_deviations.csv", dtype=str, keep_default_na=False)


def _number(text: str):
    try:
        return round(float(text), 6)
    except ValueError:
        return text


def _joined(history_facts, history_values, year):
    mine = history_values[year].values
    theirs = history_facts[history_facts.year == str(year)]
    return theirs.merge(mine, left_on=["city_ags", "parameter"], right_on=["ags", "parameter"], how="outer",
                        suffixes=("", "_rebuilt"), indicator=True)


@pytest.mark.parametrize("year", YEARS)
def test_every_value_of_the_year_is_reproduced_except_the_documented_deviations(history_facts, history_values, year):
    joined = _joined(history_facts, history_values, year)
    assert (joined._merge == "both").all() and len(joined) == 82 * len(SERIES_PARAMETERS)
    differs = joined[joined.value.map(_number) != joined.value_rebuilt.map(_number)]
    documented = DEVIATIONS[DEVIATIONS.year == str(year)]
    assert sorted(zip(differs.city_ags, differs.parameter)) == sorted(zip(documented.ags, documented.parameter))
    # where the rebuild deviates it gives the value the deviation list states
    expected = documented.set_index(["ags", "parameter"]).rebuild
    assert all(expected[(r.city_ags, r.parameter)] == r.value_rebuilt for r in differs.itertuples())


@pytest.mark.parametrize("year", YEARS)
def test_every_known_value_cites_the_commit_of_its_file_version(history_facts, history_values, year):
    joined = _joined(history_facts, history_values, year)
    cited = joined[(joined.value_rebuilt != "") & (joined.source_commit != "")]
    assert cited.apply(lambda r: r.source_commit in r.source_url, axis=1).all()
    assert (cited.licence != "").all() and cited.as_of.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_a_source_without_a_version_that_year_is_unknown_with_the_manifest_note(history_values):
    values = history_values[2019].values.set_index(["ags", "parameter"])
    row = values.loc[("05119000", "govdata_publishers_mdk")]  # Oberhausen; the catalogue starts 2023
    assert row.value == "" and "repository created 2023-06-07" in row.note
    row = history_values[2022].values.set_index(["ags", "parameter"]).loc[("05119000", "bba_gigabit_hh")]
    assert row.value == "" and "Paket 3 ends with mid-2021 data" in row.note


def test_schema_drift_is_handled_and_said_in_the_notes(history_values):
    v2020 = history_values[2020].values.set_index(["ags", "parameter"])
    assert "not comparable with 2024+" in v2020.loc[("11000000", "oklab_active"), "note"]  # flag not used yet
    v2019 = history_values[2019].values.set_index(["ags", "parameter"])
    assert v2019.loc[("05119000", "charging_points_2019"), "value"] == "23"  # June extract, no state column
    assert "postcode test instead of state test" in v2019.loc[("05119000", "charging_points_2019"), "note"]
    gbfs = history_values[2021].values.set_index(["ags", "parameter"]).loc[("05911000", "gbfs_feeds_city")]
    assert gbfs.value == "1" and "(location 'Bochum, DE')" in gbfs.note  # old "City, DE" convention


def test_a_changed_file_is_refused_by_its_checksum(tmp_path):
    copy = tmp_path / "history"
    shutil.copytree(HISTORY, copy)
    target = copy / "2023" / "MobilityData__gbfs__systems.csv"
    target.write_bytes(target.read_bytes() + b"DE,Invented,Oberhausen,x,https://example.org,\n")
    with pytest.raises(ChecksumMismatch, match="MobilityData__gbfs__systems.csv"):
        rebuild_year(copy, 2023)


def test_an_extract_must_come_from_the_file_the_manifest_names(tmp_path):
    copy = tmp_path / "history"
    shutil.copytree(HISTORY, copy)
    extracts = pd.read_csv(copy / "EXTRACTS.csv", dtype=str)
    extracts.loc[0, "origin_sha256"] = "0" * 64
    extracts.to_csv(copy / "EXTRACTS.csv", index=False)
    year = int(extracts.file[0].split("/")[0])
    with pytest.raises(ChecksumMismatch, match="extract of another file"):
        rebuild_year(copy, year)


def test_extracts_keep_the_header_and_the_index_cities_byte_for_byte():
    from cityindex.connectors.history import History

    extracts = pd.read_csv(HISTORY / "EXTRACTS.csv", dtype=str)
    manifest = History(HISTORY).manifest
    assert set(extracts.origin_sha256) <= set(manifest.sha256)
    for row in extracts.itertuples():
        assert int(row.bytes) < int(row.origin_bytes) / 4  # far smaller than the original
        assert (HISTORY / row.file).read_bytes().splitlines()[0].startswith((b'"AGS"', b"AGS", b'"ags"'))


def test_a_folder_that_is_not_a_history_folder_gives_one_clear_error(tmp_path):
    with pytest.raises(HistoryFolderError, match="no MANIFEST.csv"):
        History(tmp_path).years
    with pytest.raises(HistoryFolderError, match="no folder and manifest rows for 2031"):
        History(HISTORY).year(2031)


def test_postcode_zones_side_file_is_what_the_july_extract_gives():
    from cityindex.connectors import ladesaeulen
    from cityindex.connectors.matching import SIDE_DIR, read_side

    raw = next((DATA / "open_pilot_raw").glob("*Datenbankauszug_25*.xlsx")).read_bytes()
    rows, _ = ladesaeulen.parse_xlsx_2019(raw)
    assert read_side(SIDE_DIR / "ladesaeulen.zones.json")["zones"] == ladesaeulen.postcode_zones(rows)


def test_series_bundle_is_exactly_what_the_history_folder_gives(history_values):
    from cityindex.connectors.open_pilot import bundle_frame
    from cityindex.series.build import read_bundle

    bundle = read_bundle()
    assert sorted(bundle) == list(range(2019, 2026))  # 2026 is the open edition, built from the pilot's files
    for year, frame in bundle.items():
        fresh = bundle_frame(history_values[year].values).astype(str)
        pd.testing.assert_frame_equal(frame, fresh, check_dtype=False)
