"""Copy the dated source versions of the open series into the repository's test data.

The compiler's folders (``open-history/`` with one folder per year, and the raw files of the open
pilot's nine extra parameters) hold three Breitbandatlas files per year of 1–4 MB each. Those are
replaced by **per-city extracts**: the header line and the lines whose key is an index city's AGS
(plus Göttingen's old key 03152012) — or, in the district-level 5G file, the district of an index
city. Lines are copied byte for byte, so the connectors read the real published format. Every
other file is copied unchanged. ``EXTRACTS.csv`` records, per extract, the sha256 and size of the
original file (as in the compiler's MANIFEST.csv) and of the extract, and the rule: the changes the
Breitbandatlas terms ask to be marked.

Usage:
  .venv/bin/python scripts/make_open_history_fixture.py SHARED_DATA_DIR

SHARED_DATA_DIR holds ``open-history/`` and ``open-pilot/extra/`` (e.g. ../shared/data). Writes
tests/data/connectors/open_history/ and adds to tests/data/connectors/open_pilot_raw/ (overwriting).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data" / "connectors"
CITIES = ROOT / "src" / "cityindex" / "data" / "published" / "cities.csv"
OLD_KEYS = {"03152012"}  # Göttingen before the district reform of 2016
EXTRACT_MARK = "hhilbig__broadband__"
RULE_CITY = "header + lines whose AGS is an index city (or Göttingen's old key 03152012)"
RULE_KREIS = "header + lines whose district key is the district of an index city (or old Landkreis 03152)"


def city_keys() -> tuple[set[str], set[str]]:
    with CITIES.open(encoding="utf-8") as handle:
        ags = {row["ags"].zfill(8) for row in csv.DictReader(handle)}
    return ags | OLD_KEYS, {a[:5] for a in ags} | {k[:5] for k in OLD_KEYS}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract(data: bytes, keys: set[str]) -> bytes:
    """Header line and the lines whose first field (quotes stripped) is one of *keys*."""
    lines = data.splitlines(keepends=True)
    kept = [lines[0]]
    for line in lines[1:]:
        first = line.split(b";" if b";" in line[:12] else b",", 1)[0].strip().strip(b'"').decode("ascii", "replace")
        if first in keys:
            kept.append(line)
    return b"".join(kept)


def copy_file(source: Path, target: Path, extracts: list[dict], label: str) -> None:
    data = source.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    if EXTRACT_MARK in source.name and source.suffix == ".csv":
        cities, kreise = city_keys()
        kreis = "landkreis_" in source.name
        small = extract(data, kreise if kreis else cities)
        target.write_bytes(small)
        extracts.append({"file": label, "origin_sha256": _sha(data), "origin_bytes": len(data),
                         "sha256": _sha(small), "bytes": len(small), "rule": RULE_KREIS if kreis else RULE_CITY})
    else:
        shutil.copyfile(source, target)


def write_extracts(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["file", "origin_sha256", "origin_bytes", "sha256", "bytes", "rule"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def gzip_copy(source: Path, target: Path) -> None:
    with source.open("rb") as raw, gzip.GzipFile(target, "wb", mtime=0) as packed:
        shutil.copyfileobj(raw, packed)


def history(shared: Path) -> None:
    source, target = shared / "open-history", TEST_DATA / "open_history"
    if target.exists():
        shutil.rmtree(target)
    extracts: list[dict] = []
    for year_dir in sorted(p for p in source.iterdir() if p.is_dir() and p.name.isdigit()):
        for path in sorted(year_dir.iterdir()):
            copy_file(path, target / year_dir.name / path.name, extracts, f"{year_dir.name}/{path.name}")
    for name in ("MANIFEST.csv", "coverage_by_year.csv"):
        shutil.copyfile(source / name, target / name)
    shutil.copytree(source / "derived", target / "derived")
    write_extracts(target / "EXTRACTS.csv", extracts)
    gzip_copy(source / "facts_by_year.csv", TEST_DATA / "open_history_facts.csv.gz")


def pilot_extra(shared: Path) -> None:
    source, target = shared / "open-pilot" / "extra" / "raw", TEST_DATA / "open_pilot_raw"
    extracts: list[dict] = []
    for path in sorted(source.iterdir()):
        copy_file(path, target / path.name, extracts, path.name)
    write_extracts(target / "EXTRACTS.csv", extracts)
    gzip_copy(shared / "open-pilot" / "extra" / "facts_extra.csv", TEST_DATA / "open_pilot_extra_facts.csv.gz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", type=Path, help="folder holding open-history/ and open-pilot/extra/")
    args = parser.parse_args()
    history(args.shared)
    pilot_extra(args.shared)


if __name__ == "__main__":
    main()
