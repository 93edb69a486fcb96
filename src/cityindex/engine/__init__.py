"""The scoring engine: pure stages, named-method registries, ``score()`` and ``Result``.

    from cityindex.engine import score
    result = score(methodology, data)          # data: long frame city, parameter, value
    result.overall, result.ranks, result.to_long()
"""

from cityindex.engine.aggregators import AGGREGATORS
from cityindex.engine.missing import MISSING_RULES
from cityindex.engine.normalisers import NORMALISERS
from cityindex.engine.result import Result
from cityindex.engine.score import score
from cityindex.engine.screen import ScoringError
from cityindex.engine.ties import TIE_RULES

REGISTRIES = {"normaliser": NORMALISERS, "aggregator": AGGREGATORS, "missing": MISSING_RULES, "ties": TIE_RULES}

__all__ = ["AGGREGATORS", "MISSING_RULES", "NORMALISERS", "REGISTRIES", "Result", "ScoringError", "TIE_RULES", "score"]
