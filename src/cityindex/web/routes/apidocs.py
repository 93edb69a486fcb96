"""``/api/docs``: the JSON API described from the OpenAPI document, rendered without any CDN.

The OpenAPI document is English; the German page shows each endpoint's summary from
``SUMMARIES_DE`` (a test checks that every documented path has one) and the introduction from
the i18n tables. Descriptions are Markdown (``code`` in backticks), rendered by ``md``.
"""

from fastapi import APIRouter, Request

from cityindex.web.deps import LangDep, page
from cityindex.web.auth import PUBLIC
from cityindex.web.i18n import translator

router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])

#: German summaries of the documented endpoints, by path.
SUMMARIES_DE = {
    "/index.json": "Startseite: Spitze des Rankings und Sieger der Themenbereiche",
    "/staedte.json": "Alle Städte des Verzeichnisses",
    "/suche.json": "Tippfehlertolerante Suche nach Städten",
    "/staedte/{name}.json": "Stadtprofil: Verlauf, Themenbereiche, Vergleichsstädte, Zusammenfassung, Quellen",
    "/staedte/{name}.csv": "Veröffentlichte und berechnete Zahlen einer Stadt als CSV",
    "/staedte/{name}/{chart}.{fmt}": "Diagramm einer Stadt (verlauf, bereiche) als SVG oder PNG",
    "/vergleich.json": "Zwei bis fünf Städte vergleichen",
    "/karte.json": "Kartenpunkte einer Ausgabe",
    "/methodik.json": "Methodik: Grundsätze, Methodikdateien, Quellen und Lizenzen",
    "/downloads.json": "Herunterladbare Dateien je Ausgabe",
    "/downloads/{key}/export-{fmt}.zip": "Offener Datenexport einer berechneten Ausgabe aus dem Speicher (ZIP)",
    "/downloads/{key}.{fmt}": "Zeilen einer Ausgabe als CSV, JSON, XLSX oder Parquet",
    "/quellen.json": "Datenquellen, Lizenzen und Namensnennung",
    "/{edition}/ranking.json": "Gesamtranking einer Ausgabe (JSON)",
    "/{edition}/ranking/{scope}.json": "Ranking eines Themenbereichs einer Ausgabe (JSON)",
    "/{edition}/bewegung.json": "Auf- und Absteiger einer berechneten Ausgabe (JSON)",
    "/{edition}/statistik.json": "Statistische Prüfung einer Ausgabe (JSON)",
    "/staedte/{name}/was-waere-wenn.json": "Was wäre, wenn: Punkte und Plätze der Stadt mit anderen Werten "
                                           "(Abfrage: PARAMETER=WERT …)",
    "/staedte/{name}/bericht.json": "Inhalt des Stadtberichts (berechnete Ausgaben)",
    "/staedte/{name}/bericht": "Der Stadtbericht als eine HTML-Datei (Download)",
    "/staedte/{name}/bericht.pdf": "Der Stadtbericht als PDF (von Chromium gedruckt)",
    # with accounts on (docs/security.md)
    "/anmelden.json": "Wer angemeldet ist (JSON-Zwilling der Anmeldeseite)",
    "/konto.json": "Das Konto des angemeldeten Benutzers",
    "/team.json": "Startseite des Teams: gespeicherte Ausgaben mit ihrem Status",
    "/team/admin.json": "Benutzer mit Rolle, Städten, Status und zweitem Faktor (Admins)",
    "/team/admin/protokoll.json": "Das Sicherheitsprotokoll, neueste Einträge zuerst (Admins)",
    "/team/pruefung/{edition}.json": "Statusübersicht der Prüfrunde einer Ausgabe",
    "/team/pruefung/{edition}/eingang.json": "Eingang des Teams: die Einträge der Städte",
    "/pruefung.json": "Die Städte, die der angemeldete Benutzer prüft",
    "/pruefung/{city}.json": "Prüfseite einer Stadt (für ihre Prüferinnen und Prüfer und das Team)",
    "/pruefung/{city}/{edition}.json": "Prüfung einer Ausgabe durch eine Stadt: jeder Wert und jeder Eintrag",
    "/pruefung/{city}/{edition}/bereich/{area}.json": "Ein Themenbereich der Prüfung einer Stadt",
}


def api_docs_context(openapi: dict, lang: str = "en") -> dict:
    """One entry per documented path: method, path, summary (in *lang*), parameters."""
    endpoints = []
    for path, methods in openapi.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False)}
                      for p in op.get("parameters", [])]
            summary = op.get("summary", "")
            summary_lang = "de" if lang == "de" and path in SUMMARIES_DE else "en"
            if summary_lang == "de":
                summary = SUMMARIES_DE[path]
            endpoints.append({"method": method.upper(), "path": path, "summary": summary,
                              "summary_lang": summary_lang, "tags": op.get("tags", []), "parameters": params})
    description = openapi["info"].get("description", "") if lang == "en" else translator(lang)("api_intro")
    return {"title": openapi["info"]["title"], "version": openapi["info"]["version"],
            "description": description, "endpoints": endpoints, "openapi_url": "/api/openapi.json"}


@router.get("/api/docs")
def api_docs(request: Request, lang: LangDep):
    ctx = api_docs_context(request.app.openapi(), lang)
    return page(request, "api.html", ctx, lang=lang)
