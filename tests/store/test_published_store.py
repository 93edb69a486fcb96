"""Published Bitkom editions in the store: equal to the bundle, idempotent, append-only, previous ranks."""

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cityindex.cli import app
from cityindex.errors import UnknownEdition
from cityindex.io.importer import import_frame
from cityindex.published import EDITION_SIZES, load_published
from cityindex.store import (create_edition, list_published_editions, load_published_editions, published_ranks,
                             published_rows, published_unassigned, result_scores, score_edition)
from cityindex.store.models import PublishedEdition, PublishedRow, StoredResult

METHODOLOGY = Path(__file__).parent.parent / "data" / "io" / "methodology.yaml"  # fictional methodology


def _count(store, model) -> int:
    with store.sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_loaded_editions_equal_the_bundle_cell_by_cell(store):
    assert load_published_editions(store) == len(EDITION_SIZES)
    bundle = load_published()
    for year in EDITION_SIZES:
        pd.testing.assert_frame_equal(published_rows(store, edition=str(year)), bundle.edition(year))
        unassigned = bundle.unassigned[bundle.unassigned["edition"] == year].reset_index(drop=True)
        pd.testing.assert_frame_equal(published_unassigned(store, edition=year), unassigned)
    listed = {i.key: i for i in list_published_editions(store)}
    assert [i.key for i in list_published_editions(store)] == ["2025", "2024", "2023", "2022", "2021", "2020", "2019"]
    assert {k: i.n_cities for k, i in listed.items()} == {str(y): n for y, n in EDITION_SIZES.items()}
    assert listed["2022"].unassigned == len(bundle.unassigned) and listed["2025"].unassigned == 0


def test_unknown_numbers_stay_null_and_unassigned_tables_keep_their_letter(store):
    load_published_editions(store)
    rows_2025 = published_rows(store, edition=2025, scope="overall")
    assert rows_2025["score"].isna().all()  # 2025 published ranks only
    with store.sessions() as session:
        scores = session.scalars(sa.select(PublishedRow.score).join(PublishedEdition)
                                 .where(PublishedEdition.key == "2025")).all()
        letters = session.scalars(sa.select(PublishedRow.table_letter).where(PublishedRow.scope.is_(None))
                                  .distinct()).all()
    assert set(scores) == {None}
    assert sorted(letters) == ["B", "C", "D", "E"]
    assert published_rows(store, edition=2022, scope="verwaltung")["scope"].eq("verwaltung").all()


def test_loading_twice_changes_nothing(store):
    load_published_editions(store)
    before = (_count(store, PublishedEdition), _count(store, PublishedRow))
    assert load_published_editions(store) == 0
    assert (_count(store, PublishedEdition), _count(store, PublishedRow)) == before
    assert {i.revision for i in list_published_editions(store)} == {1}


def test_a_changed_bundle_adds_a_revision_and_keeps_the_old_one(store):
    load_published_editions(store)
    bundle = load_published()
    # A withdrawn transcription: Oberhausen's 2025 rank row leaves the bundle (no number is invented).
    withdrawn = bundle.results[~((bundle.results["edition"] == 2025) & (bundle.results["city"] == "Oberhausen"))]
    assert load_published_editions(store, data=dataclasses.replace(bundle, results=withdrawn)) == 1
    current = {i.key: i for i in list_published_editions(store)}
    assert current["2025"].revision == 2 and current["2024"].revision == 1
    assert "Oberhausen" not in set(published_rows(store, edition=2025)["city"])
    with store.sessions() as session:
        first = session.scalar(sa.select(sa.func.count()).select_from(PublishedRow).join(PublishedEdition)
                               .where(PublishedEdition.key == "2025", PublishedEdition.revision == 1))
    assert first == len(bundle.edition(2025))
    assert load_published_editions(store) == 1  # the bundle as shipped again: a third revision
    pd.testing.assert_frame_equal(published_rows(store, edition=2025), bundle.edition(2025))


def test_database_refuses_to_change_published_rows(store):
    load_published_editions(store)
    for statement in ("UPDATE published_rows SET rank = 1", "DELETE FROM published_rows",
                      "UPDATE published_editions SET n_cities = 1"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(sa.text(statement))


def test_unknown_published_edition_is_a_clear_error(store):
    with pytest.raises(UnknownEdition, match="load-published"):
        published_rows(store, edition=2025)
    load_published_editions(store)
    with pytest.raises(UnknownEdition, match="bundled: 2019"):
        published_rows(store, edition=2018)


def _data(cities, charging):  # synthetic values of a fictional methodology for real city names
    return pd.DataFrame({"city": cities * 2, "parameter": ["charging_points"] * len(cities) + ["eid_services"] * len(cities),
                         "value": list(charging) + ["einige"] * len(cities)})


def _plain(series: pd.Series) -> dict:
    return {k: None if pd.isna(v) else int(v) for k, v in series.items()}


def test_rank_changes_against_the_published_2025_ranks(store):
    create_edition(store, "2026", METHODOLOGY, previous="2025")  # loads the bundled editions on first use
    assert list_published_editions(store)
    cities = ["Aachen", "Köln", "Hamburg", "München"]  # Aachen has no published 2025 rank
    import_frame(store, _data(cities, [4.0, 3.0, 2.0, 1.0]), edition="2026", by="ana")
    result = score_edition(store, "2026")
    assert result.ranks["overall"].to_dict() == {"05334002": 1, "05315000": 2, "02000000": 3, "09162000": 4}
    # published 2025: München 1, Hamburg 2, Köln 4 → change = previous − current
    expected = {"05334002": None, "05315000": 2, "02000000": -1, "09162000": -3}
    assert _plain(result.rank_change["overall"]) == expected
    assert result.rank_change.drop(columns="overall").isna().all().all()  # 2025 published no area ranks
    stored = result_scores(store, edition="2026", scope="overall").set_index("city")["rank_change"]
    assert _plain(stored) == expected
    with store.sessions() as session:
        assert session.scalar(sa.select(StoredResult.previous_key)) == "2025"


def test_published_ranks_hold_only_published_ranks(store):
    load_published_editions(store)
    ranks = published_ranks(store, edition=2025)
    assert list(ranks.columns) == ["overall"] and len(ranks) == len(published_rows(store, edition=2025))
    assert ranks.loc["09162000", "overall"] == 1 and "05334002" not in ranks.index


def test_previous_must_be_a_stored_or_published_edition(store):
    with pytest.raises(UnknownEdition, match="published editions: 2019"):
        create_edition(store, "e", METHODOLOGY, previous="1999")
    assert create_edition(store, "e", METHODOLOGY, previous="2024").previous_key == "2024"


def test_cli_loads_published_editions_and_lists_them(store):
    url = store.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    first = runner.invoke(app, ["edition", "load-published", "--database-url", url])
    assert first.exit_code == 0 and "Loaded 7 published edition revision(s)" in first.output
    again = runner.invoke(app, ["edition", "load-published", "--database-url", url])
    assert again.exit_code == 0 and "up to date" in again.output
    create_edition(store, "2026", METHODOLOGY, previous="2025")
    listed = json.loads(runner.invoke(app, ["editions", "--format", "json", "--database-url", url]).output)
    kinds = [(e["key"], e["kind"]) for e in listed]
    assert kinds[0] == ("2026", "computed") and ("2025", "published") in kinds and len(kinds) == 8
    table = runner.invoke(app, ["editions", "--database-url", url]).output
    assert "Bitkom Smart City Index 2022" in table and "unassigned" in table


def test_a_stored_edition_with_a_published_key_takes_precedence(store):
    load_published_editions(store)
    cities = ["Köln", "Hamburg", "München"]
    create_edition(store, "2025", METHODOLOGY)  # a recomputed 2025 in the store
    import_frame(store, _data(cities, [1.0, 2.0, 3.0]), edition="2025", by="ana")
    stored_2025 = score_edition(store, "2025")
    create_edition(store, "2026", METHODOLOGY, previous="2025")
    import_frame(store, _data(cities, [3.0, 2.0, 1.0]), edition="2026", by="ana")
    result = score_edition(store, "2026")
    expected = stored_2025.ranks["overall"].astype("Int64") - result.ranks["overall"].astype("Int64")
    assert _plain(result.rank_change["overall"]) == _plain(expected)
    # stored 2025: München 1, Hamburg 2, Köln 3 (published 2025 has Köln 4, which would give +3)
    assert _plain(result.rank_change["overall"]) == {"09162000": -2, "02000000": 0, "05315000": 2}
