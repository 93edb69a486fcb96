"""Peer learning: for each parameter a city lacks, the comparable cities that have it, with sources.

"Lacks" means: a binary or graded parameter below its best answer (or unknown), or a numeric
higher-is-better parameter at 0 (or unknown). "Has it" means a better value in the same data
set. Comparable cities share the city's state, size class or region; each peer carries the data
point's source (name, URL, date, note) so the reader can look at what that city does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from cityindex.analysis.peers import peer_groups
from cityindex.analysis.scenario import Baseline, display_value
from cityindex.cities import load_register
from cityindex.methodology import Parameter

SOURCE_FIELDS = ("source_name", "source_url", "retrieved", "note")


@dataclass(frozen=True)
class PeerExample:
    ags: str
    name: str
    slug: str
    rank: int | None
    groups: tuple[str, ...]  # peer group keys the city shares with this peer
    value: float
    value_text: dict[str, str]
    source_name: str | None
    source_url: str | None
    retrieved: str | None
    note: str | None


@dataclass(frozen=True)
class Lesson:
    parameter: str
    name_de: str
    name_en: str
    area: str
    current_text: dict[str, str]
    peers: list[PeerExample]

    def name(self, lang: str) -> str:
        return self.name_de if lang == "de" else self.name_en

    def to_dict(self) -> dict:
        return {**{k: v for k, v in self.__dict__.items() if k != "peers"},
                "peers": [dict(p.__dict__, groups=list(p.groups)) for p in self.peers]}


def lacks(p: Parameter, value: float) -> bool:
    """True when the city's value leaves room that other cities fill (see the module text)."""
    if math.isnan(value):
        return True
    if p.kind in ("binary", "points"):
        best = p.max_points if p.higher_better else 0.0
        return value < best if p.higher_better else value > best
    return p.higher_better and value <= 0


def _better(p: Parameter, peer: float, mine: float) -> bool:
    if math.isnan(peer):
        return False
    if math.isnan(mine):
        return True
    return peer > mine if p.higher_better else peer < mine


def _sources(base: Baseline) -> pd.DataFrame:
    data = base.edition.datapoints
    columns = [c for c in SOURCE_FIELDS if c in data.columns]
    frame = data[["city", "parameter", *columns]].copy()
    frame["city"] = frame["city"].astype(str)
    return frame.drop_duplicates(["city", "parameter"]).set_index(["city", "parameter"])


def _clean(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    return str(value)


def peer_learning(base: Baseline) -> list[Lesson]:
    """One lesson per scored parameter the city lacks and at least one comparable city has;
    peers sharing more groups with the city first, then by overall rank."""
    register = load_register()
    groups = peer_groups(base.city, register)
    shared: dict[str, list[str]] = {}
    for g in groups:
        for member in g.members:
            shared.setdefault(member.ags, []).append(g.key)
    screened = base.result.stages["screened"]
    ranks = base.result.ranks["overall"]
    sources = _sources(base)
    lessons = []
    for area, indicator, p in base.methodology.parameter_places():
        mine = base.value(p.code)
        if p.context_only or indicator is None or not lacks(p, mine):
            continue
        peers = []
        for ags, keys in shared.items():
            value = float(screened[p.code].get(ags, math.nan))
            if not _better(p, value, mine):
                continue
            city = register.get(ags)
            src = sources.loc[(ags, p.code)] if (ags, p.code) in sources.index else {}
            rank = ranks.get(ags)
            peers.append(PeerExample(ags, city.name, city.slug, None if pd.isna(rank) else int(rank), tuple(keys),
                                     value, {lang: display_value(p, value, lang) for lang in ("de", "en")},
                                     *(_clean(src.get(f)) if len(src) else None for f in SOURCE_FIELDS)))
        if peers:
            peers.sort(key=lambda x: (-len(x.groups), x.rank or 10**6, x.name))
            lessons.append(Lesson(p.code, p.name_de, p.name_en, area.code,
                                  {lang: display_value(p, mine, lang) for lang in ("de", "en")}, peers))
    return lessons


def sentence(lesson: Lesson, lang: str = "de", *, shown: int = 3) -> str:
    """"Bochum, Essen und 4 weitere haben „ja“ bei „Aktives OK Lab“ (hier: „nein“)." in one language."""
    from cityindex.report.narrative import _join

    names = [p.name for p in lesson.peers[:shown]]
    more = len(lesson.peers) - len(names)
    values = "/".join(dict.fromkeys(p.value_text[lang] for p in lesson.peers[:shown]))
    if lang == "de":
        who = ", ".join(names) + f" und {more} weitere" if more else _join(names, lang)
        verb = "hat" if len(lesson.peers) == 1 else "haben"
        return f"{who} {verb} „{values}“ bei „{lesson.name_de}“ (hier: „{lesson.current_text['de']}“)."
    who = ", ".join(names) + f" and {more} more" if more else _join(names, lang)
    verb = "has" if len(lesson.peers) == 1 else "have"
    return f"{who} {verb} \"{values}\" for \"{lesson.name_en}\" (here: \"{lesson.current_text['en']}\")."
