"""The ``uncertainty:`` section of a methodology: the defaults and the semantic checks.

An assumption names a choice of the methodology by an *address* and says how it may vary:
weights by ± a ``share`` (uniform, renormalised), methods and rules by a list of
``alternatives``, the bonus on or off. Without a section (or without ``assumptions``) the
defaults apply: weights of areas and of indicators ± 25 %, arithmetic versus geometric
aggregation (with offset 1, so a zero score pulls down instead of wiping out), and the edition's
normaliser versus one alternative. A default that could not change any score for this
methodology is left out; a declared assumption that cannot change anything is an error.
Reference: docs/uncertainty.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from cityindex.methodology.models import Assumption, Methodology, MethodSpec, Uncertainty

DEFAULT_SHARE = 0.25
ARITHMETIC = MethodSpec(method="arithmetic")
SOFT_GEOMETRIC = MethodSpec(method="geometric", options={"offset": 1.0})
#: The edition's normaliser → the one alternative tried by default (anything else → best_worst).
OTHER_NORMALISER = {"best_worst": "percentile_rank"}
WEIGHT_ADDRESSES = ("weights.areas", "weights.indicators")


def section_of(m: Methodology) -> Uncertainty:
    """The methodology's uncertainty section, or the defaults (10,000 runs, seed 0)."""
    return m.uncertainty or Uncertainty()


def assumptions_of(m: Methodology) -> tuple[Assumption, ...]:
    """What varies: the section's assumptions, else the defaults that can change a score."""
    section = m.uncertainty
    if section is not None and section.assumptions:
        return section.assumptions
    return default_assumptions(m)


def nominal_choice(m: Methodology, address: str) -> MethodSpec | bool:
    """The edition's own choice at a method or rule address (``bonus``: True)."""
    choices = {
        "rules.normalisation": m.rules.normalisation,
        "rules.aggregation.areas": m.rules.aggregation.areas,
        "rules.aggregation.overall": m.rules.aggregation.overall,
        "rules.missing": MethodSpec(method=m.rules.missing),
        "bonus": True,
    }
    return choices[address]


def default_assumptions(m: Methodology) -> tuple[Assumption, ...]:
    """The default assumptions for ``m``, without those that cannot change any score."""
    normaliser = m.rules.normalisation
    other = MethodSpec(method=OTHER_NORMALISER.get(normaliser.method, "best_worst"))
    candidates = [Assumption(address=a, share=DEFAULT_SHARE) for a in WEIGHT_ADDRESSES]
    for address in ("rules.aggregation.areas", "rules.aggregation.overall"):
        own = nominal_choice(m, address)
        alternative = SOFT_GEOMETRIC if own.method == "arithmetic" else ARITHMETIC
        candidates.append(Assumption(address=address, alternatives=(own, alternative)))
    candidates.append(Assumption(address="rules.normalisation", alternatives=(normaliser, other)))
    return tuple(a for a in candidates if idle_reason(m, a.address) is None)


# Which assumptions can change a score -----------------------------------------------------------


def _weighted(items) -> int:
    return sum(1 for item in items if item.weight > 0)


def idle_reason(m: Methodology, address: str) -> str | None:
    """Why varying ``address`` cannot change any score of ``m`` (None when it can)."""
    scored = [i for a in m.areas for i in a.scored_indicators]
    if address in ("weights.areas", "rules.aggregation.overall"):
        return None if _weighted(m.areas) >= 2 else "the overall score has only one weighted area"
    if address == "weights.indicators":
        many = any(_weighted(a.scored_indicators) >= 2 for a in m.areas)
        return None if many else "no area has two or more weighted indicators"
    if address == "rules.normalisation":
        own = [i for i in scored if i.normalisation is None]
        return None if own else "every indicator sets its own normalisation"
    if address == "rules.aggregation.areas":
        own = [a for a in m.areas if a.aggregation is None and _weighted(a.scored_indicators) >= 2]
        return None if own else "no area without its own aggregation has two or more weighted indicators"
    if address == "rules.missing":
        own = [i for i in scored if i.missing is None]
        return None if own else "every indicator sets its own missing-data rule"
    assert address == "bonus"
    return None if any(a.bonus and a.bonus.cap > 0 for a in m.areas) else "no area has a bonus"


# Semantic checks of a declared section ----------------------------------------------------------


def uncertainty_problems(m: Methodology) -> list:
    """Problems of a declared ``uncertainty:`` section (an empty list without one)."""
    from cityindex.methodology.checks import MethodologyProblem

    section = m.uncertainty
    if section is None or not section.assumptions:
        return []
    problems, seen = [], set()
    for k, a in enumerate(section.assumptions):
        where = f"uncertainty assumption `{a.address}`: "
        messages = list(_assumption_messages(m, a))
        if a.address in seen:
            messages.insert(0, "is declared twice; declare each address once")
        seen.add(a.address)
        problems += [MethodologyProblem(a.address, where + msg, f"uncertainty.assumptions[{k}]") for msg in messages]
    return problems


def _assumption_messages(m: Methodology, a: Assumption) -> Iterator[str]:
    if a.address in WEIGHT_ADDRESSES:
        if a.share is None:
            yield "needs `share` (weights vary uniformly by ± share, e.g. 0.25)"
        if a.alternatives is not None:
            yield "weights take a `share`, not `alternatives`"
    else:
        if a.share is not None:
            yield "`share` only applies to weights; list `alternatives` instead"
        if a.alternatives is None:
            yield "needs `alternatives` (at least two, the edition's own choice among them)"
        else:
            yield from _alternative_messages(m, a)
    reason = idle_reason(m, a.address)
    if reason:
        yield f"changes nothing: {reason}"


def _alternative_messages(m: Methodology, a: Assumption) -> Iterator[str]:
    alternatives = list(a.alternatives or ())
    if a.address == "bonus":
        if sorted(alternatives, key=str) != [False, True]:
            yield "alternatives must be [true, false] (bonus on and off)"
        return
    if any(isinstance(x, bool) for x in alternatives):
        yield "alternatives must be method names, not true/false"
        return
    yield from _method_messages(a.address, alternatives)
    if len({x.model_dump_json() for x in alternatives}) < len(alternatives):
        yield "lists the same alternative twice"
    own = nominal_choice(m, a.address)
    if len(alternatives) < 2:
        yield "needs at least two alternatives"
    if own not in alternatives:
        yield f"alternatives must include the edition's own choice `{_text(own)}`"


def _method_messages(address: str, alternatives: list[MethodSpec]) -> Iterator[str]:
    from cityindex.methodology.checks import _method_problems, _rule_problems

    for spec in alternatives:
        if address == "rules.missing":
            if spec.options:
                yield f"missing-data rule `{spec.method}` takes no options"
            found = _rule_problems("missing", spec.method, "", address)
        else:
            family = "normaliser" if address == "rules.normalisation" else "aggregator"
            found = _method_problems(family, spec, "", address)
        yield from (p.message for p in found)


def _text(choice: MethodSpec | bool) -> str:
    if isinstance(choice, bool):
        return "true" if choice else "false"
    options = ", ".join(f"{k}: {v:g}" for k, v in choice.options.items())
    return f"{{method: {choice.method}, {options}}}" if options else choice.method
