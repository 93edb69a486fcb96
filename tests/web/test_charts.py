"""Chart specs are valid Vega-Lite and never draw an unknown value (not as 0, not bridged)."""

import altair as alt

from cityindex.web import charts


def test_history_spec_is_valid_and_skips_unknown_ranks():
    spec = charts.history_spec(
        [{"edition": "2019", "rank": 77, "score": 29.3, "n_cities": 81},
         {"edition": "2021", "rank": None, "score": None, "n_cities": 81},
         {"edition": "2025", "rank": 62, "score": None, "n_cities": 83}],
        title="Verlauf", rank_label="Rang", edition_label="Ausgabe", score_label="Punkte")
    alt.VConcatChart.from_dict(spec, validate=True)
    rank_panel, score_panel = spec["vconcat"]
    assert {"name": "points"} in (spec.get("data"), rank_panel.get("data"))  # filled per page from datasets
    # unknown values stay null (never 0) and break the line instead of bridging the gap
    assert [v["rank"] for v in spec["datasets"]["points"]] == [77, None, 62]
    assert [v["score"] for v in spec["datasets"]["points"]] == [29.3, None, None]
    assert rank_panel["mark"]["invalid"] == score_panel["mark"]["invalid"] == "break-paths-show-domains"
    assert rank_panel["encoding"]["y"]["scale"]["reverse"] is True
    assert charts.to_svg(spec).lstrip().startswith("<svg")


def test_a_cached_layout_never_carries_another_citys_numbers():
    args = dict(title="Verlauf", rank_label="Rang", edition_label="Ausgabe", score_label="Punkte")
    first = charts.history_spec([{"edition": "2019", "rank": 77, "score": 29.3, "n_cities": 81}], **args)
    second = charts.history_spec([{"edition": "2019", "rank": 8, "score": 77.0, "n_cities": 81}], **args)
    assert first["datasets"]["points"][0]["rank"] == 77 and second["datasets"]["points"][0]["rank"] == 8


def test_areas_spec_is_valid_and_has_no_bar_for_unknown_scores():
    rows = [{"name": "Mobilität", "score": None, "median": 67.2, "best": 91.4},
            {"name": "Verwaltung", "score": 55.0, "median": 60.0, "best": None}]
    spec = charts.areas_spec(rows, title="Bereiche", labels={"score": "Oberhausen", "median": "Median", "best": "Beste"})
    alt.LayerChart.from_dict(spec, validate=True)
    values = spec["datasets"]["points"]
    assert {"area": "Mobilität", "series": "Oberhausen", "value": None} not in values
    assert sum(1 for v in values if v["series"] == "Oberhausen") == 1
    assert charts.to_svg(spec).lstrip().startswith("<svg")


def test_compare_spec_is_valid_breaks_gaps_and_renders_to_svg():
    spec = charts.compare_spec([{"city": "Oberhausen", "edition": "2021", "rank": None},
                                {"city": "Oberhausen", "edition": "2022", "rank": 52},
                                {"city": "Bochum", "edition": "2022", "rank": 8}],
                               title="Verlauf", rank_label="Rang", edition_label="Ausgabe")
    alt.Chart.from_dict(spec, validate=True)
    assert spec["mark"]["invalid"] == "break-paths-show-domains"
    svg = charts.to_svg(spec)
    assert svg.lstrip().startswith("<svg") and "Oberhausen" in svg
