"""Every data source the website shows, with its licence and the attribution it requires.

Kept in one place so the footer, the sources page, the methodology page and the downloads page
agree. The open-pilot rows are the connectors' own source descriptions
(``cityindex.connectors.SOURCES``, also listed by ``cityindex sources``), so a source's licence and
attribution are written once; the connectors describe a source in English, and ``GERMAN`` gives
each descriptive name, description (and each licence written as prose) in German for the German
pages. The published Bitkom numbers carry one source URL each (``data/published/provenance.csv``).
"""

from cityindex.connectors.open_pilot import SOURCE_KEYS as OPEN_PILOT_KEYS
from cityindex.connectors.registry import SOURCES as CONNECTOR_SOURCES
from cityindex.web.geo import ATTRIBUTION as GEO_ATTRIBUTION

#: Sources of the bundled data that no connector reads (the published editions, the register, the map).
_BUNDLED: tuple[dict[str, dict[str, str] | str], ...] = (
    {"name": {"de": "Bitkom Smart City Index 2019–2025 (veröffentlichte Ergebnisse)",
              "en": "Bitkom Smart City Index 2019–2025 (published results)"},
     "what": {"de": "Plätze, Punkte und Tendenz, wie von Bitkom veröffentlicht und in der Presse berichtet; eine URL je Zahl",
              "en": "ranks, scores and rank changes as published by Bitkom and reported by the press; one URL per number"},
     "licence": {"de": "Fakten mit Quelle; siehe provenance.csv", "en": "facts with source; see provenance.csv"},
     "attribution": "", "url": "https://www.bitkom.org/Smart-City-Index"},
    {"name": "Destatis Gemeindeverzeichnis (GV-ISys), Gebietsstand 31.12.2020",
     "what": {"de": "AGS, Einwohner am 31.12.2019, Fläche und Koordinaten der Städte",
              "en": "AGS, population 31.12.2019, area, coordinates of the cities"},
     "licence": "dl-de/by-2-0", "attribution": "© Statistisches Bundesamt (Destatis), dl-de/by-2-0",
     "url": "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html"},
    {"name": "BKG Verwaltungsgebiete 1:250 000 (VG250)",
     "what": {"de": "Ländergrenzen der Karte, Stadtgrenzen für die Zuordnung von Punkten",
              "en": "state borders of the map, city boundaries for point-in-polygon assignment"},
     "licence": "dl-de/by-2-0", "attribution": GEO_ATTRIBUTION, "url": "https://gdz.bkg.bund.de"},
)

#: German text of the connectors' English source descriptions and prose licences, by source key.
GERMAN: dict[str, dict[str, str]] = {
    "gbfs": {"name": "GBFS-Systemkatalog von MobilityData (systems.csv)",
             "what": "Katalog öffentlicher GBFS-Sharing-Feeds; gezählt werden Feeds, nicht Angebote."},
    "freifunk": {"name": "API-Verzeichnis von freifunk.net",
                 "what": "Verzeichnis der Freifunk-Communities (freies Gemeinschafts-WLAN), die an der API von freifunk.net teilnehmen."},
    "freifunk-nodes": {"name": "API-Dateien der Freifunk-Communities",
                       "what": "Knotenzahlen aus der API-Datei jeder Community; je Stadt unterschiedlich alt und oft regional, daher nur Kontext.",
                       "licence": "Faktenangabe aus einer Community-API-Datei; die Datei wird nicht weitergegeben"},
    "codefor": {"name": "Website von Code for Germany (okfde/codefor.de)",
                "what": "Lab-Seiten des OK-Lab-Netzwerks; genutzt werden nur Stadt und Status."},
    "mpsc": {"name": "Auswahllisten der Modellprojekte Smart Cities",
             "what": "In den drei Runden 2019–2021 des Bundesförderprogramms ausgewählte Städte (als Stadt oder Partner).",
             "licence": "Fakten aus öffentlichen Bekanntmachungen; Seitentext nicht übernommen"},
    "opendata-guru": {"name": "Portalliste von opendata.guru (data-portallist-de)",
                      "what": "Liste deutscher Open-Data-Portale und Herausgeber mit Typ, URL, AGS/RS und letzter Prüfung."},
    "musterdatenkatalog": {"what": "Ordnet jeden GovData-Herausgebernamen einer Kommune zu."},
    "onleihe": {"what": "Bibliotheken mit Onleihe-Angebot (divibib): Land, Ort, Bibliothek, Verbund, Medienzahlen."},
    "ladesaeulen": {"what": "Register der öffentlichen Ladeeinrichtungen, die der Bundesnetzagentur gemeldet sind (vollständig nur für Betreiber, die die Meldung abgeschlossen haben)."},
    "destatis-genesis": {"what": "Einwohner am 31.12. je Gemeinde; Nenner der Werte je Einwohner."},
    "destatis-gv": {"what": "Gemeindeverzeichnis mit Fläche, Einwohnern und Koordinaten."},
    "breitbandatlas": {
        "name": "Breitbandatlas (Bundesnetzagentur, Gigabit-Grundbuch), historisches Paket 3",
        "what": ("Anteil der Haushalte, gewerblichen Standorte und Wohnbauflächen mit Breitband bzw. 5G je Gemeinde "
                 "(5G je Kreis), Mitte 2019 bis Mitte 2021. Bedingungen des Breitbandatlas: freie kommerzielle und "
                 "nicht-kommerzielle Nutzung, Namensnennung „Breitbandatlas | Gigabit-Grundbuch "
                 "(gigabitgrundbuch.bund.de)“, Änderungen sind zu kennzeichnen (laut README des Spiegels; das "
                 "Spiegel-Repository hat keine eigene Lizenz)."),
        "licence": "Bedingungen des Breitbandatlas: freie Nutzung, Nennung „Breitbandatlas | Gigabit-Grundbuch“, "
                   "Änderungen gekennzeichnet"},
    "parkapi": {"name": "ParkenDD ParkAPI (Scraper v1 je Stadt) und parkapi-sources-v3 (Quellentabelle)",
                "what": "Städte, deren Parkhausbelegung in Echtzeit in die offene ParkAPI gelangt (Scraper oder Lieferung)."},
    "opengeoedu": {"name": "Liste offener Datenportale von OpenGeoEdu (portale_geocoded4.csv)",
                   "what": "Open-Data-Portale und Geoportale von Gemeinden, Kreisen, Ländern und Bund."},
}


def _text(value: dict[str, str] | str, lang: str) -> str:
    return value if isinstance(value, str) else value[lang]


def _open_pilot_row(key: str, lang: str) -> dict[str, str]:
    source = CONNECTOR_SOURCES[key]
    name, what, licence = source.title, source.note or ", ".join(source.parameters), source.licence
    if lang == "de":
        german = GERMAN.get(key, {})
        name, what, licence = german.get("name", name), german.get("what", what), german.get("licence", licence)
    prefix = "Offene Ausgabe" if lang == "de" else "open edition"
    return {"name": name, "what": f"{prefix}: {what}", "licence": licence,
            "attribution": source.attribution, "url": source.url}


def licence_text(licence: str | None, lang: str = "de") -> str:
    """A data point's licence in *lang*: the German text of a connector's prose licence."""
    return _in_german(licence, "licence", "licence", lang)


def source_name_text(name: str | None, lang: str = "de") -> str:
    """A data point's source name in *lang*: the German name of a connector's descriptive title."""
    return _in_german(name, "title", "name", lang)


def _in_german(text: str | None, attribute: str, field: str, lang: str) -> str:
    if not text or lang != "de":
        return text or ""
    for key, source in CONNECTOR_SOURCES.items():
        if getattr(source, attribute) == text:
            return GERMAN.get(key, {}).get(field, text)
    return text


def sources(lang: str = "de") -> list[dict[str, str]]:
    """Every source with name, description, licence, attribution and URL in *lang*."""
    bundled = [{k: _text(v, lang) for k, v in row.items()} for row in _BUNDLED]
    return bundled + [_open_pilot_row(key, lang) for key in OPEN_PILOT_KEYS]


SOURCES: tuple[dict[str, str], ...] = tuple(sources("en"))
