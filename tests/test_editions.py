"""One view over published and computed editions."""

from pathlib import Path

import pytest

from cityindex.editions import get_edition, list_editions
from cityindex.errors import UnknownEdition, UnknownScope


def test_published_editions_and_their_sizes():
    editions = list_editions()
    assert [e.key for e in editions[:7]] == [str(y) for y in range(2019, 2026)]
    assert [e.n_cities for e in editions[:7]] == [81, 81, 81, 81, 81, 82, 83]
    assert all(e.kind == "published" and e.series == "bitkom" for e in editions[:7])


def test_edition_2022_top_and_gaps():
    ed = get_edition(2022)
    top = ed.ranking("overall").head(3)
    assert list(top["city"]) == ["Hamburg", "München", "Dresden"]
    assert list(top["score"]) == [86.1, 85.3, 81.6]
    assert ed.previous == "2021" and get_edition("2019").previous is None
    assert ed.known_ranks("overall") == 42
    assert 13 in ed.missing_ranks("overall") and 52 not in ed.missing_ranks("overall")
    assert len(ed.missing_ranks("overall")) == 81 - 42


def test_scores_without_rank_come_after_ranked_rows():
    mob = get_edition("2022").ranking("mobilitaet")
    assert mob.iloc[-1]["city"] == "München" and mob.iloc[-1]["score"] == 91.4
    assert mob["rank"].isna().sum() == 1


def test_2022_keeps_its_unassigned_tables():
    assert set(get_edition("2022").unassigned["table"]) == {"B", "C", "D", "E"}
    assert get_edition("2023").unassigned.empty


def test_unknown_edition_and_scope():
    with pytest.raises(UnknownEdition, match="known editions: 2019"):
        get_edition("2030")
    with pytest.raises(UnknownScope, match="mobilitaet"):
        get_edition("2022").ranking("mobility")


def test_names_of_scopes():
    assert get_edition("2023").scope_name("gesellschaft") == "Gesellschaft und Bildung"
    assert get_edition("2022").scope_name("it_kommunikation", "en") == "IT and communication"
    assert get_edition("2023").scope_name("gesellschaft", "en") == "Society and education"


# Published facts (Bitkom Smart City Index 2023): share of e-vehicles Wiesbaden 7.8 %, Salzgitter 0.1 %;
# the one-parameter methodology around them is fictional.
E_METHODOLOGY = Path(__file__).resolve().parent / "data" / "e_vehicle_share.yaml"


def test_computed_edition_from_an_engine_result():
    import pandas as pd

    from cityindex.editions import EditionView
    from cityindex.engine import score
    from cityindex.methodology import load_methodology

    m = load_methodology(E_METHODOLOGY)
    data = pd.DataFrame({"city": ["06414000", "03102000"], "parameter": ["e_fahrzeuge"] * 2, "value": [7.8, 0.1]})
    result = score(m, data)
    view = EditionView.from_result(result, key="test-2023", title="Test", series="open", year=2023)
    assert (view.kind, view.series, view.previous, view.n_cities) == ("computed", "open", None, 2)
    top = view.ranking("overall").iloc[0]
    assert (top["city"], top["rank"], top["score"]) == ("Wiesbaden", 1, 100.0)
    assert view.get("03102000", "mobilitaet")["score"] == 0.0
    assert view.known_ranks("overall") == 2 and view.missing_ranks("overall") == []
    assert view.scope_name("mobilitaet", "en") == "Mobility"  # the methodology file names it
    assert set(view.rows["source"]) == {"computed by cityindex"}
    assert view.area_weights == {"mobilitaet": 1.0}


def test_city_values_include_bonus_parameters():
    """The fictional example methodology has a bonus; its answer is listed like any value."""
    import pandas as pd

    from cityindex.analysis.values import city_values
    from cityindex.editions import EditionView
    from cityindex.engine import score
    from cityindex.methodology import load_methodology
    from cityindex.paths import DATA_DIR

    cases = Path(__file__).parent / "data" / "engine"
    m = load_methodology(DATA_DIR / "methodologies" / "example.yaml")
    data = pd.read_csv(cases / "example_data.csv", dtype={"city": str}, comment="#")
    register = pd.read_csv(cases / "example_register.csv", dtype={"ags": str}, comment="#").set_index("ags")
    view = EditionView.from_result(score(m, data, cities=register), key="example", title="Example",
                                   series="cityindex", year=2026, datapoints=data)
    rows = {r["parameter"]: r for r in city_values(view, "99000001")}
    assert sorted(rows) == sorted(m.parameters)  # every parameter once, bonus ones included
    bonus = rows["innovationsprojekte"]
    assert (bonus["area"], bonus["indicator"], bonus["value"], bonus["kind"]) == ("verwaltung", None, "mehrere", "points")


def test_requests_arriving_together_open_the_store_once(tmp_path, monkeypatch):
    """A server's first requests come at once: the store is opened and migrated by one of them
    (concurrent Alembic upgrades in one process used to fail with KeyError 'config')."""
    import threading

    from cityindex import editions

    monkeypatch.setenv("CITYINDEX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CITYINDEX_OPEN_PILOT", "0")
    monkeypatch.setattr(editions, "_STORES", {})
    results, errors = [], []

    def open_it():
        try:
            results.append(editions._default_store())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len({id(store) for _, store in results}) == 1
