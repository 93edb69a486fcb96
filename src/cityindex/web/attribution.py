"""Every data source the website shows, with its licence and the attribution it requires.

Kept in one place so the footer, the methodology page and the downloads page agree. The
open-pilot rows are the connectors' own source descriptions (``cityindex.connectors.SOURCES``,
also listed by ``cityindex sources``), so a source's licence and attribution are written once;
the published Bitkom numbers carry one source URL each (``data/published/provenance.csv``).
"""

from cityindex.connectors.open_pilot import SOURCE_KEYS as OPEN_PILOT_KEYS
from cityindex.connectors.registry import SOURCES as CONNECTOR_SOURCES
from cityindex.web.geo import ATTRIBUTION as GEO_ATTRIBUTION

#: Sources of the bundled data that no connector reads (the published editions, the register, the map).
_BUNDLED: tuple[dict[str, str], ...] = (
    {"name": "Bitkom Smart City Index 2019–2025 (veröffentlichte Ergebnisse)",
     "what": "ranks, scores, Tendenz as published by Bitkom and reported by the press; one URL per number",
     "licence": "facts with source; see provenance.csv", "attribution": "",
     "url": "https://www.bitkom.org/Smart-City-Index"},
    {"name": "Destatis Gemeindeverzeichnis (GV-ISys), Gebietsstand 31.12.2020",
     "what": "AGS, population 31.12.2019, area, coordinates of the cities",
     "licence": "dl-de/by-2-0", "attribution": "© Statistisches Bundesamt (Destatis), dl-de/by-2-0",
     "url": "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html"},
    {"name": "BKG Verwaltungsgebiete 1:250 000 (VG250)",
     "what": "state borders of the map, city boundaries for point-in-polygon assignment",
     "licence": "dl-de/by-2-0", "attribution": GEO_ATTRIBUTION, "url": "https://gdz.bkg.bund.de"},
)


def _open_pilot_row(key: str) -> dict[str, str]:
    source = CONNECTOR_SOURCES[key]
    return {"name": source.title, "what": f"open pilot: {source.note or ', '.join(source.parameters)}",
            "licence": source.licence, "attribution": source.attribution, "url": source.url}


SOURCES: tuple[dict[str, str], ...] = _BUNDLED + tuple(_open_pilot_row(key) for key in OPEN_PILOT_KEYS)
