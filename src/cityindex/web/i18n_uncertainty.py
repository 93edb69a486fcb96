"""Interface texts of the rank-uncertainty and statistical-audit parts of the site (German, English).

Merged into ``cityindex.web.i18n.TEXTS`` at import; kept apart so that these entries stay together.
"""

TEXTS = {
    "de": {
        "interval_90": "90-%-Intervall",
        "interval_hint": "Kleine Zahlen hinter dem Platz: das 90-%-Intervall, in dem die Stadt lag, wenn die unsicheren "
                         "Entscheidungen der Methodik variieren. Mehr dazu:",
        "uncertainty_title": "Wie sicher ist die Rangfolge?",
        "uncertainty_intro": (
            "Jeder Strich zeigt, zwischen welchen Plätzen eine Stadt in 90 % von {runs} Berechnungen lag, in denen "
            "die unsicheren Entscheidungen der Methodik zufällig variiert wurden; die Daten blieben gleich. "
            "Punkt: Platz dieser Ausgabe, Querstrich: Median."),
        "uncertainty_varied": "Variiert",
        "tied_title": "Statistisch gleichauf",
        "tied_intro": (
            "Die Städte einer Gruppe lassen sich nicht sicher voneinander unterscheiden: ihre Intervalle überschneiden "
            "sich mit dem der ersten Stadt der Gruppe."),
        "tied_group": "Gruppe {n} (Plätze {first}–{last})",
        "tied_none": "Keine Gruppen: jede Stadt ist von ihren Nachbarn unterscheidbar.",
        "no_interval_published": (
            "Für veröffentlichte Bitkom-Ausgaben kann kein Rangintervall berechnet werden: bekannt sind nur die "
            "veröffentlichten Plätze und Punkte, nicht die Einzeldaten der Städte."),
        "no_interval_failed": "Für diese Ausgabe wurde kein Rangintervall berechnet: {message}",
        "rank_interval": "Platz {rank} ({low}–{high})",
        "rank_interval_explain": (
            "Das 90-%-Intervall: Wenn man die unsicheren Entscheidungen der Methodik variiert ({varied}), lag "
            "{city} in 90 % von {runs} Berechnungen zwischen Platz {low} und {high} (Median {median})."),
        "rank_interval_tied": "Statistisch gleichauf mit",
        "uncertainty_method_title": "Was die Unsicherheitsanalyse variiert",
        "uncertainty_method_intro": (
            "Für die berechnete Ausgabe {edition} wird die Rangfolge {runs}-mal neu berechnet (Seed {seed}); jedes Mal "
            "werden diese Annahmen zufällig gewählt. Die Daten der Städte bleiben unverändert."),
        "uncertainty_method_bitkom": (
            "Veröffentlichte Bitkom-Ausgaben: Ohne Einzeldaten lässt sich dort nichts variieren, es gibt keine "
            "Rangintervalle."),
        "assumption": "Annahme",
        "variation": "Variation",
        "sensitivity_title": "Was die Plätze am meisten bewegt",
        "sensitivity_caption": (
            "PAWN-Index je variiertem Eingang (0 = kein Einfluss auf die mittlere Platzverschiebung); der "
            "Vergleichseingang ohne Wirkung zeigt das Rauschen"),
        "input": "Eingang",
        "dummy_input": "Vergleichseingang ohne Wirkung",
        "mean_shift": "Mittlere Platzverschiebung",
        "stats_audit_title": "Statistische Prüfung",
        "stats_audit_link": "Statistische Prüfung dieser Ausgabe",
        "stats_audit_intro": (
            "Die Prüfungen eines statistischen Audits nach dem Vorbild der Gemeinsamen Forschungsstelle der EU (JRC): "
            "Abdeckung, Ausreißer, Korrelationen, innere Konsistenz und effektive Gewichte."),
        "stats_audit_summary": "{flagged} von {checked} Prüfpunkten auffällig",
        "stats_audit_flags": "Auffällige Prüfpunkte",
        "stats_audit_checks": "Prüfungen und Schwellen",
        "audit_check": "Prüfung",
        "audit_item": "Element",
        "audit_other": "mit",
        "audit_reference": "Bezug",
        "audit_threshold": "auffällig wenn",
        "audit_flagged": "auffällig",
        "audit_checked": "geprüft",
        "audit_none": "Keine Auffälligkeiten.",
        "no_audit_published": (
            "Für veröffentlichte Bitkom-Ausgaben ist keine statistische Prüfung möglich: es liegen keine "
            "Einzeldaten vor."),
    },
    "en": {
        "interval_90": "90 % interval",
        "interval_hint": "Small numbers after the rank: the 90 % interval in which the city lay when the uncertain "
                         "choices of the methodology vary. More:",
        "uncertainty_title": "How certain is the ranking?",
        "uncertainty_intro": (
            "Each line shows between which ranks a city lay in 90 % of {runs} calculations in which the uncertain "
            "choices of the methodology were varied at random; the data stayed the same. Dot: rank in this edition, "
            "tick: median."),
        "uncertainty_varied": "Varied",
        "tied_title": "Statistically tied",
        "tied_intro": (
            "The cities of a group cannot be told apart with confidence: their intervals overlap the interval of the "
            "group's first city."),
        "tied_group": "Group {n} (ranks {first}–{last})",
        "tied_none": "No groups: every city can be told apart from its neighbours.",
        "no_interval_published": (
            "No rank interval can be computed for published Bitkom editions: only the published ranks and scores "
            "are known, not the cities' underlying data."),
        "no_interval_failed": "No rank interval was computed for this edition: {message}",
        "rank_interval": "Rank {rank} ({low}–{high})",
        "rank_interval_explain": (
            "The 90 % interval: when the uncertain choices of the methodology vary ({varied}), {city} lay between "
            "rank {low} and {high} in 90 % of {runs} calculations (median {median})."),
        "rank_interval_tied": "Statistically tied with",
        "uncertainty_method_title": "What the uncertainty analysis varies",
        "uncertainty_method_intro": (
            "For the computed edition {edition} the ranking is computed {runs} times (seed {seed}); each time these "
            "assumptions are drawn at random. The cities' data stay unchanged."),
        "uncertainty_method_bitkom": (
            "Published Bitkom editions: without the underlying data nothing can be varied, so there are no rank "
            "intervals."),
        "assumption": "Assumption",
        "variation": "Variation",
        "sensitivity_title": "What moves ranks most",
        "sensitivity_caption": (
            "PAWN index per varied input (0 = no effect on the mean rank shift); the comparison input without any "
            "effect shows the noise"),
        "input": "Input",
        "dummy_input": "Comparison input without effect",
        "mean_shift": "Mean rank shift",
        "stats_audit_title": "Statistical audit",
        "stats_audit_link": "Statistical audit of this edition",
        "stats_audit_intro": (
            "The checks of a statistical audit modelled on the EU Joint Research Centre (JRC): coverage, outliers, "
            "correlations, internal consistency and effective weights."),
        "stats_audit_summary": "{flagged} of {checked} checked items flagged",
        "stats_audit_flags": "Flagged items",
        "stats_audit_checks": "Checks and thresholds",
        "audit_check": "Check",
        "audit_item": "Item",
        "audit_other": "with",
        "audit_reference": "Reference",
        "audit_threshold": "flagged if",
        "audit_flagged": "flagged",
        "audit_checked": "checked",
        "audit_none": "Nothing flagged.",
        "no_audit_published": (
            "No statistical audit is possible for published Bitkom editions: their underlying data are not "
            "available."),
    },
}

