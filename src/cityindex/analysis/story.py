"""A city's story: one object with everything the narrative, the CLI and the website show."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from cityindex.analysis import areas as _areas
from cityindex.analysis import history as _history
from cityindex.analysis import peers as _peers
from cityindex.analysis import values as _values
from cityindex.cities import City, CityRegister, load_register
from cityindex.editions import EditionView, get_edition, list_editions, published_editions
from cityindex.published import NOTES, Note


@dataclass(frozen=True)
class CityStory:
    """Rank and score per edition, changes, areas, contributions, peers and caveats of one city."""

    city: City
    edition: EditionView
    history: list[_history.EditionEntry]
    current: _history.EditionEntry
    change_previous: _history.Change | None
    change_since_first: _history.Change | None
    areas: list[_areas.AreaResult]
    unassigned: list[dict]
    contributions: list[_areas.Contribution]
    state_peers: list[_peers.Peer]
    region_peers: dict[str, list[_peers.Peer]]
    neighbours: list[_peers.Peer]
    notes: list[Note]
    area_history: list[dict]
    values: list[dict] = field(default_factory=list)  # computed editions: value and source per parameter
    moved_by: list = field(default_factory=list)  # computed editions: values that differ from the previous edition

    @property
    def strengths(self) -> list[_areas.AreaResult]:
        return [a for a in self.areas if a.position == "strength"]

    @property
    def weaknesses(self) -> list[_areas.AreaResult]:
        return [a for a in self.areas if a.position == "weakness"]

    def to_dict(self) -> dict:
        """JSON-ready dict (the edition as key/title/n_cities; notes in both languages)."""
        out = {
            "city": self.city.to_dict(),
            "edition": {"key": self.edition.key, "title": self.edition.title, "year": self.edition.year,
                        "kind": self.edition.kind, "n_cities": self.edition.n_cities},
        }
        for name in ("history", "current", "change_previous", "change_since_first", "areas",
                     "contributions", "state_peers", "region_peers", "neighbours", "notes", "area_history", "values",
                     "moved_by"):
            out[name] = _plain(getattr(self, name))
        out["unassigned"] = self.unassigned
        out["strengths"] = [a.scope for a in self.strengths]
        out["weaknesses"] = [a.scope for a in self.weaknesses]
        assumed = any(c.weights_assumed for c in self.contributions)
        out["assumptions"] = [_areas.EQUAL_WEIGHTS_NOTE["en"]] if assumed else []
        return out


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value


def _pick(universe: list[EditionView], key: str | int) -> EditionView:
    for view in universe:
        if view.key == str(key).strip():
            return view
    return get_edition(key)  # raises UnknownEdition naming the known keys


def _default_universe(edition: str | int | EditionView | None) -> list[EditionView]:
    """Every edition for a story about a computed edition; for a published one (or the default,
    which is published) the published editions suffice, so the store is not opened."""
    published = published_editions()
    key = edition.key if isinstance(edition, EditionView) else edition
    if key is None or str(key).strip() in {e.key for e in published}:
        return published
    return list_editions()


def _default_edition(city: City, universe: list[EditionView]) -> EditionView:
    """The latest published edition in which the city has an overall rank, else the latest one."""
    editions = [e for e in universe if e.kind == "published"] or universe
    ranked = [e for e in editions if _history.entry(e, city.ags).rank is not None]
    return (ranked or editions)[-1]


def _notes(city: City, edition: EditionView, history: list[_history.EditionEntry], scopes: set[str]) -> list[Note]:
    # NOTES are caveats about Bitkom's published numbers: a computed series of the same years
    # (open-2021, …) shows none of them.
    years = {e.year for e in history} if edition.kind == "published" else set()
    own = [n for n in NOTES if n.city == city.name and n.edition in years]
    general = [n for n in edition.notes if n.city is None and (n.scope is None or n.scope in scopes)
               and (not n.cities or city.name in n.cities)]  # a note naming other cities is theirs
    return general + own


def city_story(name_or_ags: str, *, edition: str | int | EditionView | None = None,
               editions: list[EditionView] | None = None,
               register: CityRegister | None = None) -> CityStory:
    """The story of one city in one edition (default: its latest published edition with a rank).

    *editions* is the universe to read from (default: every edition, ``list_editions()``);
    history is taken from the editions of the same series, in the given order, and the change
    from the edition the current one names as ``previous``.
    """
    register = register or load_register()
    city = register.get(name_or_ags)
    universe = list(editions) if editions is not None else _default_universe(edition)
    if isinstance(edition, EditionView):
        current = edition
        universe = universe if any(e.key == edition.key for e in universe) else [*universe, edition]
    else:
        current = _pick(universe, edition) if edition is not None else _default_edition(city, universe)
    series = [e for e in universe if e.series == current.series]
    entries = _history.history(series, city.ags)
    previous = _pick(universe, current.previous) if current.previous else None
    area_results = _areas.areas(current, city.ags)
    known_scopes = {"overall"} | {a.scope for a in area_results if a.rank is not None or a.score is not None}
    now = entries[[e.key for e in entries].index(current.key)]
    return CityStory(
        city=city, edition=current, history=entries, current=now,
        change_previous=_history.change_vs_previous(
            now, _history.entry(previous, city.ags) if previous is not None else None,
            computed=current.kind == "computed"),
        change_since_first=_history.change_since_first(entries, current.key),
        areas=area_results, unassigned=_areas.unassigned(current, city.ags),
        contributions=_areas.contributions(current, previous, city.ags),
        state_peers=_peers.state_peers(current, city, register),
        region_peers=_peers.region_peers(current, city, register),
        neighbours=_peers.neighbours(current, city, register),
        notes=_notes(city, current, entries, known_scopes),
        area_history=_areas.area_history(series, city.ags),
        values=_values.city_values(current, city.ags),
        moved_by=_moved_by(current, previous, city),
    )


def _moved_by(current: EditionView, previous: EditionView | None, city: City) -> list:
    """The city's values that differ from the previous computed edition (``series.movers``)."""
    if previous is None or current.methodology is None or previous.datapoints is None:
        return []
    from cityindex.series.movers import value_changes

    return value_changes(current, previous, city.ags, city.name)
