"""Display texts for the value and source behind every number of a computed edition.

Shared by the CLI and the website so both say the same thing: an unknown value is "in
diesem Datensatz nicht veröffentlicht" / "not published in this data set", a context-only
parameter is marked as not scored, and a binary "nein" means "not in that register".
"""

from __future__ import annotations

from decimal import Decimal

from cityindex.report.narrative import NOT_PUBLISHED, fmt_number

VALUE_LABELS = {
    "de": {"title": "Werte und Quellen", "parameter": "Parameter", "value": "Wert", "unit": "Einheit",
           "source": "Quelle", "date": "Stand", "licence": "Lizenz", "url": "URL", "note": "Hinweis",
           "context": "Kontext, nicht gewertet", "yes": "ja", "no": "nein",
           "no_means": "„nein“ heißt: in der genannten Quelle nicht verzeichnet – nicht: in der Stadt nicht vorhanden.",
           "notes_hint": "Hinweise zu den einzelnen Werten: --notes"},
    "en": {"title": "Values and sources", "parameter": "Parameter", "value": "Value", "unit": "Unit",
           "source": "Source", "date": "As of", "licence": "Licence", "url": "URL", "note": "Note",
           "context": "context, not scored", "yes": "yes", "no": "no",
           "no_means": "\"no\" means: not listed in the named source, not that the city lacks it.",
           "notes_hint": "Notes on the single values: --notes"},
}


def _number(value: float, lang: str) -> str:
    """Up to three decimals; a value below 0.0005 keeps three significant digits (never "0,0")."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.3f}".rstrip("0")
    if float(text) == 0:
        text = format(Decimal(f"{value:.3g}"), "f")
    digits = len(text.split(".")[1]) if "." in text else 0
    return fmt_number(float(value), lang, digits=max(digits, 1))


#: German names of the units the connectors write (units are stored in English with each data point).
UNIT_NAMES_DE = {
    "charging points": "Ladepunkte",
    "charging points per 1,000 inhabitants": "Ladepunkte je 1.000 Einwohner",
    "feeds": "Feeds",
    "stations": "Stationen",
    "nodes": "Knoten",
    "publishers": "Herausgeber",
    "inhabitants": "Einwohner",
    "hours per year": "Stunden pro Jahr",
    "devices": "Ladeeinrichtungen",
    "% of households": "% der Haushalte",
    "% (business locations)": "% (gewerbliche Standorte)",
    "% of residential area": "% der Wohnbaufläche",
    "per 1000 inhabitants": "je 1.000 Einwohner",
}


def unit_text(unit: str | None, lang: str = "de") -> str:
    """A unit in *lang*: German names for the known units, any other unit as it is stored."""
    if not unit:
        return ""
    return UNIT_NAMES_DE.get(unit, unit) if lang == "de" else unit


def value_text(row: dict, lang: str = "de") -> str:
    """The value of one ``city_values`` row as shown: ja/nein, a number, an answer or "not published"."""
    value = row.get("value")
    if value is None:
        return NOT_PUBLISHED[lang]
    labels = VALUE_LABELS[lang]
    if row.get("kind") == "binary" and isinstance(value, (int, float)):
        return labels["yes"] if value else labels["no"]
    if isinstance(value, (int, float)):
        return _number(value, lang)
    return str(value)


def parameter_text(row: dict, lang: str = "de") -> str:
    """The parameter's name in *lang*, with "(Kontext, nicht gewertet)" for context-only ones."""
    name = row["name_de"] if lang == "de" else row["name_en"]
    return f"{name} ({VALUE_LABELS[lang]['context']})" if row.get("context_only") else name


def has_binary(values: list[dict]) -> bool:
    """True when some value is a binary register fact (then the "no" legend applies)."""
    return any(row.get("kind") == "binary" for row in values)
