"""Breitbandatlas (Bundesnetzagentur, Gigabit-Grundbuch): broadband and 5G availability, historic "Paket 3".

The mid-year files of 2019–2021 as mirrored in hhilbig/broadband (``data/Paket_3/``):

* households (``gemeinde[_bezirke]_privat_<year>_mitte.csv``) → ``bba_gigabit_hh`` (≥ 1000 Mbit/s,
  all technologies), ``bba_ftthb_hh`` (FTTH/B ≥ 100 Mbit/s), ``bba_100_hh`` (≥ 100 Mbit/s);
* business locations (``gemeinde[_bezirke]_gewerbe_gwg_<year>_mitte.csv``) → ``bba_gigabit_business``
  (wired ≥ 1000 Mbit/s; the 2019 file has another schema without that column: unknown);
* districts (``landkreis_mobilfunk_stats_2021_1.csv``) → ``bba_5g_residential`` (5G on residential
  area). A city that is not a district of its own gets its district's value, marked as a proxy;
  the district names are in ``side/breitbandatlas.kreise.json``.

The three layouts differ (2019 ``;`` with quotes, 2020 ``;`` without, 2021 ``,`` with quotes and two
more thresholds); columns are found by their header. Rows are matched by AGS; Göttingen appears under
its key before 2016, 03152012. Values are kept as the file writes them (percent). The open pilot names
the 2021 values with the suffix ``_2021`` (e.g. ``bba_gigabit_hh_2021``).

Terms: the mirror has no licence file; its README and a Bundesnetzagentur message kept in it state
free commercial and non-commercial use with the credit "Breitbandatlas | Gigabit-Grundbuch" and
changes marked. Shown wherever these values appear.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from cityindex.connectors.base import Assignment, Source, SourceFormatError, frame_values, github_blob_url, index_cities
from cityindex.connectors.matching import SIDE_DIR, read_side

REPO = "hhilbig/broadband"
COMMIT = "477bec2131efffc3b8ed1556831c997e4daff768"
DIR = "data/Paket_3/"
CREDIT = "Breitbandatlas | Gigabit-Grundbuch (gigabitgrundbuch.bund.de)"
#: The terms as the mirror states them (its README and a Bundesnetzagentur message kept in it).
TERMS = (f"Breitbandatlas terms: free commercial and non-commercial use, attribution '{CREDIT}', changes to be "
         "marked (as stated in the mirror's README; the mirror repository has no licence of its own)")
#: The same in the 100 characters a data point's licence field holds.
LICENCE = "Breitbandatlas terms: free use, credit 'Breitbandatlas | Gigabit-Grundbuch', changes marked"
SOURCE = Source(
    key="breitbandatlas", title="Breitbandatlas (Bundesnetzagentur, Gigabit-Grundbuch), historic Paket 3",
    publisher="Bundesnetzagentur (Gigabit-Grundbuch); mirror hhilbig/broadband",
    url="https://github.com/hhilbig/broadband", licence=LICENCE, attribution=CREDIT,
    parameters=("bba_gigabit_hh", "bba_ftthb_hh", "bba_100_hh", "bba_gigabit_business", "bba_5g_residential"),
    note="Share of households, business locations and residential area with broadband / 5G, per "
         "municipality (5G per district), mid-2019 to mid-2021. " + TERMS + ".",
)
HOUSEHOLDS = {"bba_gigabit_hh": "alle Technologien ≥ 1000 Mbit/s", "bba_ftthb_hh": "FTTH/B ≥ 100 Mbit/s",
              "bba_100_hh": "alle Technologien ≥ 100 Mbit/s"}
BUSINESS = {"bba_gigabit_business": "leitungsg. Technologien ≥ 1000 Mbit/s"}
UNITS = {"bba_gigabit_hh": "% of households", "bba_ftthb_hh": "% of households", "bba_100_hh": "% of households",
         "bba_gigabit_business": "% (business locations)", "bba_5g_residential": "% of residential area"}
OLD_KEYS = {"03159016": "03152012"}  # Göttingen: key before the district reform of 2016
FILE = re.compile(r"(gemeinde(?:_bezirke)?_(privat|gewerbe_gwg)_(\d{4})_mitte|landkreis_mobilfunk_stats_(\d{4})_\d)\.csv$")


def parse(data: bytes) -> pd.DataFrame:
    """A Paket 3 CSV (any of its layouts) → text columns with stripped header names, key column ``AGS``."""
    text = data.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("Unnamed")]]
    key = next((c for c in frame.columns if c.lower() == "ags"), None)
    if key is None:
        raise SourceFormatError("Breitbandatlas file: no AGS column in the header line")
    return frame.rename(columns={key: "AGS"}).assign(AGS=lambda f: f.AGS.str.strip())


def _unknown_rows(parameters, note: str, as_of: str) -> list[dict]:
    return [{"ags": ags, "parameter": p, "value": "", "as_of": as_of, "note": note}
            for p in parameters for ags in index_cities().ags]


def assign_municipal(table: pd.DataFrame, columns: dict[str, str], *, as_of: str, source_url: str, label: str,
                     suffix: str = "") -> Assignment:
    """One value per city and parameter of *columns* (code → column header) from a municipal file.

    A missing column makes the parameter unknown for every city (the file has another schema); a city
    without a row (e.g. one published only as its districts) is unknown.
    """
    rows = table.set_index("AGS")
    out = []
    for code, column in columns.items():
        if column not in table.columns:
            schema = ", ".join(table.columns[:4])
            out += _unknown_rows([code + suffix], f"file {label} has no column '{column}' (other schema: {schema}, …)",
                                 as_of)
            continue
        for ags in index_cities().ags:
            key = ags if ags in rows.index else OLD_KEYS.get(ags, ags)
            value = rows.at[key, column] if key in rows.index else ""
            note = f"{label}; column '{column}'" + (f"; old AGS {key}" if key != ags else "") if key in rows.index \
                else "AGS not in file"
            out.append({"ags": ags, "parameter": code + suffix, "value": str(value).strip(), "as_of": as_of,
                        "unit": UNITS[code], "note": note})
    return Assignment(frame_values(out, SOURCE, source_url=source_url, licence=SOURCE.licence))


def district(ags: str) -> str:
    """The 5-digit district key of a city (Göttingen: the old Landkreis 03152)."""
    return OLD_KEYS.get(ags, ags)[:5]


def assign_5g(table: pd.DataFrame, *, as_of: str, source_url: str, label: str, suffix: str = "") -> Assignment:
    """5G (``5G2``) availability on residential area (``Wohnbaufläche``) of the city's district."""
    needed = {"Technologie", "Flaechenart", "Verfügbarkeit"}
    if not needed <= set(table.columns):
        raise SourceFormatError(f"{label}: expected the columns {', '.join(sorted(needed))}")
    hit = table[(table.Technologie.str.strip() == "5G2") & (table.Flaechenart.str.strip() == "Wohnbaufläche")]
    by_district = dict(zip(hit.AGS, hit["Verfügbarkeit"].str.strip()))
    names = read_side(SIDE_DIR / "breitbandatlas.kreise.json")["districts"]
    out = []
    for ags in index_cities().ags:
        key = district(ags)
        value = by_district.get(key, "")
        if not value:
            note = f"district {key} not in file"
        elif ags.endswith("000"):
            note = f"{label}; kreisfreie Stadt: district value = city value"
        else:
            note = f"{label}; KREIS-LEVEL PROXY: value of {names.get(key, key)} ({key}), city is kreisangehörig"
        out.append({"ags": ags, "parameter": "bba_5g_residential" + suffix, "value": value, "as_of": as_of,
                    "unit": UNITS["bba_5g_residential"], "note": note})
    return Assignment(frame_values(out, SOURCE, source_url=source_url, licence=SOURCE.licence))


def data_date(path: str) -> str:
    """The data date of a Paket 3 file from its name (``…_2021_mitte`` and ``…_2021_1``: 30 June)."""
    match = FILE.search(path)
    if not match:
        raise SourceFormatError(f"{path}: not a Paket 3 file name (…_privat_YYYY_mitte.csv, …_mobilfunk_stats_YYYY_1.csv)")
    return f"{match.group(3) or match.group(4)}-06-30"


def assign_file(data: bytes, path: str, *, commit: str = COMMIT, suffix: str = "") -> Assignment:
    """Parse and assign one Paket 3 file, whichever of the three series it is (known by its name)."""
    match = FILE.search(path)
    as_of = data_date(path)
    url = github_blob_url(REPO, commit, path)
    label = path.rsplit("/", 1)[-1]
    table = parse(data)
    if match.group(4):
        return assign_5g(table, as_of=as_of, source_url=url, label=label, suffix=suffix)
    columns = HOUSEHOLDS if match.group(2) == "privat" else BUSINESS
    return assign_municipal(table, columns, as_of=as_of, source_url=url, label=label, suffix=suffix)


def year_values(files) -> Assignment:
    """The year's values of every Breitbandatlas parameter (a series without a file that year: unknown)."""
    frames = []
    found = {"privat": False, "gewerbe_gwg": False, "mobilfunk": False}
    for version in files.files(REPO, DIR):
        match = FILE.search(version.source_path)
        if not match:
            continue
        frames.append(assign_file(version.read(), version.source_path, commit=version.commit).values)
        found[match.group(2) or "mobilfunk"] = True
    absent = {"privat": list(HOUSEHOLDS), "gewerbe_gwg": list(BUSINESS), "mobilfunk": ["bba_5g_residential"]}
    for series, present in found.items():
        if not present:
            note = _absent_note(files, series)
            frames.append(frame_values(_unknown_rows(absent[series], note, ""), SOURCE, source_url=SOURCE.url,
                                       licence=SOURCE.licence))
    return Assignment(pd.concat(frames, ignore_index=True))


def _absent_note(files, series: str) -> str:
    rows = files.listed(REPO, DIR)
    notes = [n for n in rows.note if n.startswith("ABSENT") and f"series '{series}'" in n]
    if notes:
        return notes[0].removeprefix("ABSENT:").strip()
    return f"no Breitbandatlas '{series}' file dated between 1 April and 1 July {files.year}"
