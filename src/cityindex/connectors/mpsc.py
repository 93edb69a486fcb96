"""Modellprojekte Smart Cities (federal funding programme of BMI/BMWSB with KfW), rounds 2019–2021.

``mpsc_funded`` — ``yes`` when the city was selected in one of the three rounds (13 + 32 + 28
projects), as a city or as a partner in a cooperation; ``no`` means "not among the selected
projects". There is no machine-readable list: the facts were taken from the public announcements
and brochures (no page text copied) and recorded in ``side/mpsc.selections.csv`` with the
announcement date and the URL of each round.
"""

from __future__ import annotations

import pandas as pd

from cityindex.connectors.base import Assignment, Source, frame_values, index_cities
from cityindex.connectors.matching import SIDE_DIR

SOURCE = Source(
    key="mpsc", title="Modellprojekte Smart Cities selection lists",
    publisher="Bundesministerium des Innern / KfW (announcements)",
    url="https://www.smart-city-dialog.de/modellprojekte",
    licence="facts from public announcements; page text not copied",
    attribution="Selection of the Modellprojekte Smart Cities 2019–2021 (announcements of BMI/KfW, "
                "reported by VKU, Deutscher Städtetag, DStGB)",
    parameters=("mpsc_funded",),
    note="Cities selected in the three rounds 2019–2021 of the federal funding programme (as city or partner).",
)
LAST_ROUND = "2021-07-15"
LAST_ROUND_URL = "https://de.readkong.com/page/modellprojekte-smart-cities-2021-gemeinsam-aus-der-krise-6742585"
NOT_SELECTED = ("not among the 73 projects of the rounds 2019, 2020 and 2021 (checked against the "
                "selection lists of all three rounds, see SOURCES.md)")


def recorded_selections(path=SIDE_DIR / "mpsc.selections.csv") -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def assign(selections: pd.DataFrame, *, cutoff: str | None = None) -> Assignment:
    """One value per index city: the recorded row, else ``no`` as of the last round.

    With *cutoff* (an ISO date, e.g. 1 July of a year of the series) only rounds announced on or
    before it count: a city selected later is ``no`` on that date, and the note says when it was selected.
    """
    by_ags = selections.set_index("ags")
    unknown = sorted(set(by_ags.index) - set(index_cities().ags))
    out = []
    for ags in index_cities().ags:
        if ags in by_ags.index and cutoff is not None and by_ags.loc[ags].announced > cutoff:
            row = by_ags.loc[ags]
            out.append({"ags": ags, "parameter": "mpsc_funded", "value": "no", "as_of": cutoff,
                        "source_url": row.source_url,
                        "note": f"{row.note.split(';')[0].replace('round', 'selected in round')}, announced "
                                f"{row.announced} (after {cutoff})"})
        elif ags in by_ags.index:
            row = by_ags.loc[ags]
            out.append({"ags": ags, "parameter": "mpsc_funded", "value": row.selected,
                        "as_of": row.announced, "source_url": row.source_url, "note": row.note})
        else:
            out.append({"ags": ags, "parameter": "mpsc_funded", "value": "no", "as_of": LAST_ROUND,
                        "source_url": LAST_ROUND_URL, "note": NOT_SELECTED})
    values = frame_values(out, SOURCE, source_url=LAST_ROUND_URL, licence=SOURCE.licence)
    unassigned = pd.DataFrame({"row": unknown, "reason": "AGS is not an index city"})
    return Assignment(values, unassigned)
