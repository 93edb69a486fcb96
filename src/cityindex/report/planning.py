"""Wording of what-if answers, levers and plans, in German (default) and English.

Shared by the CLI, the website and the city report, so all three say the same thing. Every
sentence is built from the numbers of a ``WhatIf``, ``Levers`` or ``PlanResult``; nothing is
estimated here.
"""

from __future__ import annotations

from cityindex.report.narrative import _join, _places, fmt_number
from cityindex.rounding import DEFAULT_RULE, rule_of

NOTES = {
    "example_catalogue": {
        "de": "Beispielkatalog: Die Kosten sind erfundene Schätzwerte zur Veranschaulichung, keine Preise und keine "
              "Angaben über eine Stadt.",
        "en": "Example catalogue: the costs are made-up estimates for illustration, not prices and not facts about "
              "any city.",
    },
    "other_methodology": {
        "de": "Der Maßnahmenkatalog wurde für eine andere Methodik geschrieben; seine Parametercodes passen aber.",
        "en": "The measure catalogue was written for another methodology; its parameter codes fit, though.",
    },
    "dense_ties": {
        "de": "Diese Methodik vergibt Plätze dicht (1-2-2-3); der Plan reicht sicher, ist aber womöglich nicht der "
              "günstigste.",
        "en": "This methodology ranks densely (1-2-2-3); the plan surely suffices but may not be the cheapest.",
    },
}

WORDS = {
    "de": {"overall": "Gesamt", "rank": "Platz", "points": "Punkte", "days": "Personentage", "verified":
           "geprüft durch Neuberechnung mit score()", "none": "keine"},
    "en": {"overall": "Overall", "rank": "rank", "points": "points", "days": "person-days", "verified":
           "checked by re-scoring with score()", "none": "none"},
}


def money(value: float | None, lang: str = "de") -> str:
    """``23.000 €`` (de) / ``€23,000`` (en); unknown → ``–``."""
    if value is None:
        return "–"
    text = f"{value:,.0f}"
    return text.replace(",", ".") + " €" if lang == "de" else f"€{text}"


def amount(value: float | None, lang: str = "de") -> str:
    """A number of person-days (or any count) without needless decimals."""
    if value is None:
        return "–"
    if float(value).is_integer():
        text = f"{value:,.0f}"
        return text.replace(",", ".") if lang == "de" else text
    return fmt_number(value, lang)


def cost_text(euros: float | None, days: float | None, lang: str = "de") -> str:
    parts = [money(euros, lang)] if euros is not None else []
    if days is not None:
        parts.append(f"{amount(days, lang)} {WORDS[lang]['days']}")
    return ", ".join(parts) or "–"


def points(value: float, lang: str = "de", rounding: tuple[int, str] = DEFAULT_RULE, *, signed: bool = False) -> str:
    """A score (or a change of one) rounded by the methodology's rule (*rounding*: decimals, mode)."""
    return fmt_number(value, lang, signed=signed, digits=rounding[0], mode=rounding[1])


def signed_points(value: float, lang: str = "de", rounding: tuple[int, str] = DEFAULT_RULE) -> str:
    return points(value, lang, rounding, signed=True)


def places_text(places: int | None, lang: str = "de") -> str:
    if places is None:
        return "–"
    if places == 0:
        return "±0"
    return f"{places:+d}"


# What-if --------------------------------------------------------------------------------------


RESCALING = {
    "de": {"best": "Neuer Bestwert bei „{name}“: {after} statt {before}",
           "worst": "Neuer schlechtester Wert bei „{name}“: {after} statt {before}",
           "moved": "Die Skala von „{name}“ verschiebt sich (Bestwert {best}, schlechtester {worst})",
           "tail": " – die Punkte aller Städte in diesem Indikator werden neu skaliert ({n} andere Städte ändern sich)."},
    "en": {"best": "New best value for \"{name}\": {after} instead of {before}",
           "worst": "New worst value for \"{name}\": {after} instead of {before}",
           "moved": "The scale of \"{name}\" moves (best {best}, worst {worst})",
           "tail": " – every city's points on this indicator are rescaled ({n} other cities change)."},
}


def rescaling_sentence(r, lang: str = "de") -> str:
    """"Neuer Bestwert bei „…“: 7 statt 6 – alle Städte dieses Indikators werden neu skaliert (65 ändern sich)."""

    def num(v):
        return "–" if v is None else fmt_number(v, lang, digits=3).rstrip("0").rstrip(",.")

    texts = RESCALING[lang]
    name = r.name_de if lang == "de" else r.name_en
    if r.new_best:
        head = texts["best"].format(name=name, after=num(r.best_after), before=num(r.best_before))
    elif r.new_worst:
        head = texts["worst"].format(name=name, after=num(r.worst_after), before=num(r.worst_before))
    else:
        head = texts["moved"].format(name=name, best=num(r.best_after), worst=num(r.worst_after))
    return head + texts["tail"].format(n=r.others_changed)


def passed_sentence(w, lang: str = "de", *, shown: int = 8) -> str:
    """Who the city passes and who passes it."""
    out = []
    for group, de, en in ((w.passed, "überholt", "passes"), (w.passed_by, "wird überholt von", "is passed by")):
        if not group:
            continue
        names = [f"{c.name} ({c.rank_before})" for c in group[:shown]]
        more = len(group) - len(names)
        if more:
            names.append((f"{more} weitere Stadt" if more == 1 else f"{more} weitere Städte") if lang == "de"
                         else f"{more} more")
        out.append(f"{w.city} {de if lang == 'de' else en} {_join(names, lang)}.")
    return " ".join(out)


def headline(w, lang: str = "de") -> str:
    o, rule = w.overall, rule_of(w.result.methodology)
    after, before = points(o.score_after, lang, rule), points(o.score_before, lang, rule)
    gain = signed_points(o.points, lang, rule)
    if lang == "de":
        return (f"{w.city}: {after} statt {before} Punkte ({gain}), "
                f"Platz {o.rank_after} statt {o.rank_before} von {w.n_ranked}.")
    return (f"{w.city}: {after} instead of {before} points ({gain}), "
            f"rank {o.rank_after} instead of {o.rank_before} of {w.n_ranked}.")


# Plans ----------------------------------------------------------------------------------------


def effect_text(measure, methodology, lang: str = "de") -> str:
    """What a measure does: "Aktives OK Lab: ja; GBFS-Feeds +1"."""
    from cityindex.analysis.scenario import display_value, parse_value

    parts = []
    for code, value in measure.sets.items():
        p = methodology.parameters.get(code)
        name = (p.name_de if lang == "de" else p.name_en) if p else code
        shown = display_value(p, parse_value(p, value), lang) if p else str(value)
        parts.append(f"{name}: {shown}")
    for code, value in measure.raises.items():
        p = methodology.parameters.get(code)
        name = (p.name_de if lang == "de" else p.name_en) if p else code
        parts.append(f"{name} {fmt_number(value, lang, signed=True, digits=3).rstrip('0').rstrip(',.')}")
    return "; ".join(parts)


def target_text(target, lang: str = "de", rounding: tuple[int, str] = DEFAULT_RULE) -> str:
    if target.kind == "rank":
        return f"Platz {int(target.value)}" if lang == "de" else f"rank {int(target.value)}"
    value = points(target.value, lang, rounding)
    return f"{value} Punkte" if lang == "de" else f"{value} points"


def standing_text(s, lang: str = "de", rounding: tuple[int, str] = DEFAULT_RULE) -> str:
    w = WORDS[lang]
    return f"{w['rank']} {s.rank} ({points(s.score, lang, rounding)} {w['points']})"


def plan_summary(result, city: str, lang: str = "de", rounding: tuple[int, str] = DEFAULT_RULE) -> list[str]:
    """The plan in a few sentences: the target, the answer, its cost and the check (caveats: note_lines);
    scores rounded by the methodology's rule (*rounding*: decimals, mode)."""
    de = lang == "de"
    target = target_text(result.target, lang, rounding)
    now = standing_text(result.before, lang, rounding)
    budget = "" if result.budget is None else (
        f" (Budget {money(result.budget, lang) if result.currency == 'euros' else amount(result.budget, lang)})")
    lines = [f"{city} – Ziel: {target}{budget}; heute {now}." if de
             else f"{city} – target: {target}{budget}; today {now}."]
    if result.status == "already_met":
        lines.append("Das Ziel ist bereits erreicht; es braucht keine Maßnahme." if de
                     else "The target is already met; no measure is needed.")
    elif result.status == "planned":
        text = _planned(result, lang, rounding)
        lines.append(text[0].upper() + text[1:])
    else:
        lines.append("Das Ziel ist mit diesem Katalog" + (" im Budget" if result.budget is not None else "") +
                     " nicht erreichbar." if de else "The target cannot be reached with this catalogue" +
                     (" within the budget." if result.budget is not None else "."))
        best = result.best
        what = target_text(best.target, lang, rounding)
        lines.append((f"Erreichbar ist höchstens {what}: " if de else f"The best reachable is {what}: ")
                     + _planned(best, lang, rounding))
        if result.without_budget is not None:
            u = result.without_budget
            lines.append((f"Ohne Budgetgrenze erreicht {city} das Ziel für {cost_text(u.cost('euros'), u.cost('person_days'), lang)}."
                          if de else f"Without the budget limit, {city} reaches the target for "
                          f"{cost_text(u.cost('euros'), u.cost('person_days'), lang)}."))
    return lines


def note_lines(result, lang: str = "de") -> list[str]:
    """The caveats of a plan (example catalogue, dense ranks …), one line each."""
    return [NOTES[n][lang] for n in result.notes if n in NOTES]


def _planned(result, lang: str, rounding: tuple[int, str]) -> str:
    n = len(result.measures)
    cost = cost_text(result.cost("euros"), result.cost("person_days"), lang)
    after = standing_text(result.after, lang, rounding)
    if lang == "de":
        count = f"{n} Maßnahme" if n == 1 else f"{n} Maßnahmen"
        return f"günstigster Plan mit {count} für {cost} → {after}; {WORDS['de']['verified']}."
    count = f"{n} measure" if n == 1 else f"{n} measures"
    return f"cheapest plan with {count} for {cost} → {after}; {WORDS['en']['verified']}."


def lever_line(lever, lang: str = "de", rounding: tuple[int, str] = DEFAULT_RULE) -> str:
    """"GBFS-Feeds: 1 → 6 (bester Wert): +16,7 Punkte, 14 Plätze" for the biggest target."""
    best = max(lever.targets, key=lambda t: t.points)
    places = _places(best.places, lang) if best.places >= 0 else places_text(best.places, lang)
    return (f"{lever.name(lang)}: {lever.current_text[lang]} → {best.value_text[lang]} ({best.label(lang)}): "
            f"{signed_points(best.points, lang, rounding)} {WORDS[lang]['points']}, {places}")
