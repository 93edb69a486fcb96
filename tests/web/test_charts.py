"""Chart specs are valid Vega-Lite and leave unknown values out (never drawn as 0)."""

import altair as alt

from cityindex.web import charts


def test_history_spec_is_valid_and_skips_unknown_ranks():
    spec = charts.history_spec(
        [{"edition": "2019", "rank": 77, "n_cities": 81}, {"edition": "2021", "rank": None, "n_cities": 81},
         {"edition": "2022", "rank": 52, "n_cities": 81}],
        title="Verlauf", rank_label="Rang", edition_label="Ausgabe")
    alt.Chart.from_dict(spec, validate=True)
    assert [v["edition"] for v in spec["data"]["values"]] == ["2019", "2022"]
    assert spec["encoding"]["y"]["scale"]["reverse"] is True


def test_areas_spec_is_valid_and_has_no_bar_for_unknown_scores():
    rows = [{"name": "Mobilität", "score": None, "median": 67.2, "best": 91.4},
            {"name": "Verwaltung", "score": 55.0, "median": 60.0, "best": None}]
    spec = charts.areas_spec(rows, title="Bereiche", labels={"score": "Oberhausen", "median": "Median", "best": "Beste"})
    alt.LayerChart.from_dict(spec, validate=True)
    values = spec["layer"][0]["data"]["values"] if "data" in spec["layer"][0] else spec["data"]["values"]
    assert {"area": "Mobilität", "series": "Oberhausen", "value": None} not in values
    assert sum(1 for v in values if v["series"] == "Oberhausen") == 1


def test_compare_spec_is_valid_and_renders_to_svg():
    spec = charts.compare_spec([{"city": "Oberhausen", "edition": "2022", "rank": 52},
                                {"city": "Bochum", "edition": "2022", "rank": 8}],
                               title="Verlauf", rank_label="Rang", edition_label="Ausgabe")
    alt.Chart.from_dict(spec, validate=True)
    svg = charts.to_svg(spec)
    assert svg.lstrip().startswith("<svg") and "Oberhausen" in svg
