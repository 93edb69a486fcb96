"""Peer learning: comparable cities that have what the city lacks, each with its source."""

import pandas as pd

from cityindex.analysis.learning import peer_learning, sentence
from cityindex.analysis.scenario import baseline
from cityindex.cities import load_register
from cityindex.connectors.open_pilot import read_bundle


def test_comparable_cities_with_the_parameter_and_their_sources(open_pilot):
    base = baseline(open_pilot, "Gelsenkirchen")
    bundle = read_bundle()
    lessons = {lesson.parameter: lesson for lesson in peer_learning(base)}
    register = load_register()
    me = register.get("Gelsenkirchen")
    comparable = {c.ags for c in register if c.ags != me.ags and (
        c.state_code == me.state_code or c.size_class == me.size_class or set(c.regions) & set(me.regions))}
    rows = bundle[bundle.parameter == "freifunk_directory_entry"].set_index("city")
    assert rows.at[me.ags, "value"] == "no"
    expected = {a for a in comparable if rows.at[a, "value"] == "yes"}
    lesson = lessons["freifunk_directory_entry"]
    assert {p.ags for p in lesson.peers} == expected
    for peer in lesson.peers:
        assert peer.source_url == rows.at[peer.ags, "source_url"] and peer.source_url.startswith("https://")
    # Ruhr neighbours (region and state shared) come before cities that only share one group
    assert len(lesson.peers[0].groups) >= len(lesson.peers[-1].groups)
    assert "Bochum" in sentence(lesson, "de") and sentence(lesson, "de").endswith("(hier: „nein“).")
    assert "(here: \"no\")" in sentence(lesson, "en")


def test_what_the_city_has_is_no_lesson(open_pilot):
    base = baseline(open_pilot, "Oberhausen")
    codes = {lesson.parameter for lesson in peer_learning(base)}
    screened = base.result.stages["screened"].loc[base.ags]
    assert screened["mpsc_funded"] == 1 and "mpsc_funded" not in codes
    assert screened["oklab_any"] == 0 and "oklab_any" in codes
    assert "freifunk_nodes_stated" not in codes  # context only: not scored, nothing to learn
