"""A city's values in a computed edition: every parameter, JSON-ready, unknown kept unknown."""

import json

from cityindex.analysis.story import city_story
from cityindex.analysis.values import city_values
from cityindex.editions import get_edition


def test_every_parameter_in_methodology_order_with_provenance():
    view = get_edition("open-2026")
    rows = city_values(view, "05119000")
    codes = [p.code for a in view.methodology.areas for i in a.indicators for p in i.parameters]
    assert [r["parameter"] for r in rows] == codes
    by_code = {r["parameter"]: r for r in rows}
    assert by_code["mpsc_funded"]["kind"] == "binary" and by_code["mpsc_funded"]["retrieved"] == "2021-07-15"
    assert by_code["charging_points_2019"]["value"] == 27.0 and by_code["charging_points_2019"]["kind"] == "numeric"
    assert by_code["freifunk_nodes_stated"]["value"] is None  # not in the data set: never filled in
    json.dumps(rows)  # plain Python values only (no numpy scalars, NaN or dates)
    assert "NaN" not in json.dumps(rows)


def test_published_editions_have_no_values():
    assert city_values(get_edition(2022), "05119000") == []
    assert city_story("Oberhausen", edition=2022).to_dict()["values"] == []
    assert len(city_story("Oberhausen", edition="open-2026").to_dict()["values"]) == len(
        city_values(get_edition("open-2026"), "05119000"))
