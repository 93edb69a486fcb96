"""Texts of the review round in German (default) and English: problems, states, actions, mails.

The website's page labels live in ``cityindex.web.i18n``; these are the texts the review
library produces itself (shared by the CLI, the website, the mails and the receipt). A test
checks that both languages carry the same keys.
"""

from __future__ import annotations

import datetime as dt

PROBLEMS: dict[str, dict[str, str]] = {
    "de": {
        "version-conflict": "Jemand hat diesen Eintrag oder Wert inzwischen geändert. Bitte laden Sie die Seite "
                            "neu und prüfen Sie ihn noch einmal.",
        "unknown-parameter": "„{value}“ ist kein Parameter dieser Ausgabe.",
        "unknown-kind": "Bitte wählen Sie „bestätigen“ oder „korrigieren“.",
        "text-too-long": "Der Text ist zu lang (höchstens {limit} Zeichen).",
        "nothing-to-confirm": "Zu diesem Parameter liegt kein Wert vor; schlagen Sie einen Wert vor.",
        "empty-value": "Bitte geben Sie den richtigen Wert an.",
        "not-a-number": "„{value}“ ist keine Zahl.",
        "ambiguous-number": "„{value}“ ist nicht eindeutig; schreiben Sie Zahlen ohne Tausenderpunkt und mit "
                            "Dezimalkomma, z. B. 1234,5.",
        "out-of-range": "{value} liegt außerhalb des plausiblen Bereichs {low} bis {high}.",
        "answer-not-allowed": "„{value}“ ist keine erlaubte Antwort; möglich sind: {allowed}.",
        "formula-text": "Ein Wert darf nicht mit = beginnen.",
        "invalid-value": "„{value}“ ist kein gültiger Wert.",
        "same-value": "Der vorgeschlagene Wert ist der bisherige; wählen Sie „bestätigen“.",
        "bad-url": "Der Nachweis-Link muss eine Webadresse sein, die mit https:// oder http:// beginnt.",
        "unknown-upload": "Die Datei gibt es nicht (mehr); bitte laden Sie sie erneut hoch.",
        "evidence-missing": "Eine Korrektur braucht einen Nachweis: einen Link oder eine Datei.",
        "nothing-submitted": "Bitte bestätigen oder korrigieren Sie mindestens einen Wert, bevor Sie die "
                             "Prüfung abschließen.",
        "answer-missing": "Bitte schreiben Sie eine Antwort.",
        "reason-missing": "Bitte geben Sie eine Begründung an.",
        "duplicate-entry": "Dieser Parameter kommt in der Anfrage mehrfach vor.",
        "already-submitted": "Die Prüfung ist abgeschlossen; Sie können nur noch Rückfragen beantworten.",
        "campaign-closed": "Die Prüfrunde ist beendet; Änderungen sind nicht mehr möglich.",
        "not-decidable": "Dieser Eintrag lässt das in seinem jetzigen Stand nicht zu.",
        "changed-since-review": "Der Wert wurde nach der Prüfung geändert; fragen Sie nach oder lehnen Sie ab.",
        "unknown-item": "Diesen Eintrag gibt es hier nicht.",
        "no-campaign": "Für diese Ausgabe gibt es keine Prüfrunde.",
        "invalid-entry": "Die Angabe ist nicht vollständig oder nicht gültig.",
        "too-large": "Die Datei ist {size} groß; erlaubt sind höchstens {limit}.",
        "empty-file": "Die Datei ist leer.",
        "wrong-type": "Die Datei ist {found}; erlaubt sind nur PDF, PNG und JPEG.",
        "damaged-file": "Die Datei ist beschädigt oder unvollständig ({detail}).",
    },
    "en": {
        "version-conflict": "Someone changed this entry or value meanwhile. Please reload the page and check it "
                            "again.",
        "unknown-parameter": "“{value}” is not a parameter of this edition.",
        "unknown-kind": "Please choose “confirm” or “correct”.",
        "text-too-long": "The text is too long (at most {limit} characters).",
        "nothing-to-confirm": "There is no value for this parameter; propose one.",
        "empty-value": "Please give the correct value.",
        "not-a-number": "“{value}” is not a number.",
        "ambiguous-number": "“{value}” is ambiguous; write numbers without thousands separators and with a "
                            "decimal point, e.g. 1234.5.",
        "out-of-range": "{value} is outside the plausible range {low} to {high}.",
        "answer-not-allowed": "“{value}” is not an allowed answer; possible: {allowed}.",
        "formula-text": "A value must not start with =.",
        "invalid-value": "“{value}” is not a valid value.",
        "same-value": "The proposed value is the current one; choose “confirm”.",
        "bad-url": "The evidence link must be a web address starting with https:// or http://.",
        "unknown-upload": "That file does not exist (any more); please upload it again.",
        "evidence-missing": "A correction needs evidence: a link or a file.",
        "nothing-submitted": "Please confirm or correct at least one value before submitting the review.",
        "answer-missing": "Please write an answer.",
        "reason-missing": "Please give a reason.",
        "duplicate-entry": "This parameter appears more than once in the request.",
        "already-submitted": "The review is submitted; you can only answer the team's questions now.",
        "campaign-closed": "The review round has ended; no more changes are possible.",
        "not-decidable": "This entry does not allow that in its present state.",
        "changed-since-review": "The value changed after the review; ask back or reject.",
        "unknown-item": "There is no such entry here.",
        "no-campaign": "This edition has no review round.",
        "invalid-entry": "The entry is not complete or not valid.",
        "too-large": "The file is {size}; at most {limit} are allowed.",
        "empty-file": "The file is empty.",
        "wrong-type": "The file is {found}; only PDF, PNG and JPEG are allowed.",
        "damaged-file": "The file is damaged or incomplete ({detail}).",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "de": {
        # item states (with the derived "changed since review")
        "state_draft": "gespeichert", "state_open": "offen", "state_accepted": "übernommen",
        "state_rejected": "abgelehnt", "state_asked": "Rückfrage", "state_changed": "seit Prüfung geändert",
        "kind_confirm": "bestätigt", "kind_correct": "Korrektur",
        # city states of the status board
        "city_not_started": "nicht begonnen", "city_in_progress": "in Bearbeitung",
        "city_submitted": "abgeschlossen", "city_decided": "entschieden",
        # log actions
        "action_opened": "Prüfung eröffnet", "action_invited": "eingeladen", "action_reminded": "erinnert",
        "action_confirmed": "bestätigt", "action_proposed": "Korrektur vorgeschlagen",
        "action_submitted": "Prüfung abgeschlossen", "action_accepted": "übernommen",
        "action_rejected": "abgelehnt", "action_asked": "Rückfrage", "action_answered": "beantwortet",
        "action_uploaded": "Datei hochgeladen", "action_closed": "Prüfung beendet",
        "action_freeze_forced": "trotz offener Vorschläge eingefroren",
        # the receipt
        "receipt_title": "Prüfbeleg", "receipt_intro": "Beleg über die Datenprüfung der Stadt {city} für die "
                                                       "Ausgabe „{edition}“.",
        "receipt_submitted": "Abgeschlossen am {at} von {by}.", "receipt_not_submitted": "Noch nicht abgeschlossen.",
        "receipt_printed": "Erstellt am {at}.", "parameter": "Parameter", "old_value": "bisheriger Wert",
        "new_value": "Angabe der Stadt", "evidence": "Nachweis", "decision": "Entscheidung", "reason": "Begründung",
        "comment": "Kommentar", "area": "Bereich", "indicator": "Indikator", "no_entries": "Keine Einträge.",
        "summary": "{confirmed} bestätigt, {corrected} Korrekturen ({accepted} übernommen, {rejected} abgelehnt, "
                   "{pending} offen).",
        "file": "Datei", "yes": "ja", "no": "nein", "higher": "höher", "lower": "niedriger",
        "checked_public": "{reviewed} von {n} Städten haben ihre Daten vor der Veröffentlichung geprüft.",
    },
    "en": {
        "state_draft": "saved", "state_open": "open", "state_accepted": "accepted",
        "state_rejected": "rejected", "state_asked": "asked back", "state_changed": "changed since review",
        "kind_confirm": "confirmed", "kind_correct": "correction",
        "city_not_started": "not started", "city_in_progress": "in progress",
        "city_submitted": "submitted", "city_decided": "decided",
        "action_opened": "review opened", "action_invited": "invited", "action_reminded": "reminded",
        "action_confirmed": "confirmed", "action_proposed": "correction proposed",
        "action_submitted": "review submitted", "action_accepted": "accepted",
        "action_rejected": "rejected", "action_asked": "asked back", "action_answered": "answered",
        "action_uploaded": "file uploaded", "action_closed": "review closed",
        "action_freeze_forced": "frozen with open proposals",
        "receipt_title": "Review receipt", "receipt_intro": "Receipt of the data review by {city} for the "
                                                           "edition “{edition}”.",
        "receipt_submitted": "Submitted on {at} by {by}.", "receipt_not_submitted": "Not submitted yet.",
        "receipt_printed": "Printed on {at}.", "parameter": "Parameter", "old_value": "previous value",
        "new_value": "city's statement", "evidence": "Evidence", "decision": "Decision", "reason": "Reason",
        "comment": "Comment", "area": "Area", "indicator": "Indicator", "no_entries": "No entries.",
        "summary": "{confirmed} confirmed, {corrected} corrections ({accepted} accepted, {rejected} rejected, "
                   "{pending} open).",
        "file": "File", "yes": "yes", "no": "no", "higher": "higher", "lower": "lower",
        "checked_public": "{reviewed} of {n} cities checked their data before publication.",
    },
}

SCORING: dict[str, dict[str, str]] = {
    "de": {
        "context": "Nur zur Information; nicht gewertet.",
        "bonus": "Bonuspunkte im Bereich „{where}“.",
        "binary": "„ja“ gibt {points} Punkt(e) im Indikator „{where}“.",
        "points": "Punkte im Indikator „{where}“: {answers}.",
        "numeric": "Zahl; {better} ist besser. Im Indikator „{where}“ auf 0–100 skaliert, relativ zu den anderen "
                   "Städten.",
    },
    "en": {
        "context": "For information only; not scored.",
        "bonus": "Bonus points in the area “{where}”.",
        "binary": "“yes” gives {points} point(s) in the indicator “{where}”.",
        "points": "Points in the indicator “{where}”: {answers}.",
        "numeric": "Number; {better} is better. Scaled 0–100 in the indicator “{where}”, relative to the other "
                   "cities.",
    },
}

MONTHS = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _lang(lang: str | None) -> str:
    return "en" if lang == "en" else "de"


def problem_text(code: str, details: dict, lang: str = "de") -> str:
    """The sentence for a problem code, in German or English."""
    texts = PROBLEMS[_lang(lang)]
    return texts.get(code, texts["invalid-value"]).format_map(_Keep(details))


def label(key: str, lang: str = "de", **values) -> str:
    text = LABELS[_lang(lang)][key]
    return text.format_map(_Keep(values)) if values else text


def action_label(action: str, lang: str = "de") -> str:
    """A review log action (``freeze-forced`` …) in words."""
    return LABELS[_lang(lang)].get("action_" + action.replace("-", "_"), action)


def long_date(day: dt.date, lang: str = "de") -> str:
    """``15. Mai 2026`` / ``15 May 2026``."""
    month = MONTHS[_lang(lang)][day.month - 1]
    return f"{day.day}. {month} {day.year}" if _lang(lang) == "de" else f"{day.day} {month} {day.year}"


def size_text(size: int, lang: str = "de") -> str:
    """A file size for people: ``10 MB``, ``10,5 MB``."""
    text = f"{size / 1_000_000:.1f}".removesuffix(".0")
    return (text.replace(".", ",") if _lang(lang) == "de" else text) + " MB"
