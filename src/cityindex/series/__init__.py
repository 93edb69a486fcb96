"""The open series: yearly editions ``open-2019`` … ``open-2026`` from dated source versions, rank
changes as computed and comparable, re-scoring under another methodology, methodology diffs, movers.

    from cityindex.series import build_series, comparable, rescore
    build_series(store)                       # open-2019 … open-2025 + open-2026 into the store

See docs/series.md.
"""

from cityindex.series.build import build_series, series_key, series_year
from cityindex.series.diff import MethodDiff, diff_methodologies
from cityindex.series.movers import Movers, edition_movers, movers
from cityindex.series.rescore import Comparable, Rescored, comparable, rescore, rescore_edition, restrict

__all__ = ["Comparable", "MethodDiff", "Movers", "Rescored", "build_series", "comparable", "diff_methodologies",
           "edition_movers", "movers", "rescore", "rescore_edition", "restrict", "series_key", "series_year"]
