"""diff-method: what changed between two methodologies."""

from cityindex.connectors.open_pilot import methodology_path
from cityindex.methodology import load_methodology
from cityindex.series import diff_methodologies
from cityindex.series.build import methodology_path as series_path


def test_version_2_adds_nine_parameters_and_changes_the_missing_rule_and_yes_no_scaling():
    v1 = load_methodology(methodology_path().parent / "previous" / "open-2026-v1.yaml")
    v2 = load_methodology(methodology_path())
    diff = diff_methodologies(v1, v2)
    assert set(diff.added) == set(v2.parameters) - set(v1.parameters) and len(diff.added) == 9
    assert diff.removed == ()
    changes = {(c.level, c.code, c.field): (c.before, c.after) for c in diff.changes}
    assert changes[("rules", "", "missing")] == ("zero", "skip_and_reweight")
    assert ("indicator", "freifunk", "normalisation") in changes  # yes/no indicators: share of the best


def test_series_and_open_edition_differ_only_in_the_dated_broadband_codes():
    diff = diff_methodologies(load_methodology(series_path()), load_methodology(methodology_path()))
    assert sorted(diff.added) == sorted(c + "_2021" for c in diff.removed)
    assert all(c.startswith("bba_") for c in diff.removed) and diff.changes == ()


def test_a_methodology_compared_with_itself_has_no_difference():
    m = load_methodology(methodology_path())
    assert diff_methodologies(m, m).same
