"""Published Bitkom editions: numbers as found, with sources, gaps kept."""

import pandas as pd
import pytest

from cityindex.errors import UnknownEdition
from cityindex.paths import PUBLISHED_DIR
from cityindex.published import EDITION_SIZES, load_published, scope_names


@pytest.fixture(scope="module")
def data():
    return load_published()


def _row(data, edition, city, scope="overall"):
    res = data.results
    return res[(res.edition == edition) & (res.city == city) & (res.scope == scope)].iloc[0]


def test_oberhausen_numbers_and_their_sources(data):
    row = _row(data, 2022, "Oberhausen")
    assert (row["rank"], row["score"], row["rank_change"]) == (52, 53.8, 13)
    assert "article236554707" in row["score_source"]
    old = _row(data, 2019, "Oberhausen")
    assert (old["rank"], old["score"]) == (77, 29.3)


def test_every_number_has_a_source_url(data):
    res = data.results
    for field in ("rank", "score", "rank_change"):
        known = res[res[field].notna()]
        assert known[f"{field}_source"].str.startswith("http").all(), field


def test_gaps_are_never_filled(data):
    raw = pd.concat(pd.read_csv(PUBLISHED_DIR / f"results_{y}.csv", dtype=str, keep_default_na=False)
                    for y in EDITION_SIZES)
    assert len(data.results) == len(raw)
    assert data.results["score"].isna().sum() == (raw["score"] == "").sum()
    assert data.results["rank"].isna().sum() == (raw["rank"] == "").sum()
    # 2025 published no scores; 2021 Oberhausen overall is unknown and stays absent
    assert data.edition(2025)["score"].isna().all()
    res = data.results
    assert res[(res.edition == 2021) & (res.city == "Oberhausen")].empty


def test_tendenz_is_stored_as_given(data):
    assert _row(data, 2022, "Köln")["rank_change"] == -2
    assert _row(data, 2022, "Saarbrücken", "verwaltung")["rank_change"] == 0
    assert pd.isna(_row(data, 2022, "Hamburg")["rank_change"])


def test_unassigned_2022_tables_stay_unassigned(data):
    un = data.unassigned
    assert sorted(un["table"].unique()) == ["B", "C", "D", "E"]
    assert len(un) == 80 and "scope" not in un.columns
    assert un["source"].str.contains("bitkom.org/smart-city-index-2022").all()


def test_unknown_edition(data):
    with pytest.raises(UnknownEdition, match="2018"):
        data.edition(2018)


def test_scope_names_follow_the_edition():
    assert scope_names("gesellschaft", year=2022)["de"] == "Gesellschaft"
    assert scope_names("gesellschaft", year=2023)["de"] == "Gesellschaft und Bildung"
    assert scope_names("mobilitaet")["en"] == "Mobility"  # an English page is English throughout
