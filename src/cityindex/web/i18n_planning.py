"""Interface texts of the planning sections (what-if, levers, peer learning, city report).

Merged into ``cityindex.web.i18n.TEXTS`` (one table for the whole site; a test checks that
both languages carry the same keys). Kept in its own module so the two files change apart.
"""

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "yes": "ja",
        "no": "nein",
        "whatif_title": "Was wäre, wenn …?",
        "whatif_intro": "Ändern Sie Werte von {city} und sehen Sie, wie sich Punkte und Plätze ändern. Alle anderen "
                        "Städte behalten ihre Werte; jede Antwort ist eine Neuberechnung der ganzen Ausgabe.",
        "whatif_submit": "Neu berechnen",
        "whatif_now": "heute: {value}",
        "whatif_result": "Ergebnis der Neuberechnung",
        "whatif_changes": "Geänderte Werte",
        "whatif_before": "bisher",
        "whatif_after": "neu",
        "whatif_places": "Plätze",
        "whatif_no_change": "Keine Änderung: Alle Werte entsprechen den heutigen. Ändern Sie unten einen Wert.",
        "whatif_err_number": "„{value}“ ist keine Zahl.",
        "whatif_err_yesno": "„{value}“ ist keine Ja/Nein-Antwort.",
        "whatif_err_answer": "„{value}“ ist keine der möglichen Antworten.",
        "whatif_err_min": "{value} ist kleiner als der kleinste gültige Wert {limit}.",
        "whatif_err_max": "{value} ist größer als der größte gültige Wert {limit}.",
        "whatif_err_unknown": "Einen Parameter „{value}“ gibt es in dieser Ausgabe nicht.",
        "whatif_errors": "Bitte korrigieren Sie die Eingabe",
        "whatif_not_computed": "Die Ausgabe {name} ist veröffentlicht und hat nur Plätze und Punkte, keine Parameter. "
                               "Was-wäre-wenn braucht eine berechnete Ausgabe wie open-2026.",
        "whatif_back": "Zurück zu {city}",
        "whatif_open": "Werte ändern und neu berechnen",
        "levers_title": "Größte Hebel",
        "levers_intro": "Was der nächste Wert, der Median vergleichbarer Städte oder der beste Wert der Ausgabe "
                        "brächte – jeweils neu berechnet; die übrigen Städte behalten ihre Werte.",
        "levers_target": "Ziel",
        "levers_gain": "Punkte",
        "levers_rank_after": "Platz danach",
        "levers_now": "heute",
        "levers_none": "Keine Hebel: {city} hat bei allen Parametern schon den besten Vergleichswert.",
        "learning_title": "Von vergleichbaren Städten lernen",
        "learning_intro": "Was {city} in diesem Datensatz fehlt und Städte mit gleichem Land, gleicher Größenklasse "
                          "oder gleicher Region haben – mit Quelle.",
        "learning_none": "Keine Lücke, die vergleichbare Städte schließen.",
        "learning_more": "und {n} weitere",
        "report_title": "Bericht für den Rat",
        "report_intro": "Ein druckfertiger Bericht von wenigen Seiten: Platzierung, Bereiche im Vergleich, Hebel, "
                        "Vorbilder und alle Werte mit Quellen.",
        "report_html": "Bericht als HTML",
        "report_pdf": "Bericht als PDF",
        "report_json": "Inhalt als JSON",
    },
    "en": {
        "yes": "yes",
        "no": "no",
        "whatif_title": "What if …?",
        "whatif_intro": "Change values of {city} and see how the score and rank change. Every other city keeps its "
                        "values; each answer re-scores the whole edition.",
        "whatif_submit": "Re-score",
        "whatif_now": "now: {value}",
        "whatif_result": "Result of the re-score",
        "whatif_changes": "Changed values",
        "whatif_before": "before",
        "whatif_after": "after",
        "whatif_places": "Ranks",
        "whatif_no_change": "No change: every value equals the current one. Change a value below.",
        "whatif_err_number": "“{value}” is not a number.",
        "whatif_err_yesno": "“{value}” is not a yes/no answer.",
        "whatif_err_answer": "“{value}” is not one of the possible answers.",
        "whatif_err_min": "{value} is below the smallest valid value {limit}.",
        "whatif_err_max": "{value} is above the largest valid value {limit}.",
        "whatif_err_unknown": "This edition has no parameter “{value}”.",
        "whatif_errors": "Please correct the input",
        "whatif_not_computed": "The edition {name} is published and has ranks and scores only, no parameters. What-if "
                               "needs a computed edition such as open-2026.",
        "whatif_back": "Back to {city}",
        "whatif_open": "Change values and re-score",
        "levers_title": "Biggest levers",
        "levers_intro": "What the next value, the median of comparable cities or the best value of the edition would "
                        "give – each re-scored; every other city keeps its values.",
        "levers_target": "Target",
        "levers_gain": "Points",
        "levers_rank_after": "Rank after",
        "levers_now": "now",
        "levers_none": "No levers: {city} already has the best comparison value for every parameter.",
        "learning_title": "Learning from comparable cities",
        "learning_intro": "What {city} lacks in this data set and cities of the same state, size class or region "
                          "have – with the source.",
        "learning_none": "No gap that comparable cities fill.",
        "learning_more": "and {n} more",
        "report_title": "Report for the council",
        "report_intro": "A print-ready report of a few pages: ranks, areas compared, levers, examples and every value "
                        "with its source.",
        "report_html": "Report as HTML",
        "report_pdf": "Report as PDF",
        "report_json": "Content as JSON",
    },
}
