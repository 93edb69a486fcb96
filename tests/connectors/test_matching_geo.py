"""Name matching with alias tables, and point in polygon against the bundled city polygons."""

import json

import numpy as np
import pandas as pd
import pytest

from cityindex.connectors.base import index_cities
from cityindex.connectors.geo import assign_points, points_in_ring
from cityindex.connectors.matching import NameMatcher, SideFileError


def test_names_match_with_umlaut_spellings_and_aliases():
    m = NameMatcher(aliases={"Munich": "München"}, not_cities={"Ruhr": "regional entry"})
    assert m.match("Muenchen")[0] == "09162000" and m.match("Munich")[0] == "09162000"
    assert m.match("frankfurt_am_main")[0] == "06412000"
    assert m.match("Ruhr") == (None, "regional entry")
    assert m.match("Herrenberg") == (None, "not an index city")


def test_state_restricts_a_name_to_the_city_in_that_state():
    m = NameMatcher()
    ags, reason = m.match("Offenbach am Main", state="Bayern")
    assert ags is None and "Hessen" in reason


def test_unused_aliases_are_reported():
    m = NameMatcher(aliases={"Munich": "München", "Cologne": "Köln"})
    m.match("Munich")
    assert m.unused_aliases() == ["Cologne"]


def test_an_alias_to_a_city_outside_the_index_is_refused():
    with pytest.raises(SideFileError, match="Tübingen"):
        NameMatcher(aliases={"Tubingen": "Tübingen"})


def test_broken_side_file_names_file_and_line(tmp_path):
    (tmp_path / "x.cities.json").write_text('{"aliases": {"a": }', encoding="utf-8")
    with pytest.raises(SideFileError, match=r"x.cities.json: line 1"):
        NameMatcher.for_source("x", side_dir=tmp_path)


def test_every_city_centre_lies_in_its_own_polygon():
    cities = index_cities()
    assert (assign_points(cities.lon, cities.lat) == cities.ags.to_numpy()).all()


def test_points_outside_every_city_and_missing_coordinates_get_no_city():
    assert list(assign_points([9.6722, np.nan], [48.44942, 50.0])) == ["", ""]


def test_ring_with_a_hole_even_odd_rule():
    square = np.array([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], dtype=float)
    hole = np.array([[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]], dtype=float)
    lon, lat = np.array([0.5, 2.0, 5.0]), np.array([0.5, 2.0, 2.0])
    inside = points_in_ring(lon, lat, square) & ~points_in_ring(lon, lat, hole)
    assert inside.tolist() == [True, False, False]


def test_geodata_has_a_polygon_for_every_index_city_and_sixteen_states():
    from cityindex.paths import GEO_DIR

    cities = json.loads((GEO_DIR / "cities.geojson").read_text(encoding="utf-8"))
    states = json.loads((GEO_DIR / "laender.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["AGS"] for f in cities["features"]) == sorted(index_cities().ags)
    assert len(states["features"]) == 16
    goettingen = next(f for f in cities["features"] if f["properties"]["name"] == "Göttingen")
    assert goettingen["properties"]["vg250_ags"] == "03152012"
