"""The city register: bundled data, lookup, tags."""

import pandas as pd
import pytest

from cityindex.cities import load_register, normalise_name, size_class
from cityindex.errors import CityIndexError, UnknownCity
from cityindex.paths import PUBLISHED_DIR


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.mark.parametrize("query, name", [
    ("muenchen", "München"), ("Munich", "München"), ("MÜNCHEN", "München"),
    ("Halle Saale", "Halle (Saale)"), ("halle-saale", "Halle (Saale)"), ("Halle", "Halle (Saale)"),
    ("mülheim", "Mülheim an der Ruhr"), ("Mulheim an der Ruhr", "Mülheim an der Ruhr"),
    ("Frankfurt a. M.", "Frankfurt am Main"), ("Frankfurt", "Frankfurt am Main"),
    ("Freiburg i. Br.", "Freiburg im Breisgau"), ("Ludwigshafen", "Ludwigshafen am Rhein"),
    ("Offenbach", "Offenbach am Main"), ("Koeln", "Köln"), ("05119000", "Oberhausen"),
    ("5119000", "Oberhausen"), ("Hagen, Stadt der FernUniversität", "Hagen"),
])
def test_lookup_by_name_alias_slug_ags(register, query, name):
    assert register.get(query).name == name


def test_unknown_name_suggests_close_names(register):
    with pytest.raises(UnknownCity, match="Did you mean Oberhausen"):
        register.get("Oberhusen")


def test_unknown_name_without_close_match_points_to_the_list(register):
    with pytest.raises(UnknownCity, match="cityindex cities"):
        register.get("Xyzzyqwv")


def test_register_matches_the_destatis_extract(register):
    destatis = pd.read_csv(PUBLISHED_DIR / "cities.csv", dtype={"ags": str}).set_index("ags")
    frame = register.frame.loc[destatis.index]
    assert len(register) == 82
    assert (frame["population"] == destatis["population"]).all()
    assert (frame["area_km2"] == destatis["area_km2"]).all()
    assert (frame["name"] == destatis["city"]).all()


def test_ags_are_eight_digit_strings(register):
    assert all(len(ags) == 8 and ags.isdigit() for ags in register.frame.index)
    assert register.get("Hamburg").ags == "02000000"


def test_state_codes_and_slugs(register):
    assert register.get("Oberhausen").state_code == "NW"
    assert register.get("München").state_code == "BY"
    assert register.get("München").slug == "muenchen"
    assert register.get("Halle (Saale)").slug == "halle-saale"
    assert register.frame["slug"].is_unique


def test_ruhr_region_has_the_13_index_cities(register):
    ruhr = {c.name for c in register.filter(region="ruhr")}
    assert ruhr == {"Bochum", "Bottrop", "Dortmund", "Duisburg", "Essen", "Gelsenkirchen", "Hagen",
                    "Hamm", "Herne", "Mülheim an der Ruhr", "Oberhausen", "Recklinghausen", "Moers"}


def test_filter_by_state_name_or_code(register):
    assert {c.ags for c in register.filter(state="NW")} == {c.ags for c in register.filter(state="Nordrhein-Westfalen")}
    assert all(c.state == "Bayern" for c in register.filter(state="by"))
    with pytest.raises(CityIndexError, match="Unknown state"):
        register.filter(state="XX")


def test_size_classes_and_the_two_cities_below_100k(register):
    assert size_class(99_999) == "lt100k" and size_class(100_000) == "100k-200k"
    assert size_class(1_000_000) == "gt1m"
    small = {c.name: c for c in register.filter(size_class="lt100k")}
    assert set(small) == {"Hanau", "Cottbus"}
    assert "below 100,000" in small["Hanau"].note
    assert {c.name for c in register.filter(size_class="gt1m")} == {"Berlin", "Hamburg", "München", "Köln"}


def test_normalise_name_ignores_case_umlauts_punctuation():
    assert normalise_name("Mülheim a. d. Ruhr") == "muelheim a d ruhr"
    assert normalise_name("Mülheim", fold_umlauts=True) == "mulheim"
