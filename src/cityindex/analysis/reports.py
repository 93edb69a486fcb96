"""Rank uncertainty and the statistical audit of an edition in the store, and publishing with both.

    uncertainty_of_edition(store, "open-2026", runs=10_000)   # UncertaintyResult
    stats_audit_of_edition(store, "2026")                      # AuditReport (the stored one once published)
    publish_with_reports(store, "2026")                        # publish + store both reports, one transaction

A published Bitkom edition (2019–2025) has only its published ranks and scores, no data points:
neither an interval nor an audit can be computed for it (``NoDataPoints``).
"""

from __future__ import annotations

from cityindex.errors import CityIndexError


class NoDataPoints(CityIndexError):
    """The edition has no data points, so its ranks cannot be varied or audited."""


def _check_edition(store, key: str) -> None:
    """A stored edition; the open pilot is built on first use (setting ``open_pilot``); a
    published Bitkom edition gets a clear NoDataPoints."""
    from cityindex.connectors.open_pilot import EDITION_KEY, build_open_pilot
    from cityindex.published import EDITION_SIZES
    from cityindex.settings import get_settings
    from cityindex.store.editions import edition_info, find_row

    with store.sessions() as session:
        stored = find_row(session, key) is not None
    if not stored and key.isdigit() and int(key) in EDITION_SIZES:
        raise NoDataPoints(f"Edition {key} is a published Bitkom edition: only its published ranks and scores are "
                           "known, no data points, so no rank interval and no statistical audit can be computed.")
    if key == EDITION_KEY and get_settings().open_pilot:  # built on first use, or after an interrupted build
        info = edition_info(store, key) if stored else None
        if info is None or (info.computed_at is None and not info.locked):
            build_open_pilot(store)


def uncertainty_of_edition(store, key: str, **options):
    """``run_uncertainty`` on the edition's stored data points with its methodology."""
    from cityindex.analysis.uncertainty import run_uncertainty
    from cityindex.store import edition_methodology, get_datapoints

    _check_edition(store, key)
    data = get_datapoints(store, edition=key)
    if data.empty:
        raise NoDataPoints(f"Edition {key!r} has no data points yet; import some with "
                           f"`cityindex import FILE --edition {key}`.")
    return run_uncertainty(edition_methodology(store, key), data, **options)


def stats_audit_of_edition(store, key: str):
    """The statistical audit of the edition's latest Result (stored with it once published)."""
    from cityindex.analysis.stats_audit import AuditReport, stats_audit
    from cityindex.store import load_result
    from cityindex.store.reports import load_report

    _check_edition(store, key)
    stored = load_report(store, edition=key, kind="stats-audit")
    return AuditReport.from_dict(stored) if stored else stats_audit(load_result(store, key))


def uncertainty_report(store, key: str) -> dict:
    """The rank uncertainty as a JSON-ready dict: stored with a published edition, else computed
    with the methodology's runs and seed (``{"computed": False, "reason": …}`` when it cannot run)."""
    from cityindex.analysis.uncertainty import UncertaintyError
    from cityindex.store.reports import load_report

    _check_edition(store, key)
    stored = load_report(store, edition=key, kind="uncertainty")
    if stored is not None:
        return stored
    try:
        return uncertainty_of_edition(store, key).to_dict()
    except UncertaintyError as exc:  # e.g. nothing in the methodology can vary: say why
        return {"computed": False, "reason": str(exc)}


def edition_reports(store, key: str) -> tuple[dict, str]:
    """Both reports of the edition's latest Result (uncertainty with the methodology's runs and
    seed) as JSON-ready dicts, and the input hash they were computed from."""
    from cityindex.analysis.stats_audit import stats_audit
    from cityindex.store import load_result

    result = load_result(store, key)
    return {"stats-audit": stats_audit(result).to_dict(), "uncertainty": uncertainty_report(store, key)}, \
        result.input_hash


def publish_with_reports(store, key: str):
    """Publish a frozen, computed edition and store its audit and rank uncertainty with its Result.

    The reports are computed first; publishing and storing them is one transaction, so a failure
    (or Ctrl-C) leaves the edition frozen and nothing written."""
    from cityindex.store import publish_edition

    reports, input_hash = edition_reports(store, key)
    return publish_edition(store, key, reports=reports, input_hash=input_hash)
