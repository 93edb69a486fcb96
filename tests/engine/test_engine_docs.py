"""docs/scoring.md cannot drift from the engine: registries, stages, benchmark figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cityindex.engine import REGISTRIES
from cityindex.engine.reference import registry_reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
STAGES = ["screen", "treat", "impute", "combine", "normalise", "aggregate_areas", "add_bonus",
          "aggregate_overall", "rank", "compare_ranks"]


def text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_generated_registry_reference_is_current() -> None:
    assert registry_reference() in text(), "run `python -m cityindex.engine.reference` and paste it into docs/scoring.md"


@pytest.mark.parametrize(("family", "name"), [(f, n) for f, r in REGISTRIES.items() for n in r])
def test_every_registered_method_is_documented(family: str, name: str) -> None:
    assert f"**`{name}`**" in text()


def test_stages_are_documented_in_pipeline_order() -> None:
    positions = [text().index(f"**{stage}**") for stage in STAGES]
    assert positions == sorted(positions)


def test_stage_functions_exist_with_the_documented_names() -> None:
    from cityindex.engine import screen, stages

    assert callable(screen.screen)
    for stage in STAGES[1:]:
        assert callable(getattr(stages, stage)), stage


def test_tie_and_zero_rules_have_their_sections() -> None:
    assert "**All cities tie.**" in text() and "**Zero rule.**" in text()


def test_benchmark_figures_are_filled_in() -> None:
    assert "benchmarks/bench_score.py" in text()
    assert not re.search(r"BENCH_[A-Z_]+", text()), "quote the measured medians"


def test_the_worked_example_tables_are_current() -> None:
    import pandas as pd

    from cityindex.engine import score
    from cityindex.methodology import load_methodology
    from cityindex.paths import METHODOLOGY_DIR

    cases = Path(__file__).resolve().parents[1] / "data" / "engine"
    data = pd.read_csv(cases / "example_data.csv", dtype={"city": str}, comment="#")
    register = pd.read_csv(cases / "example_register.csv", dtype={"ags": str}, comment="#").set_index("ags")
    result = score(load_methodology(METHODOLOGY_DIR / "example.yaml"), data, cities=register)
    assert result.rounded(result.indicators).to_string() in text()
    assert result.to_long(rounded=True).to_string(index=False) in text()
