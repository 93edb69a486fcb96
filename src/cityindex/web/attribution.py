"""Every data source the website shows, with its licence and the attribution it requires.

Kept in one place so the footer, the methodology page and the downloads page agree. The
open-pilot rows follow data/open_pilot (see its SOURCES.md); the published Bitkom numbers
carry one source URL each (``data/published/provenance.csv``).
"""

SOURCES: tuple[dict[str, str], ...] = (
    {"name": "Bitkom Smart City Index 2019–2025 (veröffentlichte Ergebnisse)",
     "what": "ranks, scores, Tendenz as published by Bitkom and reported by the press; one URL per number",
     "licence": "facts with source; see provenance.csv", "url": "https://www.bitkom.org/Smart-City-Index"},
    {"name": "Destatis Gemeindeverzeichnis (GV-ISys), Gebietsstand 31.12.2020",
     "what": "AGS, population 31.12.2019, area, coordinates of the cities",
     "licence": "dl-de/by-2-0, © Statistisches Bundesamt (Destatis)",
     "url": "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html"},
    {"name": "BKG Verwaltungsgebiete 1:250 000 (VG250)", "what": "state borders of the map",
     "licence": "© GeoBasis-DE / BKG (2017), dl-de/by-2-0", "url": "https://gdz.bkg.bund.de"},
    {"name": "MobilityData GBFS systems catalogue", "what": "open pilot: sharing feeds per city",
     "licence": "CC BY 3.0, © MobilityData", "url": "https://github.com/MobilityData/gbfs"},
    {"name": "freifunk.net API directory", "what": "open pilot: Freifunk community per city",
     "licence": "CC0 1.0", "url": "https://github.com/freifunk/directory.api.freifunk.net"},
    {"name": "Freifunk community API files", "what": "open pilot: stated node counts (context only)",
     "licence": "facts only; files not redistributed", "url": "https://api.freifunk.net"},
    {"name": "Code for Germany website (okfde/codefor.de)", "what": "open pilot: OK Labs",
     "licence": "MIT", "url": "https://github.com/okfde/codefor.de"},
    {"name": "Modellprojekte Smart Cities selection lists", "what": "open pilot: funded model projects",
     "licence": "facts from public announcements", "url": "https://www.smart-city-dialog.de"},
    {"name": "opendata.guru portal list", "what": "open pilot: municipal open-data portals",
     "licence": "MIT", "url": "https://github.com/opendata-guru"},
    {"name": "Musterdatenkatalog V4 (Bertelsmann Stiftung)", "what": "open pilot: GovData publishers",
     "licence": "CC0 1.0", "url": "https://www.bertelsmann-stiftung.de/musterdatenkatalog"},
    {"name": "onbibdb (natowi)", "what": "open pilot: Onleihe public libraries",
     "licence": "CC BY 3.0", "url": "https://github.com/natowi/onbibdb"},
    {"name": "Bundesnetzagentur Ladesäulenregister (2019)", "what": "open pilot: public charging points",
     "licence": "CC BY 4.0, © Bundesnetzagentur", "url": "https://www.bundesnetzagentur.de/ladesaeulenkarte"},
)
