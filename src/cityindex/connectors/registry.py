"""Every source a connector reads, by key (used by ``cityindex sources`` and ``cityindex collect``)."""

from __future__ import annotations

from cityindex.connectors import (breitbandatlas, codefor, destatis, freifunk, gbfs, ladesaeulen, mpsc,
                                  musterdatenkatalog, onleihe, opendata_guru, opengeoedu, parkapi)
from cityindex.connectors.base import Source
from cityindex.errors import CityIndexError

SOURCES: dict[str, Source] = {s.key: s for s in (
    gbfs.SOURCE, freifunk.SOURCE, freifunk.NODES_SOURCE, codefor.SOURCE, mpsc.SOURCE,
    opendata_guru.SOURCE, musterdatenkatalog.SOURCE, onleihe.SOURCE, ladesaeulen.SOURCE,
    breitbandatlas.SOURCE, parkapi.SOURCE, opengeoedu.SOURCE, destatis.SOURCE, destatis.GV_SOURCE,
)}


class UnknownSource(CityIndexError):
    """No connector has that source key; run `cityindex sources` for the list."""


def get_source(key: str) -> Source:
    try:
        return SOURCES[key]
    except KeyError:
        raise UnknownSource(f"Unknown source {key!r}; known sources: {', '.join(SOURCES)}.") from None
