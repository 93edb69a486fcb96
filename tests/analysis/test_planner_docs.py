"""docs/planner.md quotes the program's own output for Oberhausen in open-2026: recompute it here."""

from pathlib import Path

import pytest

from cityindex.analysis.catalogue import default_catalogue_path, load_catalogue
from cityindex.analysis.learning import peer_learning, sentence
from cityindex.analysis.levers import levers
from cityindex.analysis.planner import plan
from cityindex.analysis.scenario import baseline
from cityindex.analysis.whatif import what_if
from cityindex.report.planning import headline, lever_line, passed_sentence, plan_summary, rescaling_sentence

DOC = (Path(__file__).resolve().parents[2] / "docs" / "planner.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base(open_pilot):
    return baseline(open_pilot, "Oberhausen")


def _quoted(line: str) -> None:
    assert line in DOC, f"docs/planner.md no longer matches the output:\n{line}"


def test_whatif_examples(base):
    labs = what_if(base, {"oklab_any": "yes", "oklab_active": "yes"})
    _quoted(headline(labs, "en"))
    _quoted(passed_sentence(labs, "en"))
    feeds = what_if(base, {"gbfs_feeds_city": "7"})
    _quoted(rescaling_sentence(feeds.rescaled[0], "en"))


def test_levers_and_learning_examples(base):
    for lever in levers(base).top(3):
        _quoted(lever_line(lever, "en"))
    lesson = {ls.parameter: ls for ls in peer_learning(base)}["oklab_any"]
    _quoted(sentence(lesson, "en"))


@pytest.mark.parametrize("kwargs, lines", [
    ({"target_rank": 10}, [0, 1]),
    ({"target_score": 70}, [1]),
    ({"target_rank": 1}, [1, 2]),
    ({"target_rank": 10, "budget": 20000}, [1, 2, 3]),
])
def test_plan_examples(base, kwargs, lines):
    result = plan(base, load_catalogue(default_catalogue_path("open-2026")), **kwargs)
    summary = plan_summary(result, "Oberhausen", "en")
    for k in lines:
        _quoted(summary[k])
    if kwargs == {"target_rank": 10}:
        _quoted(passed_sentence(result.whatif, "en"))
