"""Docs cannot drift: the CLI reference is generated from --help and must be current."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generator()


def test_cli_reference_is_current():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == gen.render(), "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


@pytest.mark.parametrize("path", gen.command_paths(), ids=lambda p: " ".join(p))
def test_every_command_and_group_is_in_the_reference(path):
    assert f"## cityindex {' '.join(path)}\n" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", gen.leaf_paths(), ids=lambda p: " ".join(p))
def test_every_command_help_has_an_example(path):
    text = gen.help_text(path)
    assert "Example:" in text, f"`cityindex {' '.join(path)} --help` has no Example: block"


def test_core_commands_are_registered():
    names = {p[0] for p in gen.command_paths()}
    assert {"cities", "ranking", "city", "validate", "score"} <= names
