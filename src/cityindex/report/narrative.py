"""Generated narrative of a city's story, in German (default) or English.

Every sentence is built from a field of ``CityStory``; a missing number produces the
phrase "in diesem Datensatz nicht veröffentlicht" / "not published in this data set",
never a guess.
"""

from __future__ import annotations

from cityindex.analysis.areas import EQUAL_WEIGHTS_NOTE
from cityindex.analysis.peers import split_ahead_behind
from cityindex.analysis.story import CityStory
from cityindex.cities import REGIONS
from cityindex.errors import CityIndexError
from cityindex.rounding import round_value

LANGS = ("de", "en")
NOT_PUBLISHED = {"de": "in diesem Datensatz nicht veröffentlicht", "en": "not published in this data set"}
NOT_COMPUTED = {"de": "in dieser berechneten Ausgabe nicht enthalten", "en": "not part of this computed edition"}
NO_PREVIOUS = {"de": "keine Vorgängerausgabe", "en": "no previous edition"}


def _computed(s: CityStory) -> bool:
    return s.edition.kind == "computed"


def _unknown(s: CityStory, lang: str) -> str:
    """How an unknown number is worded: not published (Bitkom editions) or not computed."""
    return (NOT_COMPUTED if _computed(s) else NOT_PUBLISHED)[lang]


def fmt_number(value: float, lang: str = "de", *, signed: bool = False, digits: int = 1, mode: str = "half_up") -> str:
    """``53.8`` → ``53,8`` (de) / ``53.8`` (en); *signed* adds ``+``. Rounded with *mode*
    (``cityindex.rounding``: halves up by default, 11.25 → 11.3, as published indices round)."""
    value = round_value(value, digits, mode)
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


def _num(s: CityStory, value: float, lang: str = "de", **kw) -> str:
    """A number of the story, rounded with its edition's rounding rule."""
    return fmt_number(value, lang, digits=s.edition.rounding[0], mode=s.edition.rounding[1], **kw)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    word = " und " if lang == "de" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def _places(n: int, lang: str) -> str:
    """``1 Platz`` / ``3 Plätze`` (de), ``1 place`` / ``3 places`` (en)."""
    if lang == "de":
        return f"{n} {'Platz' if n == 1 else 'Plätze'}"
    return f"{n} place{'' if n == 1 else 's'}"


def _headline(s: CityStory, lang: str) -> str:
    c, name, title = s.current, s.city.name, s.edition.title_in(lang)
    unknown = _unknown(s, lang)
    if c.rank is None and c.score is not None:  # a published score without a published rank
        if lang == "de":
            return f"{name} erreicht im {title} {_num(s, c.score)} Punkte; der Gesamtplatz ist {unknown}."
        return f"In the {title}, {name} has {_num(s, c.score, 'en')} points; the overall rank is {unknown}."
    if c.rank is None:
        if lang == "de":
            return f"Der Gesamtplatz von {name} im {title} ist {unknown}."
        return f"{name}'s overall rank in the {title} is {unknown}."
    if lang == "de":
        points = f"mit {_num(s, c.score)} Punkten" if c.score is not None else f"(Punktwert {unknown})"
        where = f"in der berechneten Ausgabe {title}" if _computed(s) else f"im {title}"
        return f"{name} belegt {where} Platz {c.rank} von {c.n_cities} {points}."
    points = f"with {_num(s, c.score, 'en')} points" if c.score is not None else f"(score {unknown})"
    where = f"the computed edition {title}" if _computed(s) else f"the {title}"
    return f"In {where}, {name} is at rank {c.rank} of {c.n_cities} {points}."


def _change(s: CityStory, lang: str) -> str:
    ch, prev = s.change_previous, s.edition.previous
    if prev is None:
        if not _computed(s):
            return ""
        return ("Eine Tendenz gibt es nicht: Diese Ausgabe hat keine Vorgängerausgabe." if lang == "de"
                else "There is no rank change: this edition has no previous edition.")
    if ch is None:
        if lang == "de":
            return f"Die Veränderung gegenüber {prev} ist {_unknown(s, 'de')}."
        return f"The change against {prev} is {_unknown(s, 'en')}."
    n = abs(ch.places)
    if lang == "de":
        how = f"{_places(n, lang)} {'besser' if ch.places > 0 else 'schlechter'}"
        basis = f"Tendenz {ch.places:+d}" if ch.basis != "derived" else f"berechnet aus Platz {ch.from_rank} im Jahr {prev}"
        return f"Das ist {how} als {prev} ({basis})." if n else f"Der Platz ist gegenüber {prev} unverändert ({basis})."
    how = f"{_places(n, lang)} {'better' if ch.places > 0 else 'worse'}"
    basis = f"rank change {ch.places:+d}" if ch.basis != "derived" else f"derived from rank {ch.from_rank} in {prev}"
    return f"That is {how} than in {prev} ({basis})." if n else f"The rank is unchanged against {prev} ({basis})."


def _comparable(s: CityStory, lang: str) -> str:
    """The comparable change next to the one as computed (computed editions of a series)."""
    ch = s.change_previous
    if ch is None or ch.comparable is None:
        return ""
    prev, edition, n = s.edition.previous, s.edition.key, abs(ch.comparable)
    if lang == "de":
        how = f"{_places(n, lang)} {'besser' if ch.comparable > 0 else 'schlechter'}" if n else "unverändert"
        return (f"Vergleichbar gerechnet – beide Jahre nach den Regeln von {edition} und nur mit den Parametern, "
                f"die in beiden Jahren bekannt sind – ist der Platz gegenüber {prev} {how} ({ch.comparable:+d}).")
    how = f"{_places(n, lang)} {'better' if ch.comparable > 0 else 'worse'}" if n else "unchanged"
    return (f"Computed comparably – both years under the rules of {edition} and only with the parameters known "
            f"in both years – the rank is {how} against {prev} ({ch.comparable:+d}).")


def value_change_text(change, lang: str) -> str:
    """``GBFS-Sharing-Feeds … 0 → 1`` plus the register change that explains it, if any."""
    name = change.name_de if lang == "de" else change.name_en
    shown = _yes_no if change.kind == "binary" else _shown
    text = f"{name} {shown(change.before, lang)} → {shown(change.after, lang)}"
    if change.catalogue:
        text += f" [{change.catalogue[lang]}]"
    return text


def _yes_no(value, lang: str) -> str:
    yes = value not in (None, "0", "0.0")
    return ("ja" if yes else "nein") if lang == "de" else ("yes" if yes else "no")


def _shown(value, lang: str) -> str:
    if value is None:
        return "–"
    try:
        number = float(value)
    except ValueError:
        return value
    text = f"{number:g}"
    return text.replace(".", ",") if lang == "de" else text


def _moved_by(s: CityStory, lang: str) -> str:
    if not s.moved_by or s.edition.previous is None:
        return ""
    listed = "; ".join(value_change_text(c, lang) for c in s.moved_by)
    if lang == "de":
        return f"Geänderte Werte gegenüber {s.edition.previous}: {listed}."
    return f"Values changed against {s.edition.previous}: {listed}."


def mover_text(mover, lang: str, *, previous: str) -> str:
    """One mover in a line: city, change (comparable and as computed), ranks and the values that moved it."""
    comparable = mover.comparable_change
    head = mover.city + " "
    if comparable is not None:
        head += (f"{comparable:+d} (vergleichbar; wie berechnet {_signed(mover.change)})" if lang == "de"
                 else f"{comparable:+d} (comparable; as computed {_signed(mover.change)})")
    else:
        head += _signed(mover.change)
    rank = "Platz" if lang == "de" else "rank"
    head += f", {rank} {mover.previous_rank if mover.previous_rank is not None else '–'} ({previous}) → {mover.rank}"
    reasons = "; ".join(value_change_text(c, lang) for c in mover.changes)
    if not reasons:
        reasons = ("keine eigene Wertänderung – andere Städte haben sich bewegt" if lang == "de"
                   else "no value of its own changed – other cities moved")
    return f"{head}: {reasons}"


def _signed(value) -> str:
    return "–" if value is None else f"{value:+d}"


def _since_first(s: CityStory, lang: str) -> str:
    ch = s.change_since_first
    if ch is None:
        return ""
    name, n = s.city.name, abs(ch.places)
    if lang == "de":
        pts = f" mit {_num(s, ch.from_score)} Punkten" if ch.from_score is not None else ""
        trend = f"seitdem {_places(n, lang)} {'besser' if ch.places > 0 else 'schlechter'}" if n else "seitdem unverändert"
        return f"{ch.from_key} lag {name} auf Platz {ch.from_rank}{pts}; {trend}."
    pts = f" with {_num(s, ch.from_score, 'en')} points" if ch.from_score is not None else ""
    trend = f"{_places(n, lang)} {'better' if ch.places > 0 else 'worse'} since then" if n else "unchanged since then"
    return f"In {ch.from_key}, {name} was at rank {ch.from_rank}{pts}; {trend}."


def _area_text(s: CityStory, a, lang: str) -> str:
    name = a.name_de if lang == "de" else a.name_en
    unit = "Punkte" if lang == "de" else "points"
    score = f"{_num(s, a.score, lang)} {unit}" if a.score is not None else ""
    if a.rank is None:
        return f"{name}: {score}"
    rank = f"Platz {a.rank}" if lang == "de" else f"rank {a.rank}"
    return f"{name}: {rank} ({score})" if score else f"{name}: {rank}"


def _areas(s: CityStory, lang: str) -> str:
    known = [a for a in s.areas if a.rank is not None or a.score is not None]
    year = s.edition.year
    if not known:
        text = (f"Bereichsergebnisse {year} sind {_unknown(s, 'de')}." if lang == "de"
                else f"Area results for {year} are {_unknown(s, 'en')}.")
    else:
        listed = "; ".join(_area_text(s, a, lang) for a in known)
        text = f"Bereiche {year}: {listed}." if lang == "de" else f"Areas {year}: {listed}."
    strong = [a.name_de if lang == "de" else a.name_en for a in s.strengths]
    weak = [a.name_de if lang == "de" else a.name_en for a in s.weaknesses]
    if strong:
        text += (f" Stärken (besser als die Mitte): {'; '.join(strong)}." if lang == "de"
                 else f" Strengths (better than the middle): {'; '.join(strong)}.")
    if weak:
        text += (f" Schwächen (schlechter als die Mitte): {'; '.join(weak)}." if lang == "de"
                 else f" Weaknesses (worse than the middle): {'; '.join(weak)}.")
    return text


def _unassigned(s: CityStory, lang: str) -> str:
    if not s.unassigned:
        return ""
    items = []
    for row in s.unassigned:
        pts = f" ({_num(s, row['score'], lang)} {'Punkte' if lang == 'de' else 'points'})" if row["score"] is not None else ""
        items.append((f"Tabelle {row['table']} Platz {row['rank']}" if lang == "de"
                      else f"table {row['table']} rank {row['rank']}") + pts)
    if lang == "de":
        return (f"In den Bitkom-Bereichstabellen ohne gesicherte Zuordnung steht {s.city.name} in "
                f"{_join(items, lang)}; welcher Bereich das ist, ist nicht gesichert.")
    return (f"In the Bitkom area tables whose area is not identified, {s.city.name} is in "
            f"{_join(items, lang)}; which area that is remains unknown.")


def _contributions(s: CityStory, lang: str) -> str:
    if not s.contributions:
        return ""
    listed = "; ".join(f"{c.name_de if lang == 'de' else c.name_en} {_num(s, c.contribution, lang, signed=True)}"
                       for c in s.contributions)
    prev = s.edition.previous
    assumed = any(c.weights_assumed for c in s.contributions)
    basis = EQUAL_WEIGHTS_NOTE[lang] if assumed else (
        "Gewichte laut Methodik." if lang == "de" else "Weights as in the methodology.")
    if lang == "de":
        return (f"Beitrag bekannter Bereiche zur Veränderung des Gesamtwerts gegenüber {prev} (Punkte): "
                f"{listed}. {basis}")
    return (f"Contribution of known areas to the change of the overall score against {prev} (points): "
            f"{listed}. {basis}")


def _peer_list(peers, lang: str) -> str:
    return _join([f"{p.name} ({p.rank})" for p in peers], lang)


def _region_bits(s: CityStory, peers, lang: str) -> list[str]:
    ahead, behind, unknown = split_ahead_behind(peers, s.current.rank)
    de, computed = lang == "de", _computed(s)
    if s.current.rank is None:
        known = [p for p in peers if p.rank is not None]
        label = ("Plätze" if computed else "veröffentlichte Plätze") if de else ("ranks" if computed else "published ranks")
        bits = [f"{label}: {_peer_list(known, lang)}" if known else ""]
    else:
        bits = [(f"vor {s.city.name} liegen {_peer_list(ahead, lang)}" if de
                 else f"ahead of {s.city.name}: {_peer_list(ahead, lang)}") if ahead else "",
                (f"dahinter {_peer_list(behind, lang)}" if de else f"behind: {_peer_list(behind, lang)}") if behind else ""]
    names = _join([p.name for p in unknown], lang)
    verb = ("berechnet" if computed else "veröffentlicht") if de else ("computed" if computed else "published")
    bits.append((f"für {names} ist kein Platz {verb}" if de else f"no {verb} rank for {names}") if unknown else "")
    return [b for b in bits if b]


def _group(s: CityStory, label_de: str, label_en: str, peers, lang: str) -> str:
    bits = _region_bits(s, peers, lang)
    if not bits:
        return ""
    intro = f"{label_de}: " if lang == "de" else f"{label_en}: "
    return intro + "; ".join(bits) + "."


def _region(s: CityStory, lang: str) -> str:
    """Region peers; for cities without a region tag, the peers of the same state."""
    if not s.region_peers:
        state = s.city.state
        return _group(s, f"In {state}", f"In {state}", s.state_peers, lang)
    sentences = [_group(s, f"Im {REGIONS[r][0]}", f"In the {REGIONS[r][1]}", peers, lang)
                 for r, peers in s.region_peers.items()]
    return " ".join(t for t in sentences if t)


def _neighbours(s: CityStory, lang: str) -> str:
    if not s.neighbours:
        return ""
    listed = _peer_list(s.neighbours, lang)
    if _computed(s):
        return f"Nächste Plätze: {listed}." if lang == "de" else f"Ranking neighbours: {listed}."
    return (f"Nächste veröffentlichte Plätze: {listed}." if lang == "de"
            else f"Nearest published ranks: {listed}.")


def narrate(story: CityStory, lang: str = "de") -> str:
    """The story as a short paragraph of sentences (German by default)."""
    if lang not in LANGS:
        raise CityIndexError(f"Unknown language {lang!r}; use de or en.")
    parts = [_headline, _change, _comparable, _moved_by, _since_first, _areas, _unassigned, _contributions, _region,
             _neighbours]
    return " ".join(t for t in (part(story, lang) for part in parts) if t)


def notes_text(story: CityStory, lang: str = "de") -> list[str]:
    """The caveats that apply to the story, one line each, with their edition (unless the text
    already names that year), each once."""
    lines = [n.text(lang) if str(n.edition) in n.text(lang) else f"{n.edition}: {n.text(lang)}" for n in story.notes]
    return list(dict.fromkeys(lines))
