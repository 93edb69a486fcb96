"""The bundled open pilot edition: data points with provenance, imported and scored through the store."""

import pandas as pd
import pytest

from cityindex.connectors.open_pilot import EDITION_KEY, build_open_pilot, bundle_frame, read_bundle
from cityindex.store import edition_info, get_datapoints
from cityindex.store.testing import fresh_store


def test_bundle_is_exactly_what_the_raw_files_and_side_files_give(rebuilt):
    bundle = read_bundle()
    fresh = bundle_frame(rebuilt.values)
    pd.testing.assert_frame_equal(bundle, fresh.astype(str), check_dtype=False)


def test_bundle_holds_no_unknown_values_and_every_value_has_provenance():
    bundle = read_bundle()
    assert (bundle.value != "").all()
    for column in ("source_name", "source_url", "retrieved", "licence"):
        assert (bundle[column] != "").all(), column
    assert bundle.city.str.fullmatch(r"\d{8}").all()
    assert bundle.groupby("parameter").size().to_dict()["freifunk_nodes_stated"] == 10


@pytest.fixture(scope="module")
def built():
    with fresh_store() as store:
        result = build_open_pilot(store)
        yield store, result


def test_build_gives_a_complete_ranking_of_all_82_cities(built):
    _store, result = built
    ranks = result.to_long()
    overall = ranks[ranks.scope == "overall"]
    assert len(overall) == 82 and overall.score.notna().all()
    assert set(ranks.scope) == {"overall", "verwaltung", "it_kommunikation", "energie_umwelt",
                                "mobilitaet", "gesellschaft"}


def test_context_only_parameters_are_imported_but_not_scored(built):
    store, result = built
    stored = get_datapoints(store, edition=EDITION_KEY)
    assert {"freifunk_nodes_stated", "charging_points_2019"} <= set(stored.parameter)
    scored = {p.code for a in result.methodology.areas for i in a.scored_indicators for p in i.scored_parameters}
    assert "freifunk_nodes_stated" not in scored and "charging_points_2019" not in scored


def test_stored_data_points_keep_source_date_and_licence(built):
    store, _result = built
    stored = get_datapoints(store, edition=EDITION_KEY).set_index(["city", "parameter"])
    oberhausen = stored.loc[("05119000", "charging_points_per_1000_2019")]
    assert oberhausen.source_name == "Bundesnetzagentur Ladesäulenregister"
    assert oberhausen.retrieved == "2019-07-19" and oberhausen.licence.startswith("CC BY 4.0")
    assert len(stored) == len(read_bundle())


def test_building_twice_changes_nothing(built):
    store, result = built
    before = edition_info(store, EDITION_KEY).datapoints
    again = build_open_pilot(store)
    assert edition_info(store, EDITION_KEY).datapoints == before
    assert again == result


def test_result_is_stored_with_the_edition(built):
    from cityindex.store import load_result

    store, result = built
    assert load_result(store, EDITION_KEY) == result


def test_datapackage_export_passes_frictionless_validate(built, tmp_path):
    from frictionless import validate

    from cityindex.io.export import export_edition

    store, _result = built
    files = export_edition(store, EDITION_KEY, format="datapackage", out=tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert any(f.name.endswith(".csv") for f in files)


def test_offline_result_equals_the_store_result(built):
    from cityindex.connectors.open_pilot import open_pilot_result

    _store, result = built
    assert open_pilot_result() == result


def _view(result, data):
    from cityindex.editions import EditionView

    return EditionView.from_result(result, key=EDITION_KEY, title="open pilot", series="open", year=2026,
                                   datapoints=data)


def test_city_values_give_every_parameter_with_its_source_and_keep_unknowns_empty():
    from cityindex.connectors.open_pilot import open_pilot_result, read_bundle

    rows = _view(open_pilot_result(), read_bundle()).city_values("05119000").set_index("parameter")  # Oberhausen
    assert len(rows) == 20  # 18 scored + 2 context since methodology version 2
    assert rows.value["mpsc_funded"] == "yes" and rows.retrieved["mpsc_funded"] == "2021-07-15"
    assert rows.value["freifunk_nodes_stated"] is None and rows.source_url["freifunk_nodes_stated"] is None
    assert bool(rows.context_only["charging_points_2019"])
    known = rows[rows.value.notna()]
    assert known.source_url.str.startswith("https://").all() and known.licence.notna().all()


def test_city_values_read_the_stored_data_points(built):
    store, result = built
    rows = _view(result, get_datapoints(store, edition=EDITION_KEY)).city_values("05119000").set_index("parameter")
    assert rows.source_name["gbfs_feeds_city"].startswith("MobilityData")
    assert float(rows.value["charging_points_per_1000_2019"]) == pytest.approx(0.128)


def test_an_edition_with_another_methodology_of_the_same_version_is_not_silently_reused():
    from cityindex.errors import CityIndexError
    from cityindex.connectors.open_pilot import methodology_path
    from cityindex.store import create_edition

    text = methodology_path().read_text(encoding="utf-8").replace("rounding: 1", "rounding: 2")
    with fresh_store() as store:
        create_edition(store, EDITION_KEY, text)
        with pytest.raises(CityIndexError, match="another version of its methodology"):
            build_open_pilot(store)
        assert edition_info(store, EDITION_KEY).datapoints == 0


def test_a_version_1_edition_moves_to_version_2_and_keeps_its_version_1_result():
    from cityindex.connectors.open_pilot import methodology_path
    from cityindex.methodology import load_methodology
    from cityindex.paths import METHODOLOGY_DIR
    from cityindex.store import create_edition, result_history

    v1 = load_methodology(METHODOLOGY_DIR / "previous" / "open-2026-v1.yaml")
    with fresh_store() as store:
        create_edition(store, EDITION_KEY, v1)
        old = bundle_frame_v1()
        from cityindex.series.build import import_and_score

        first = import_and_score(store, EDITION_KEY, old, by="test", reason="v1", source="v1 bundle")
        second = build_open_pilot(store)
        history = result_history(store, edition=EDITION_KEY)
        assert history.methodology_version.tolist() == ["1.0", "2.0"]
        assert history.methodology_hash.tolist() == [v1.hash, load_methodology(methodology_path()).hash]
        assert first.methodology.version == "1.0" and second.methodology.version == "2.0"
        assert edition_info(store, EDITION_KEY).methodology_version == "2.0"


def bundle_frame_v1():
    """The bundle restricted to the eleven parameters of version 1."""
    from cityindex.methodology import load_methodology
    from cityindex.paths import METHODOLOGY_DIR

    v1 = load_methodology(METHODOLOGY_DIR / "previous" / "open-2026-v1.yaml")
    bundle = read_bundle()
    return bundle[bundle.parameter.isin(v1.parameters)]


@pytest.mark.postgres
def test_build_on_postgresql_gives_the_same_result(built, pg_url):
    _store, sqlite_result = built
    with fresh_store(pg_url) as store:
        assert build_open_pilot(store) == sqlite_result
