"""Interface texts in German (default) and English.

``LANGS`` lists the supported languages; ``pick_lang`` resolves the language of a request
(``?lang=`` beats the ``lang`` cookie beats German); ``translator(lang)`` returns the ``t()``
function the templates use. Every label the site shows lives in ``TEXTS``; a test checks that
both languages carry the same keys.
"""

from collections.abc import Callable, Mapping

from cityindex.rounding import round_value

LANGS = ("de", "en")
DEFAULT_LANG = "de"
COOKIE = "lang"

SCOPES = ("overall", "verwaltung", "it_kommunikation", "energie_umwelt", "mobilitaet", "gesellschaft")
AREAS = SCOPES[1:]

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "site_title": "Smart City Index",
        "site_tagline": "Digitalranking der deutschen Großstädte",
        "skip": "Zum Inhalt springen",
        "nav_home": "Start",
        "nav_ranking": "Ranking",
        "nav_map": "Karte",
        "nav_compare": "Vergleich",
        "nav_methodology": "Methodik",
        "nav_downloads": "Downloads",
        "nav_cities": "Städte",
        "nav_api": "API",
        "lang_switch": "English",
        "lang_switch_label": "Sprache wechseln",
        "edition": "Ausgabe",
        "editions": "Ausgaben",
        "edition_switch": "Ausgabe wählen",
        "show": "Anzeigen",
        "search_label": "Stadt suchen",
        "search_placeholder": "z. B. Oberhausen",
        "search_button": "Suchen",
        "search_results": "Suchergebnisse",
        "search_none": "Keine Stadt gefunden.",
        "did_you_mean": "Meinten Sie:",
        "rank": "Rang",
        "score": "Punkte",
        "city": "Stadt",
        "state": "Bundesland",
        "region": "Region",
        "size_class": "Größenklasse",
        "population": "Einwohner",
        "rank_change": "Tendenz",
        "source": "Quelle",
        "sources": "Quellen",
        "all": "alle",
        "filter": "Filtern",
        "reset": "Zurücksetzen",
        "sort_by": "Sortieren nach",
        "sort": "Sortieren",
        "of": "von",
        "points": "Punkte",
        "up": "besser",
        "down": "schlechter",
        "same": "unverändert",
        "new_entry": "neu",
        "unknown": "nicht veröffentlicht",
        "unknown_long": "nicht in diesem Datensatz veröffentlicht",
        "top": "Spitze des Rankings",
        "area_winners": "Sieger der Themenbereiche",
        "tied_count": "{n} Städte gleichauf auf Platz 1",
        "full_ranking": "Ganzes Ranking",
        "ranking_title": "Ranking",
        "known_rows": "Bekannte Zeilen",
        "published_note": (
            "Veröffentlichte Ausgabe: Es werden nur die Zahlen gezeigt, die in öffentlichen Quellen "
            "gefunden wurden. {known} von {total} Städten haben in dieser Ansicht einen Eintrag; "
            "die übrigen Werte wurden nicht veröffentlicht und werden nicht geschätzt."
        ),
        "computed_note": "Berechnete Ausgabe: vollständiges Ranking aller {total} Städte.",
        "rows_shown": "{n} Zeilen angezeigt",
        "missing_ranks": "Plätze ohne veröffentlichte Stadt",
        "map_title": "Karte",
        "map_colour": "Einfärbung",
        "colour_score": "nach Punkten",
        "colour_change": "nach Tendenz",
        "map_legend_unknown": "grau: nicht veröffentlicht",
        "map_hint": "Punkt antippen oder mit der Maus darüberfahren; Klick öffnet die Stadt.",
        "map_table": "Tabelle zur Karte",
        "city_title": "Stadtprofil",
        "history": "Verlauf über die Ausgaben",
        "history_table": "Verlauf als Tabelle",
        "areas": "Themenbereiche",
        "area": "Themenbereich",
        "median": "Median",
        "best": "Bester Wert",
        "strengths": "Stärken",
        "weaknesses": "Schwächen",
        "peers": "Vergleichsstädte",
        "peers_state": "Im selben Bundesland",
        "peers_region": "In derselben Region",
        "peers_neighbours": "Nachbarn im Ranking",
        "narrative": "Zusammenfassung",
        "downloads": "Downloads",
        "download_csv": "CSV herunterladen",
        "download_json": "JSON herunterladen",
        "download_svg": "Diagramm als SVG",
        "download_png": "Diagramm als PNG",
        "facts": "Steckbrief",
        "ags": "AGS",
        "area_km2": "Fläche (km²)",
        "compare_title": "Städte vergleichen",
        "compare_help": "Zwei bis fünf Städte wählen.",
        "compare_button": "Vergleichen",
        "compare_need": "Bitte zwei bis fünf Städte wählen.",
        "methodology_title": "Methodik",
        "weight": "Gewicht",
        "indicator": "Indikator",
        "parameter": "Parameter",
        "kind": "Art",
        "unit": "Einheit",
        "direction": "Richtung",
        "context_only": "nur Kontext, nicht bewertet",
        "kind_binary": "ja/nein",
        "kind_points": "Punkte",
        "kind_numeric": "Zahl",
        "higher_better": "höher ist besser",
        "lower_better": "niedriger ist besser",
        "downloads_title": "Offene Daten",
        "full_export": "Vollständiger Export mit Indikatoren und Datenpunkten samt Quellen",
        "file": "Datei",
        "format": "Format",
        "description": "Beschreibung",
        "licence": "Lizenz",
        "attribution": "Datenquellen und Namensnennung",
        "not_found": "Nicht gefunden",
        "not_found_text": "Diese Seite gibt es nicht.",
        "unknown_city": "Keine Stadt des Verzeichnisses heißt „{name}“.",
        "unknown_edition": "Eine Ausgabe „{name}“ gibt es nicht.",
        "unknown_scope": "Einen Themenbereich „{name}“ gibt es in dieser Ausgabe nicht.",
        "bad_filter": "Den Filterwert „{name}“ gibt es nicht; bitte einen Wert aus der Liste wählen.",
        "bad_colouring": "Eine Einfärbung „{name}“ gibt es nicht; möglich sind score, rank_change und comparable_change.",
        "compare_count": "Bitte zwei bis fünf verschiedene Städte wählen (gewählt: {name}).",
        "bad_request": "Ungültige Anfrage",
        "server_error": "Das hat leider nicht geklappt",
        "server_error_text": "Ein interner Fehler ist aufgetreten. Bitte später erneut versuchen.",
        "store_unavailable": "Die Datenbank ist gerade nicht erreichbar",
        "store_unavailable_text": "Diese Seite braucht die Datenbank, die gerade nicht erreichbar ist. Bitte später "
                                  "erneut versuchen; die veröffentlichten Bitkom-Ausgaben sind weiter abrufbar.",
        "incident": "Vorgangsnummer {id} — bitte bei Rückfragen angeben.",
        "back_home": "Zur Startseite",
        "chart": "Diagramm",
        "chart_table_hint": "Die Tabelle zeigt dieselben Zahlen wie das Diagramm.",
        "no_data": "Keine Daten.",
        "footer_data": "Daten: Bitkom Smart City Index (veröffentlichte Ergebnisse), Destatis, offene Register des Pilotdatensatzes; Karte © GeoBasis-DE / BKG.",
        "json_twin": "Diese Seite als JSON",
        "api_method": "Methode",
        "api_path": "Pfad",
        "api_summary": "Inhalt",
        "api_parameters": "Parameter",
        "status": "Status",
        "published": "veröffentlicht",
        "computed": "berechnet",
        "cities_count": "{n} Städte",
        "areas_vs": "Punkte je Themenbereich im Vergleich zu Median und bestem Wert",
        "rank_of": "Rang {rank} von {total}",
        "cities_title": "Alle Städte",
        "since_first": "seit der ersten Ausgabe",
        "unassigned_note": "Weitere Tabellen dieser Ausgabe konnten keinem Themenbereich sicher zugeordnet werden und werden hier nicht gezeigt.",
        "values_title": "Werte und Quellen",
        "values_caption": "Jeder Parameter der Ausgabe {edition} mit dem Wert der Stadt, Quelle, Stand und Lizenz",
        "value": "Wert",
        "as_of": "Stand",
        "no_previous": "keine Vorgängerausgabe",
        "comparable_change": "Tendenz vergleichbar",
        "comparable_short": "vergleichbar",
        "comparable_explained": "„Vergleichbar“: beide Jahre nach den Regeln von {edition} und nur mit den Parametern, die in beiden Jahren bekannt sind; „Tendenz“: jede Ausgabe nach ihren eigenen Regeln und Daten.",
        "colour_comparable": "nach vergleichbarer Tendenz",
        "source_version": "Fassung",
        "movers_title": "Auf- und Absteiger",
        "movers_link": "Auf- und Absteiger dieser Ausgabe",
        "movers_up": "Aufsteiger",
        "movers_down": "Absteiger",
        "movers_caption_up": "Die Städte, die gegenüber {previous} am meisten gestiegen sind, mit den Werten, die sie bewegt haben",
        "movers_caption_down": "Die Städte, die gegenüber {previous} am meisten gefallen sind, mit den Werten, die sie bewegt haben",
        "movers_order_comparable": "Reihenfolge nach der vergleichbaren Tendenz: beide Jahre nach den Regeln von {edition} auf den in beiden Jahren bekannten Parametern.",
        "movers_order_computed": "Reihenfolge nach der Tendenz wie berechnet.",
        "movers_changed": "Geänderte Werte",
        "movers_none": "keine eigene Wertänderung – andere Städte haben sich bewegt",
        "register_change": "Registeränderung, keine Änderung der Stadt",
        "movers_none_edition": "Diese Ausgabe hat keine berechnete Vorgängerausgabe; Auf- und Absteiger gibt es nicht.",
        "lacking_title": "Ohne Daten in dieser Ausgabe",
        "left_out_title": "Für die vergleichbare Tendenz weggelassen (nicht in beiden Jahren bekannt)",
        "note": "Hinweis",
        "values_no_means": "„nein“ heißt: in der genannten Quelle nicht verzeichnet – nicht: in der Stadt nicht vorhanden.",
        "version": "Version",
        "rounding_rule": "Punkte auf {digits} Nachkommastelle(n) gerundet, {mode}",
        "rounding_half_up": "ab 5 aufgerundet (11,25 → 11,3)",
        "rounding_half_even": "zur geraden Ziffer gerundet (11,25 → 11,2)",
        "columns": "Spalten",
        "computed_by": "berechnet von cityindex",
        "table": "Tabelle",
        "nav_sources": "Quellen",
        "sources_title": "Quellen und Lizenzen",
        "sources_intro": "Jede Zahl dieser Website stammt aus einer der folgenden Quellen; die Lizenz und die verlangte Namensnennung stehen daneben.",
        "published_badge": "Veröffentlicht",
        "computed_badge": "Berechnet",
        "published_label": "Bitkom-Ausgabe, Zahlen wie veröffentlicht: Was keine Quelle nennt, bleibt eine Lücke.",
        "computed_label": "Von cityindex berechnet: vollständig für alle {n} Städte, nicht mit dem Bitkom-Index vergleichbar.",
        "shown_latest": "Gezeigt wird die neueste Ausgabe.",
        "shown_chosen": "Gezeigt wird die gewählte Ausgabe.",
        "latest_published": "Neueste veröffentlichte Bitkom-Ausgabe:",
        "no_area_values": "Für diese Ausgabe sind keine Bereichswerte der Stadt veröffentlicht.",
        "no_area_scores": "Für diese Ausgabe sind nur Bereichsplätze veröffentlicht, keine Punktwerte; daher gibt es kein Diagramm.",
        "no_history_values": "In keiner Ausgabe dieser Reihe ist ein Platz oder Punktwert der Stadt bekannt; daher gibt es kein Diagramm.",
        "compare_no_chart": "Für die gewählten Städte ist in dieser Reihe kein Platz bekannt; daher gibt es kein Diagramm.",
        "gap_hint": "Eine Linie bricht dort ab, wo eine Ausgabe keinen Wert hat; Lücken werden nicht überbrückt.",
        "tied_full": "{n} Städte mit voller Punktzahl",
        "tied_best": "{n} Städte gleichauf",
        "tied_first": "{n} Städte teilen sich Platz 1; die Tabelle zeigt {shown} davon.",
        "sw_unknown": "Stärken und Schwächen sind für diese Ausgabe nicht bekannt, weil keine Bereichsplätze oder -punkte der Stadt veröffentlicht sind.",
        "sw_rule": "Stärke: besser als die Mitte aller Städte, Schwäche: schlechter; ein Wert genau in der Mitte ist beides nicht.",
        "none": "keine",
        "more_published": "{n} weitere ohne veröffentlichten Platz",
        "more_computed": "{n} weitere ohne berechneten Platz",
        "neighbours_of": "Nachbarn von Platz {rank} im Ranking {edition}",
        "no_peer_ranks": "Die Stadt hat in dieser Ausgabe keinen bekannten Platz; daher gibt es keine Nachbarn im Ranking.",
        "scroll_hint": "Die Tabelle lässt sich seitlich verschieben; die Spalte mit den Städten bleibt stehen.",
        "api_intro": "Alle Daten dieser Website als JSON: Jede Seite hat einen Zwilling unter derselben Adresse mit der Endung `.json`. Jede Antwort hat dieselbe Hülle: `ok`, `status`, `data` (oder `error`, `errors`, `suggestions`).",
    },
    "en": {
        "site_title": "Smart City Index",
        "site_tagline": "Digital ranking of Germany's large cities",
        "skip": "Skip to content",
        "nav_home": "Home",
        "nav_ranking": "Ranking",
        "nav_map": "Map",
        "nav_compare": "Compare",
        "nav_methodology": "Methodology",
        "nav_downloads": "Downloads",
        "nav_cities": "Cities",
        "nav_api": "API",
        "lang_switch": "Deutsch",
        "lang_switch_label": "Change language",
        "edition": "Edition",
        "editions": "Editions",
        "edition_switch": "Choose edition",
        "show": "Show",
        "search_label": "Find a city",
        "search_placeholder": "e.g. Oberhausen",
        "search_button": "Search",
        "search_results": "Search results",
        "search_none": "No city found.",
        "did_you_mean": "Did you mean:",
        "rank": "Rank",
        "score": "Score",
        "city": "City",
        "state": "State",
        "region": "Region",
        "size_class": "Size class",
        "population": "Population",
        "rank_change": "Rank change",
        "source": "Source",
        "sources": "Sources",
        "all": "all",
        "filter": "Filter",
        "reset": "Reset",
        "sort_by": "Sort by",
        "sort": "Sort",
        "of": "of",
        "points": "points",
        "up": "up",
        "down": "down",
        "same": "unchanged",
        "new_entry": "new",
        "unknown": "not published",
        "unknown_long": "not published in this data set",
        "top": "Top of the ranking",
        "area_winners": "Area winners",
        "tied_count": "{n} cities tied at rank 1",
        "full_ranking": "Full ranking",
        "ranking_title": "Ranking",
        "known_rows": "Known rows",
        "published_note": (
            "Published edition: only numbers found in public sources are shown. {known} of {total} "
            "cities have an entry in this view; the other values were not published and are not "
            "estimated."
        ),
        "computed_note": "Computed edition: complete ranking of all {total} cities.",
        "rows_shown": "{n} rows shown",
        "missing_ranks": "Ranks with no published city",
        "map_title": "Map",
        "map_colour": "Colour",
        "colour_score": "by score",
        "colour_change": "by rank change",
        "map_legend_unknown": "grey: not published",
        "map_hint": "Tap or hover a dot; click opens the city.",
        "map_table": "Table for the map",
        "city_title": "City profile",
        "history": "History across editions",
        "history_table": "History as a table",
        "areas": "Areas",
        "area": "Area",
        "median": "Median",
        "best": "Best value",
        "strengths": "Strengths",
        "weaknesses": "Weaknesses",
        "peers": "Peers",
        "peers_state": "Same state",
        "peers_region": "Same region",
        "peers_neighbours": "Ranking neighbours",
        "narrative": "Summary",
        "downloads": "Downloads",
        "download_csv": "Download CSV",
        "download_json": "Download JSON",
        "download_svg": "Chart as SVG",
        "download_png": "Chart as PNG",
        "facts": "Facts",
        "ags": "AGS",
        "area_km2": "Area (km²)",
        "compare_title": "Compare cities",
        "compare_help": "Choose two to five cities.",
        "compare_button": "Compare",
        "compare_need": "Please choose two to five cities.",
        "methodology_title": "Methodology",
        "weight": "weight",
        "indicator": "Indicator",
        "parameter": "Parameter",
        "kind": "Kind",
        "unit": "Unit",
        "direction": "Direction",
        "context_only": "context only, not scored",
        "kind_binary": "yes/no",
        "kind_points": "points",
        "kind_numeric": "number",
        "higher_better": "higher is better",
        "lower_better": "lower is better",
        "downloads_title": "Open data",
        "full_export": "Full export with indicators and data points with their sources",
        "file": "File",
        "format": "Format",
        "description": "Description",
        "licence": "Licence",
        "attribution": "Data sources and attribution",
        "not_found": "Not found",
        "not_found_text": "This page does not exist.",
        "unknown_city": "No city of the register is called “{name}”.",
        "unknown_edition": "There is no edition “{name}”.",
        "unknown_scope": "This edition has no area “{name}”.",
        "bad_filter": "There is no filter value “{name}”; choose one from the list.",
        "bad_colouring": "There is no colouring “{name}”; use score, rank_change or comparable_change.",
        "compare_count": "Choose two to five different cities (chosen: {name}).",
        "bad_request": "Bad request",
        "server_error": "Something went wrong",
        "server_error_text": "An internal error occurred. Please try again later.",
        "store_unavailable": "The database is unavailable right now",
        "store_unavailable_text": "This page needs the database, which cannot be reached right now. Please try "
                                  "again later; the published Bitkom editions are still available.",
        "incident": "Incident id {id} — please quote it if you contact us.",
        "back_home": "Back to the home page",
        "chart": "Chart",
        "chart_table_hint": "The table shows the same numbers as the chart.",
        "no_data": "No data.",
        "footer_data": "Data: Bitkom Smart City Index (published results), Destatis, open registers of the pilot data set; map © GeoBasis-DE / BKG.",
        "json_twin": "This page as JSON",
        "api_method": "Method",
        "api_path": "Path",
        "api_summary": "Summary",
        "api_parameters": "Parameters",
        "status": "Status",
        "published": "published",
        "computed": "computed",
        "cities_count": "{n} cities",
        "areas_vs": "Score per area compared with the median and the best value",
        "rank_of": "Rank {rank} of {total}",
        "cities_title": "All cities",
        "since_first": "since the first edition",
        "unassigned_note": "Further tables of this edition could not be assigned to an area with certainty and are not shown here.",
        "values_title": "Values and sources",
        "values_caption": "Every parameter of the edition {edition} with the city's value, source, date and licence",
        "value": "Value",
        "as_of": "As of",
        "no_previous": "no previous edition",
        "comparable_change": "Change, comparable",
        "comparable_short": "comparable",
        "comparable_explained": "\"Comparable\": both years under the rules of {edition} and only with the parameters known in both years; \"Change\": each edition under its own rules and data.",
        "colour_comparable": "by comparable change",
        "source_version": "Version",
        "movers_title": "Risers and fallers",
        "movers_link": "Risers and fallers of this edition",
        "movers_up": "Risers",
        "movers_down": "Fallers",
        "movers_caption_up": "The cities that rose most against {previous}, with the values that moved them",
        "movers_caption_down": "The cities that fell most against {previous}, with the values that moved them",
        "movers_order_comparable": "Ordered by the comparable change: both years under the rules of {edition} on the parameters known in both years.",
        "movers_order_computed": "Ordered by the change as computed.",
        "movers_changed": "Values changed",
        "movers_none": "no value of its own changed – other cities moved",
        "register_change": "register change, not a change of the city",
        "movers_none_edition": "This edition has no computed previous edition, so it has no risers and fallers.",
        "lacking_title": "No data in this edition",
        "left_out_title": "Left out of the comparable change (not known in both years)",
        "note": "Note",
        "values_no_means": "\"no\" means: not listed in the named source, not that the city lacks it.",
        "version": "version",
        "rounding_rule": "scores rounded to {digits} decimal(s), {mode}",
        "rounding_half_up": "halves rounded up (11.25 → 11.3)",
        "rounding_half_even": "halves rounded to even (11.25 → 11.2)",
        "columns": "Columns",
        "computed_by": "computed by cityindex",
        "table": "Table",
        "nav_sources": "Sources",
        "sources_title": "Sources and licences",
        "sources_intro": "Every number on this website comes from one of the following sources; each is listed with its licence and the attribution it requires.",
        "published_badge": "Published",
        "computed_badge": "Computed",
        "published_label": "Bitkom edition, numbers as published: what no source states stays a gap.",
        "computed_label": "Computed by cityindex: complete for all {n} cities, not comparable with the Bitkom index.",
        "shown_latest": "Shown: the newest edition.",
        "shown_chosen": "Shown: the edition you chose.",
        "latest_published": "Newest published Bitkom edition:",
        "no_area_values": "No area values of the city are published for this edition.",
        "no_area_scores": "Only area ranks, no area scores are published for this edition, so there is no chart.",
        "no_history_values": "No rank or score of the city is known in any edition of this series, so there is no chart.",
        "compare_no_chart": "No rank of the chosen cities is known in this series, so there is no chart.",
        "gap_hint": "A line stops where an edition has no value; gaps are never bridged.",
        "tied_full": "{n} cities with full marks",
        "tied_best": "{n} cities tied",
        "tied_first": "{n} cities share rank 1; the table shows {shown} of them.",
        "sw_unknown": "Strengths and weaknesses are not known for this edition, because no area ranks or scores of the city are published.",
        "sw_rule": "Strength: better than the middle of all cities; weakness: worse; a value exactly in the middle is neither.",
        "none": "none",
        "more_published": "{n} more without a published rank",
        "more_computed": "{n} more without a computed rank",
        "neighbours_of": "Neighbours of rank {rank} in the {edition} ranking",
        "no_peer_ranks": "The city has no known rank in this edition, so it has no ranking neighbours.",
        "scroll_hint": "The table scrolls sideways; the city column stays in place.",
        "api_intro": "All data of this website as JSON: every page has a twin at the same address ending in `.json`. Every response has the same envelope: `ok`, `status`, `data` (or `error`, `errors`, `suggestions`).",
    },
}


def _merge(extra: dict[str, dict[str, str]], origin: str) -> None:
    for lang in LANGS:
        clash = sorted(k for k in set(extra[lang]) & set(TEXTS[lang]) if extra[lang][k] != TEXTS[lang][k])
        if clash:  # one label, one text: a second table may repeat a label only with the same text
            raise RuntimeError(f"{origin} gives other texts for labels of i18n: {', '.join(clash)}")
        TEXTS[lang].update(extra[lang])


def _merge_feature_texts() -> None:
    """The texts of the account pages, the planning tools, the review pages and the rank intervals
    with the statistical audit live in their own tables."""
    from cityindex.web.i18n_auth import AUTH_TEXTS
    from cityindex.web.i18n_planning import TEXTS as PLANNING
    from cityindex.web.i18n_review import REVIEW_TEXTS
    from cityindex.web.i18n_uncertainty import TEXTS as UNCERTAINTY

    _merge(UNCERTAINTY, "i18n_uncertainty")
    _merge(AUTH_TEXTS, "i18n_auth")
    _merge(PLANNING, "i18n_planning")
    _merge(REVIEW_TEXTS, "i18n_review")


_merge_feature_texts()


def pick_lang(query: str | None, cookie: str | None) -> str:
    """The request's language: a valid ``?lang=`` first, then the cookie, then German."""
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG


def scope_name(scope: str, lang: str, edition: str | None = None) -> str:
    """Display name of a scope, as the library names it (Gesellschaft und Bildung from 2023)."""
    from cityindex.published import SCOPES as KNOWN, scope_names

    if scope not in KNOWN:
        return scope
    digits = "".join(ch for ch in str(edition or "") if ch.isdigit())[:4]
    return scope_names(scope, year=int(digits) if digits else None)[lang]


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **fmt)`` for one language; falls back to German, then to the key itself."""
    texts: Mapping[str, str] = TEXTS.get(lang, TEXTS[DEFAULT_LANG])

    def t(key: str, **fmt: object) -> str:
        text = texts.get(key) or TEXTS[DEFAULT_LANG].get(key, key)
        return text.format(**fmt) if fmt else text

    return t


def format_number(value: object, lang: str, digits: int = 1, mode: str = "half_up") -> str:
    """A score with ``digits`` decimals in the language's convention, rounded with ``mode``
    (``cityindex.rounding``: half up by default, as published indices round); unknown values
    stay empty."""
    if value is None or value != value:  # None or NaN
        return ""
    text = f"{round_value(float(value), digits, mode):,.{digits}f}"
    if lang == "de":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def format_int(value: object, lang: str) -> str:
    """A whole number with the language's thousands separator; unknown stays empty."""
    if value is None or value != value:
        return ""
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "de" else text
