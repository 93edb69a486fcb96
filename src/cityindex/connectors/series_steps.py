"""One step per source for a year of the open series: the year's files → an Assignment.

Each step finds its source's version of the year in ``YearFiles``, runs the source's connector
(parse, assign) on it with the file's commit and date, and otherwise returns the parameters as
unknown with the manifest's ABSENT note. Schema drift is handled by the connectors themselves.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from cityindex.connectors import (breitbandatlas, codefor, freifunk, gbfs, ladesaeulen, mpsc, musterdatenkatalog,
                                  onleihe, opendata_guru, opengeoedu, parkapi)
from cityindex.connectors.base import Assignment
from cityindex.connectors.history import YearFiles, unknown


def _single(files: YearFiles, module, path: str, parameters, run: Callable) -> Assignment:
    """Run *run(version)* on the year's version of ``module.REPO``/``path``; else unknown."""
    version = files.file(module.REPO, path)
    if version is None:
        note = files.absent(module.REPO, path.split("*")[0]) or f"no version of {path} on {files.cutoff}"
        return unknown(parameters, module.SOURCE, note)
    return run(version)


def gbfs_step(files: YearFiles) -> Assignment:
    return _single(files, gbfs, gbfs.PATH, ["gbfs_feeds_city"],
                   lambda v: gbfs.assign(gbfs.parse(v.read()), as_of=v.commit_date, commit=v.commit))


def freifunk_step(files: YearFiles) -> Assignment:
    return _single(files, freifunk, freifunk.PATH, ["freifunk_directory_entry"],
                   lambda v: freifunk.assign(freifunk.parse(v.read()), as_of=v.commit_date, commit=v.commit))


def freifunk_nodes_step(files: YearFiles) -> Assignment:
    return freifunk.nodes_of_year(files.derived("freifunk_nodes.csv"), cutoff=files.cutoff)


def codefor_step(files: YearFiles) -> Assignment:
    pages = files.listed(codefor.REPO, "content/labs/")
    copied = pages[pages.commit != ""]
    if copied.empty:
        return unknown(["oklab_active", "oklab_any"], codefor.SOURCE, files.absent(codefor.REPO, "content/labs/"))
    row = copied.iloc[0]
    flags = files.derived("oklab_flags.csv")
    labs = pd.DataFrame({"page": "content/labs/" + flags.page + ".md", "city": flags.city,
                         "inactive": flags.inactive.map(codefor.flag), "hidden": flags.hide.map(codefor.flag),
                         "note": ""})
    return codefor.assign(labs, as_of=row.commit_date, commit=row.commit, schema=codefor.schema_note(flags.inactive))


def mpsc_step(files: YearFiles) -> Assignment:
    return mpsc.assign(mpsc.recorded_selections(), cutoff=files.cutoff)


def opendata_guru_step(files: YearFiles) -> Assignment:
    return _single(files, opendata_guru, opendata_guru.PATH, ["opendata_listed_odg"],
                   lambda v: opendata_guru.assign(opendata_guru.parse(v.read()), as_of=v.commit_date, commit=v.commit))


def musterdatenkatalog_step(files: YearFiles) -> Assignment:
    lists = files.files(musterdatenkatalog.REPO, "data/raw/")
    if not lists:
        return unknown(["govdata_publishers_mdk"], musterdatenkatalog.SOURCE,
                       files.absent(musterdatenkatalog.REPO, "data/raw/"))
    v = lists[-1]
    return musterdatenkatalog.assign(musterdatenkatalog.parse(v.read()), as_of=v.commit_date, commit=v.commit,
                                     path=v.source_path)


def onleihe_step(files: YearFiles) -> Assignment:
    return _single(files, onleihe, onleihe.PATH, ["onleihe_public_library"],
                   lambda v: onleihe.assign(onleihe.parse(v.read()), commit=v.commit))


def ladesaeulen_step(files: YearFiles) -> Assignment:
    extracts = [v for v in files.files(ladesaeulen.MIRROR_REPO, ladesaeulen.REGISTER_DIR) if v.path.suffix == ".xlsx"]
    if not extracts:
        note = files.absent(ladesaeulen.MIRROR_REPO, ladesaeulen.REGISTER_DIR)
        return unknown(ladesaeulen.PARAMETERS_2019, ladesaeulen.SOURCE, note)
    v = extracts[-1]
    rows, as_of = ladesaeulen.parse_xlsx_2019(v.read())
    return ladesaeulen.assign_2019(rows, as_of=as_of, commit=v.commit, path=v.source_path)


def breitbandatlas_step(files: YearFiles) -> Assignment:
    return breitbandatlas.year_values(files)


def parkapi_step(files: YearFiles) -> Assignment:
    return parkapi.year_values(files)


def opengeoedu_step(files: YearFiles) -> Assignment:
    return _single(files, opengeoedu, opengeoedu.PATH, list(opengeoedu.SOURCE.parameters),
                   lambda v: opengeoedu.assign(opengeoedu.parse(v.read()), as_of=v.commit_date, commit=v.commit))


#: source key -> step, in the order the values are listed.
STEPS: dict[str, Callable[[YearFiles], Assignment]] = {
    "gbfs": gbfs_step, "freifunk": freifunk_step, "freifunk-nodes": freifunk_nodes_step, "codefor": codefor_step,
    "mpsc": mpsc_step, "opendata-guru": opendata_guru_step, "musterdatenkatalog": musterdatenkatalog_step,
    "onleihe": onleihe_step, "ladesaeulen": ladesaeulen_step, "breitbandatlas": breitbandatlas_step,
    "parkapi": parkapi_step, "opengeoedu": opengeoedu_step,
}
