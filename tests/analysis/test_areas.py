"""Area contributions with known and assumed weights (fictional units 99…, synthetic scores)."""

import pandas as pd
import pytest

from cityindex.analysis.areas import contributions
from cityindex.editions import ROW_COLUMNS, EditionView

SCOPES = {s: {"de": s, "en": s} for s in ("overall", "verwaltung", "mobilitaet")}


def _view(key, scores, weights=None, previous=None):
    rows = pd.DataFrame([{"ags": "99000001", "city": "Fiktiv", "scope": scope, "rank": 1, "score": score,
                          "rank_change": None, "source": "synthetic"} for scope, score in scores.items()])
    return EditionView(key=key, title=key, series="test", year=2030, kind="computed", n_cities=1,
                       previous=previous, scopes=SCOPES, rows=rows[ROW_COLUMNS], area_weights=weights)


def test_methodology_weights_are_used_when_known():
    before = _view("a", {"verwaltung": 70.0, "mobilitaet": 60.0})
    now = _view("b", {"verwaltung": 80.0, "mobilitaet": 60.0}, weights={"verwaltung": 0.75, "mobilitaet": 0.25})
    by_scope = {c.scope: c for c in contributions(now, before, "99000001")}
    assert by_scope["verwaltung"].contribution == pytest.approx(7.5)
    assert by_scope["mobilitaet"].contribution == 0
    assert not by_scope["verwaltung"].weights_assumed


def test_equal_weights_are_assumed_and_marked_when_unknown():
    before = _view("a", {"verwaltung": 70.0})
    now = _view("b", {"verwaltung": 80.0, "mobilitaet": 50.0})
    (only,) = contributions(now, before, "99000001")  # mobilitaet lacks a previous score
    assert only.scope == "verwaltung" and only.contribution == pytest.approx(5.0)
    assert only.weights_assumed and only.weight == 0.5
    assert contributions(now, None, "99000001") == []
