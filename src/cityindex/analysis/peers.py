"""Peers of a city in one edition: same state, same region, ranking neighbours."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cityindex.analysis.history import entry
from cityindex.cities import City, CityRegister
from cityindex.editions import EditionView


@dataclass(frozen=True)
class Peer:
    """Another city's overall result in the same edition (rank/score None = not published)."""

    ags: str
    name: str
    rank: int | None
    score: float | None


def _peer(edition: EditionView, city: City) -> Peer:
    e = entry(edition, city.ags)
    return Peer(city.ags, city.name, e.rank, e.score)


def _sorted(peers: list[Peer]) -> list[Peer]:
    return sorted(peers, key=lambda p: (p.rank is None, p.rank or 0, p.name))


def group_peers(edition: EditionView, city: City, members: list[City]) -> list[Peer]:
    """Members other than *city*, by published rank; unpublished ones last."""
    return _sorted([_peer(edition, other) for other in members if other.ags != city.ags])


def state_peers(edition: EditionView, city: City, register: CityRegister) -> list[Peer]:
    return group_peers(edition, city, register.filter(state=city.state_code))


def region_peers(edition: EditionView, city: City, register: CityRegister) -> dict[str, list[Peer]]:
    return {region: group_peers(edition, city, register.filter(region=region)) for region in city.regions}


def neighbours(edition: EditionView, city: City, register: CityRegister, *, k: int = 2) -> list[Peer]:
    """Up to *k* cities with the nearest published ranks above and below the city's rank."""
    rank = entry(edition, city.ags).rank
    if rank is None:
        return []
    ranked = [(ags, r) for ags, r in _ranked(edition) if ags != city.ags]
    above = [ags for ags, r in ranked if r <= rank][-k:]
    below = [ags for ags, r in ranked if r > rank][:k]
    return [_peer(edition, register.get(ags)) for ags in [*above, *below]]


@lru_cache(maxsize=64)
def _ranked(edition: EditionView) -> tuple[tuple[str, int], ...]:
    """(AGS, rank) of every ranked city of the overall ranking, by rank (once per edition view)."""
    ranking = edition.ranking("overall").dropna(subset=["rank"])
    return tuple(zip(ranking["ags"], ranking["rank"].astype(int)))


def split_ahead_behind(peers: list[Peer], rank: int | None) -> tuple[list[Peer], list[Peer], list[Peer]]:
    """(ahead, behind, unpublished) relative to *rank*; ahead/behind empty when *rank* is None."""
    unknown = [p for p in peers if p.rank is None]
    if rank is None:
        return [], [], unknown
    ahead = [p for p in peers if p.rank is not None and p.rank < rank]
    behind = [p for p in peers if p.rank is not None and p.rank >= rank]
    return ahead, behind, unknown


@dataclass(frozen=True)
class PeerGroup:
    """Comparable cities of one kind: the same state, size class or region (the city excluded)."""

    key: str  # "state", "size_class" or "region:<code>"
    label_de: str
    label_en: str
    members: tuple[City, ...]

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en


def peer_groups(city: City, register: CityRegister) -> list[PeerGroup]:
    """The city's comparison groups: its state, its size class and each of its regions."""
    from cityindex.cities import REGIONS, SIZE_CLASSES

    def others(members: list[City]) -> tuple[City, ...]:
        return tuple(c for c in members if c.ags != city.ags)

    _, _, size_de, size_en = SIZE_CLASSES[city.size_class]
    groups = [
        PeerGroup("state", city.state, city.state, others(register.filter(state=city.state_code))),
        PeerGroup("size_class", f"Größenklasse {size_de}", f"size class {size_en}",
                  others(register.filter(size_class=city.size_class))),
    ]
    groups += [PeerGroup(f"region:{r}", REGIONS[r][0], REGIONS[r][1], others(register.filter(region=r)))
               for r in city.regions]
    return groups
