"""Open-data export of an edition: results and data points as CSV, XLSX, Parquet or a Data Package.

Tables: ``overall`` (score, rank, rank change per city), ``areas`` and ``indicators`` (long,
one row per city and scope), ``datapoints`` (every value with its provenance). Text cells that
start with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) are prefixed with ``'`` in CSV
and XLSX so that spreadsheet programs never run them as formulas; the importer removes that
prefix again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from cityindex.errors import CityIndexError
from cityindex.floats import number_text
from cityindex.io.output import writing
from cityindex.store.datapoints import get_datapoints
from cityindex.store.db import Store
from cityindex.store.editions import edition_info
from cityindex.store.results import NoResult, load_result

FORMATS = ("csv", "xlsx", "parquet", "datapackage")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
TABLES = ("overall", "areas", "indicators", "datapoints", "review")
DESCRIPTIONS = {
    "overall": "Overall score, rank and rank change (previous rank − rank; positive = moved up) per city.",
    "areas": "Score, rank and rank change per city and area.",
    "indicators": "Indicator scores (0–100) per city.",
    "datapoints": "Every data point with its provenance (source, retrieval date, collector, licence).",
    "review": "The review round: how many of the edition's cities checked their data before publication.",
}


def neutralise(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise).astype(object)
    return out


def export_tables(store: Store, key: str) -> dict[str, pd.DataFrame]:
    """The edition's export tables (results need a computed Result; data points always exist)."""
    from cityindex.cities import load_register

    names = load_register().frame["name"]
    tables = {"datapoints": _datapoints(store, key, names)}
    review = _review(store, key)
    if review is not None:
        tables["review"] = review
    try:
        result = load_result(store, key)
    except NoResult:
        return tables
    long = result.to_long(rounded=True)
    long.insert(1, "city_name", long["city"].map(names))
    long = long.rename(columns={"city": "ags"})
    tables["overall"] = long[long["scope"] == "overall"].drop(columns="scope").reset_index(drop=True)
    tables["areas"] = long[long["scope"] != "overall"].rename(columns={"scope": "area"}).reset_index(drop=True)
    tables["indicators"] = _indicators(result, names)
    return {name: tables[name] for name in TABLES if name in tables}


def _datapoints(store: Store, key: str, names: pd.Series) -> pd.DataFrame:
    frame = get_datapoints(store, edition=key).rename(columns={"city": "ags"})
    frame.insert(1, "city_name", frame["ags"].map(names))
    frame["updated_at"] = frame["updated_at"].map(lambda t: t.isoformat(timespec="seconds") if t else None)
    return frame


def _review(store: Store, key: str) -> pd.DataFrame | None:
    """After publication: how many cities checked their data in the review round (None without one)."""
    from cityindex.review import review_summary

    if edition_info(store, key).status != "published":
        return None
    summary = review_summary(store, edition=key)
    if summary is None:
        return None
    return pd.DataFrame([{"edition": key, "cities": summary["cities"], "cities_checked": summary["reviewed"],
                          "share_checked": round(summary["share"], 4)}])


def review_sentence(table: pd.DataFrame | None) -> str:
    """``42 of 82 cities checked their data in the review round.`` (empty without a review table)."""
    if table is None or table.empty:
        return ""
    row = table.iloc[0]
    return f" {row['cities_checked']} of {row['cities']} cities checked their data in the review round."


def _indicators(result, names: pd.Series) -> pd.DataFrame:
    area_of = result.methodology.area_of_indicator
    table = result.rounded(result.indicators)
    long = table.rename_axis("ags").reset_index().melt(id_vars="ags", var_name="indicator", value_name="score")
    long.insert(1, "city_name", long["ags"].map(names))
    long.insert(2, "area", long["indicator"].map(area_of))
    return long.sort_values(["ags", "indicator"]).reset_index(drop=True)


def export_edition(store: Store, key: str, *, format: str, out: str | Path) -> list[Path]:
    """Write the edition's open data in ``format`` into directory ``out``; returns the files."""
    if format not in FORMATS:
        raise CityIndexError(f"Unknown export format {format!r}; use one of {', '.join(FORMATS)}.")
    tables = export_tables(store, key)
    out = Path(out)
    with writing(out, expected="a directory (created if missing)"):
        out.mkdir(parents=True, exist_ok=True)
        return _write(tables, store, key, format, out)


def _write(tables: dict[str, pd.DataFrame], store: Store, key: str, format: str, out: Path) -> list[Path]:
    prefix = f"cityindex-{key}"
    if format == "xlsx":
        sheets = {**tables, **_analysis_sheets(store, key)} if "overall" in tables else tables
        return [_write_xlsx(sheets, out / f"{prefix}.xlsx")]
    if format == "parquet":
        return [_write_parquet(table, out / f"{prefix}-{name}.parquet") for name, table in tables.items()]
    files = [_write_csv(table, out / f"{prefix}-{name}.csv") for name, table in tables.items()]
    if format == "datapackage":
        files.append(write_datapackage(store, key, tables, files, out / "datapackage.json"))
    return files


def _analysis_sheets(store: Store, key: str) -> dict[str, pd.DataFrame]:
    """XLSX only: the statistical audit and the rank intervals (the reports stored with a
    published edition, else computed now)."""
    from cityindex.analysis.reports import stats_audit_of_edition, uncertainty_report
    from cityindex.analysis.stats_audit import THRESHOLDS
    from cityindex.cities import load_register

    audit = stats_audit_of_edition(store, key).rows
    audit.insert(6, "flagged_if", audit["check"].map(THRESHOLDS["en"]))
    report = uncertainty_report(store, key)
    if not report.get("rows"):
        return {"audit": audit, "intervals": pd.DataFrame({"note": [report.get("reason", "not computed")]})}
    intervals = pd.DataFrame(report["rows"]).rename(columns={"city": "ags"})
    groups = pd.DataFrame(report["groups"], columns=["city", "scope", "group"]).rename(columns={"city": "ags"})
    intervals = intervals.merge(groups, on=["ags", "scope"], how="left")
    intervals.insert(1, "city_name", intervals["ags"].map(load_register().frame["name"]))
    return {"audit": audit, "intervals": intervals.assign(runs=report["runs"], seed=report["seed"])}


def _value_text(table: pd.DataFrame) -> pd.DataFrame:
    """The data points' mixed ``value`` column (number or answer) as text: numbers without loss."""
    if "value" not in table:
        return table
    return table.assign(value=table["value"].map(lambda v: number_text(v) if isinstance(v, float) else v))


def _spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Text neutralised first, numbers formatted after: a negative value stays -5, never '-5."""
    return _value_text(neutralise_frame(table))


def _write_csv(table: pd.DataFrame, path: Path) -> Path:
    _spreadsheet_safe(table).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _write_parquet(table: pd.DataFrame, path: Path) -> Path:
    _value_text(table).to_parquet(path, index=False, engine="pyarrow")
    return path


def _write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    from cityindex.io.xlsx import write_xlsx

    return write_xlsx({name: _spreadsheet_safe(table) for name, table in tables.items()}, path)


# --- Frictionless Data Package -----------------------------------------------------------

FIELD_TYPES = {"ags": "string", "city_name": "string", "score": "number", "rank": "integer",
               "rank_change": "integer", "revision": "integer", "retrieved": "date", "updated_at": "datetime",
               "cities": "integer", "cities_checked": "integer", "share_checked": "number"}
PRIMARY_KEYS = {"overall": ["ags"], "areas": ["ags", "area"], "indicators": ["ags", "indicator"],
                "review": ["edition"],
                "datapoints": ["ags", "parameter"]}


def write_datapackage(store: Store, key: str, tables: dict[str, pd.DataFrame], files: list[Path],
                      path: Path) -> Path:
    """datapackage.json describing the CSV files: table schemas, licences and sources."""
    from cityindex.settings import get_settings

    settings = get_settings()
    info = edition_info(store, key)
    points = tables["datapoints"]
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"cityindex-{key}".lower(),
        "title": f"{info.title} ({key})",
        "description": f"Edition {key} ({info.status}); methodology version {info.methodology_version}, "
                       f"hash {info.methodology_hash}." + review_sentence(tables.get("review")),
        "version": info.methodology_version or "1.0",
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "licenses": _licences(points, settings),
        "sources": _sources(points),
        "resources": [_resource(name, table, file) for (name, table), file in zip(tables.items(), files)],
    }
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _licences(points: pd.DataFrame, settings) -> list[dict]:
    licences = [{"name": settings.export_licence, "path": settings.export_licence_url,
                 "title": f"{settings.export_licence} (results and compilation)"}]
    for name in sorted(points["licence"].dropna().unique()):
        licences.append({"name": _slug(name), "title": f"{name} (data points that name it)"})
    return licences


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in ".-" else "-" for c in text).strip("-") or "other"


def _sources(points: pd.DataFrame) -> list[dict]:
    sources = points[["source_name", "source_url"]].drop_duplicates().fillna("")
    out = []
    for name, url in sorted(sources.itertuples(index=False, name=None)):
        if name or url:
            entry = {"title": name or url}
            if url:
                entry["path"] = url
            out.append(entry)
    return out


def _resource(name: str, table: pd.DataFrame, file: Path) -> dict:
    return {
        "name": name, "path": file.name, "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "description": DESCRIPTIONS[name],
        "schema": {"fields": [_field(column, table[column]) for column in table.columns],
                   "primaryKey": PRIMARY_KEYS[name]},
    }


def _field(column: str, values: pd.Series) -> dict:
    kind = FIELD_TYPES.get(column)
    if kind is None:
        kind = "number" if pd.api.types.is_float_dtype(values) else "string"
    return {"name": column, "type": kind}
