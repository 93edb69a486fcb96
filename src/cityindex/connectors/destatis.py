"""Destatis population per municipality: the denominators of per-capita parameters.

* GENESIS (Regionalstatistik) table ``12411-01-01-5`` — "Bevölkerung nach Geschlecht, Stichtag
  31.12., Gemeinden" — through the GENESIS-Online REST API 2020 (``POST data/tablefile``, format
  ``ffcsv``; credentials in the HTTP headers ``username``/``password``, read from the settings
  ``genesis_username``/``genesis_password`` or the environment ``CITYINDEX_GENESIS_USERNAME``/
  ``CITYINDEX_GENESIS_PASSWORD``). ``parse_ffcsv`` reads the flat-file CSV (``;``, UTF-8 with BOM,
  decimal comma, missing symbols ``.``, ``-``, ``...``, ``/``, ``x``).
* GV-ISys, the Gemeindeverzeichnis extract (XLSX, sheet ``Onlineprodukt_Gemeinden…``, data from
  row 7, records of Satzart 60 are municipalities) — population, area, coordinates.

``population_changes`` compares a fresh download with the stored denominators.
"""

from __future__ import annotations

import io
import json
import os

import pandas as pd

from cityindex.connectors.base import (Assignment, DownloadError, Source, SourceFormatError,
                                       coordinates, frame_values, german_numbers, index_cities)

SOURCE = Source(
    key="destatis-genesis", title="Regionalstatistik GENESIS 12411-01-01-5 (Bevölkerung, Gemeinden)",
    publisher="Statistische Ämter des Bundes und der Länder",
    url="https://www.regionalstatistik.de/genesis/online?operation=table&code=12411-01-01-5",
    licence="dl-de/by-2-0", attribution="© Statistische Ämter des Bundes und der Länder, dl-de/by-2-0",
    parameters=("population",),
    note="Population on 31 Dec per municipality; the denominator of per-capita parameters.",
)
GV_SOURCE = Source(
    key="destatis-gv", title="Gemeindeverzeichnis-Informationssystem (GV-ISys), Auszug",
    publisher="Statistisches Bundesamt (Destatis)",
    url="https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html",
    licence="dl-de/by-2-0", attribution="© Statistisches Bundesamt (Destatis), dl-de/by-2-0",
    parameters=("population",),  # area and coordinates are parsed (parse_gv_isys) but not assigned
    note="Municipality directory with area, population and coordinates.",
)
API_URL = "https://www.regionalstatistik.de/genesisws/rest/2020/data/tablefile"
TABLE = "12411-01-01-5"
GV_COLUMNS = ["satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gem", "name", "area_km2",
              "population", "male", "female", "density", "postcode", "lon", "lat"]


# --- GENESIS ffcsv -------------------------------------------------------------------------


def parse_ffcsv(data: bytes) -> pd.DataFrame:
    """ffcsv of a Gemeinde table → ags, name, date, value (totals only; missing symbols → NaN)."""
    frame = pd.read_csv(io.BytesIO(data), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    needed = {"time", "1_variable_code", "1_variable_attribute_code", "1_variable_attribute_label", "value"}
    if not needed <= set(frame.columns):
        raise SourceFormatError(f"ffcsv: missing columns {sorted(needed - set(frame.columns))}; "
                                "request the table with format=ffcsv")
    frame = frame[frame["1_variable_code"] == "GEMEIN"]
    if "2_variable_attribute_code" in frame:  # a breakdown (e.g. GES Geschlecht): keep the total
        frame = frame[frame["2_variable_attribute_code"].str.strip() == ""]
    return pd.DataFrame({"ags": frame["1_variable_attribute_code"].str.strip().str.zfill(8),
                         "name": frame["1_variable_attribute_label"], "date": frame["time"],
                         "value": german_numbers(frame["value"])}).reset_index(drop=True)


def credentials(settings=None) -> tuple[str, str]:
    """GENESIS user name and password from the settings or the environment."""
    user = getattr(settings, "genesis_username", None) or os.environ.get("CITYINDEX_GENESIS_USERNAME")
    password = getattr(settings, "genesis_password", None) or os.environ.get("CITYINDEX_GENESIS_PASSWORD")
    if not user or not password:
        raise DownloadError("GENESIS needs credentials: set CITYINDEX_GENESIS_USERNAME and "
                            "CITYINDEX_GENESIS_PASSWORD (free registration at regionalstatistik.de).")
    return user, password


def request_form(*, year: int, regionalkeys: list[str]) -> dict:
    """The form body of ``data/tablefile`` for the index cities in one year."""
    return {"name": TABLE, "area": "all", "compress": "false", "startyear": str(year), "endyear": str(year),
            "regionalvariable": "GEMEIN", "regionalkey": ",".join(regionalkeys), "format": "ffcsv",
            "language": "de", "quality": "off", "job": "false"}


def check_envelope(data: bytes) -> bytes:
    """GENESIS answers errors with a JSON envelope instead of the file; turn it into an error."""
    head = data.lstrip()[:1]
    if head != b"{":
        return data
    status = json.loads(data).get("Status", {})
    raise DownloadError(f"GENESIS {TABLE}: status {status.get('Code')}: {status.get('Content')}")


# --- GV-ISys -------------------------------------------------------------------------------


def parse_gv_isys(data: bytes) -> pd.DataFrame:
    """GV-ISys XLSX → one row per municipality (Satzart 60): ags, name, area_km2, population, lat, lon."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = next((s for s in book.worksheets if s.title.startswith("Onlineprodukt_Gemeinden")), None)
    if sheet is None:
        raise SourceFormatError("GV-ISys: no sheet 'Onlineprodukt_Gemeinden…'; is this the Gemeindeverzeichnis extract?")
    records = []
    for row in sheet.iter_rows(min_row=7, values_only=True):
        satzart = str(row[0]).strip() if row and row[0] is not None else ""
        if not satzart.isdigit():
            break
        if satzart == "60":
            records.append(list(row[:16]) + [None] * (16 - len(row[:16])))
    book.close()
    frame = pd.DataFrame(records, columns=GV_COLUMNS, dtype=object)
    key = frame[["land", "rb", "kreis", "gem"]].astype(str)
    ags = key.land.str.zfill(2) + key.rb.str[:1] + key.kreis.str.zfill(2) + key.gem.str.zfill(3)
    return pd.DataFrame({"ags": ags, "name": frame.name.astype(str), "area_km2": german_numbers(frame.area_km2),
                         "population": german_numbers(frame.population),
                         "lat": coordinates(frame.lat), "lon": coordinates(frame.lon)})


# --- assign --------------------------------------------------------------------------------


def assign_population(rows: pd.DataFrame, *, as_of: str, source: Source = SOURCE,
                      source_url: str = "") -> Assignment:
    """Population per index city; rows of other municipalities are reported as unassigned."""
    cities = index_cities()
    by_ags = rows.drop_duplicates("ags").set_index("ags")
    column = "value" if "value" in by_ags else "population"
    out = [{"ags": a, "parameter": "population", "value": _int_text(by_ags[column].get(a)),
            "unit": "inhabitants", "as_of": as_of, "note": ""} for a in cities.ags]
    values = frame_values(out, source, source_url=source_url or source.url, licence=source.licence)
    other = by_ags.index.difference(cities.ags)
    return Assignment(values, pd.DataFrame({"row": list(other), "reason": "not an index city"}))


def _int_text(value) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def population_changes(values: pd.DataFrame) -> pd.DataFrame:
    """Fresh population vs the stored denominators (cities.csv): city, stored, new, change."""
    stored = index_cities().set_index("ags")
    new = values[values.parameter == "population"].set_index("ags")
    frame = pd.DataFrame({"city": stored.name, "stored": stored.population,
                          "new": pd.to_numeric(new.value.reindex(stored.index), errors="coerce")})
    frame["change"] = frame.new - frame.stored
    return frame.reset_index()
