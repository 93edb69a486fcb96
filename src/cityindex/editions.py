"""One view over published and computed editions.

An ``EditionView`` looks the same whether its numbers were published by Bitkom (kind
``published``, series ``bitkom``, gaps and all) or computed by cityindex (kind
``computed``, e.g. the open pilot, series ``open``). Rows are long: one per city and
scope with ``ags, city, scope, rank, score, rank_change, source``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import pandas as pd

from cityindex.errors import UnknownEdition, UnknownScope
from cityindex.published import EDITION_SIZES, SCOPES, edition_notes, load_published, scope_names
from cityindex.rounding import round_array, rule_of

ROW_COLUMNS = ["ags", "city", "scope", "rank", "score", "rank_change", "source"]
VALUE_COLUMNS = ["area", "indicator", "parameter", "name_de", "name_en", "unit", "context_only", "value",
                 "source_name", "source_url", "retrieved", "licence", "note"]
PROVENANCE_COLUMNS = ("source_name", "source_url", "retrieved", "licence", "note")


@dataclass(frozen=True, eq=False)
class EditionView:
    """An edition's results as far as they are known."""

    key: str
    title: str
    series: str
    year: int
    kind: str
    n_cities: int
    previous: str | None
    scopes: dict[str, dict[str, str]]
    rows: pd.DataFrame
    notes: tuple = ()
    unassigned: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    area_weights: dict[str, float] | None = None  # shares of the overall score; None = unknown
    methodology: object = None  # computed editions: the Methodology that produced the rows
    datapoints: pd.DataFrame | None = None  # computed editions: long data points with provenance
    status: str = "published"  # computed editions: the store's status (draft, review, frozen, published)
    titles: dict[str, str] | None = None  # the title per language where the store's one title is not enough

    def title_in(self, lang: str = "de") -> str:
        """The title in *lang*: ``titles`` where given (an edition of a series, whose methodology
        serves every year); else a computed edition's methodology title when the methodology is the
        edition's own (same key) or the stored title is that methodology title; else the stored ``title``."""
        if self.titles:
            return self.titles.get(lang) or self.title
        own = getattr(self.methodology, "title", None)
        if own and (self.methodology.key == self.key or self.title in (own.de, own.en)):
            return own.get(lang)
        return self.title

    @property
    def rounding(self) -> tuple[int, str]:
        """How scores are shown: (decimals, mode) from a computed edition's methodology rules;
        published editions show one decimal with halves rounded up, as Bitkom publishes."""
        from cityindex.rounding import rule_of

        return rule_of(self.methodology)

    def scope_name(self, scope: str, lang: str = "de") -> str:
        """Display name of a scope in this edition."""
        self._check_scope(scope)
        return self.scopes[scope][lang]

    def ranking(self, scope: str = "overall") -> pd.DataFrame:
        """Rows of one scope: ranked rows by rank, then rows with a score but no rank (sorted once
        per view and scope; treat the frame as read-only)."""
        self._check_scope(scope)
        if scope not in self._rankings:
            rows = self.rows[self.rows["scope"] == scope]
            self._rankings[scope] = rows.sort_values(["rank", "score"], ascending=[True, False],
                                                     na_position="last").reset_index(drop=True)
        return self._rankings[scope]

    @cached_property
    def _rankings(self) -> dict[str, pd.DataFrame]:
        return {}

    def known_ranks(self, scope: str = "overall") -> int:
        """How many of ``n_cities`` ranks of a scope are known."""
        return int(self.ranking(scope)["rank"].notna().sum())

    def missing_ranks(self, scope: str = "overall") -> list[int]:
        """Ranks 1…n_cities that no known row holds (published gaps)."""
        return _missing_ranks(self.ranking(scope)["rank"], self.n_cities)

    def city_rows(self, ags: str) -> pd.DataFrame:
        """All rows of one city (by AGS), one per scope."""
        return self.rows[self.rows["ags"] == ags].reset_index(drop=True)

    def city_records(self, ags: str) -> list[dict]:
        """The rows of one city as dicts, one per scope (indexed once per view)."""
        return [dict(r) for r in self._by_city.get(ags, ())]

    @cached_property
    def _by_city(self) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for record in self.rows.to_dict("records"):
            grouped.setdefault(record["ags"], []).append(record)
        return grouped

    def get(self, ags: str, scope: str = "overall") -> dict | None:
        """One city's row of one scope as a dict, or None when not in this edition's data."""
        row = self._by_city_scope.get((ags, scope))
        return None if row is None else dict(row)

    @cached_property
    def _by_city_scope(self) -> dict[tuple[str, str], dict]:
        records = self.rows.to_dict("records")
        return {(r["ags"], r["scope"]): r for r in reversed(records)}

    @property
    def lacking(self) -> list[str]:
        """Computed editions: scored parameters of the methodology without any data point in the
        edition (their source had no version that year); they are left out of the scoring."""
        if self.methodology is None or self.datapoints is None:
            return []
        known = set(self.datapoints.loc[self.datapoints["value"].astype(str) != "", "parameter"])
        return [p.code for a in self.methodology.areas for i in a.scored_indicators for p in i.scored_parameters
                if p.code not in known]

    def _check_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise UnknownScope(f"Edition {self.key} has no area {scope!r}; use one of {', '.join(self.scopes)}.")

    @classmethod
    def from_result(cls, result, *, key: str, title: str, series: str, year: int,
                    previous: str | None = None, notes: tuple = (),
                    datapoints: pd.DataFrame | None = None, status: str = "draft", comparable=None) -> "EditionView":
        """A computed edition from an engine ``Result`` (``to_long(rounded=True)``: city, scope, score
        rounded by the methodology's ``rules.rounding`` and ``rounding_mode``, rank, rank_change).

        *datapoints* (long, with provenance columns) lets ``city_values`` show the value and
        source behind every number. *comparable* (a ``cityindex.series.Comparable`` against the
        previous edition) adds the column ``comparable_change`` next to ``rank_change``.
        """
        return cls.from_scores(result.methodology, result.to_long(), key=key, title=title, series=series,
                               year=year, previous=previous, notes=notes, datapoints=datapoints, status=status,
                               comparable=comparable)

    @classmethod
    def from_scores(cls, methodology, long: pd.DataFrame, *, key: str, title: str, series: str, year: int,
                    previous: str | None = None, notes: tuple = (), datapoints: pd.DataFrame | None = None,
                    status: str = "draft", comparable=None) -> "EditionView":
        """``from_result`` from a Result's methodology and its unrounded ``to_long()`` frame (as
        ``store.load_scores`` reads them, without the stage tables)."""
        long = long.assign(score=round_array(long["score"].to_numpy(dtype=float), *rule_of(methodology)))
        scopes = _result_scopes(methodology, long["scope"], year)
        rows = _computed_rows(long)
        if comparable is not None:
            changes = comparable.ranks.set_index(["ags", "scope"])["change"]
            rows["comparable_change"] = pd.array(
                changes.reindex(pd.MultiIndex.from_frame(rows[["ags", "scope"]])).to_numpy(), dtype="Int64")
        return cls(key=key, title=title, series=series, year=year, kind="computed",
                   n_cities=int(rows["ags"].nunique()), previous=previous, scopes=scopes,
                   rows=rows, notes=tuple(notes), area_weights=_area_weights(methodology),
                   methodology=methodology, datapoints=datapoints, status=status)

    def city_values(self, ags: str) -> pd.DataFrame:
        """Every parameter of a computed edition for one city, with its value and provenance.

        One row per parameter in methodology order (an area's bonus parameters after its
        indicators, with ``indicator`` None): ``area, indicator, parameter, name_de,
        name_en, unit, context_only, value, source_name, source_url, retrieved, licence, note``.
        A parameter without a data point keeps an empty ``value`` — never a filled-in number.
        Empty for published editions, which have no parameters.
        """
        if self.methodology is None:
            return pd.DataFrame(columns=VALUE_COLUMNS)
        mine = self.city_points(ags)
        rows = [_value_row(area.code, indicator.code if indicator else None, p, mine.get(p.code))
                for area, indicator, p in self.methodology.parameter_places()]
        return pd.DataFrame(rows, columns=VALUE_COLUMNS, dtype=object)

    def city_points(self, ags: str) -> dict[str, dict]:
        """A computed edition's data points of one city by parameter (the first of each), as dicts."""
        return self._points_by_city.get(str(ags), {})

    @cached_property
    def _points_by_city(self) -> dict[str, dict[str, dict]]:
        """Every data point by city and parameter, grouped once per view (city pages, movers)."""
        out: dict[str, dict[str, dict]] = {}
        if self.datapoints is not None:
            for record in self.datapoints.to_dict("records"):
                out.setdefault(str(record["city"]), {}).setdefault(record["parameter"], record)
        return out


def _value_row(area: str, indicator: str | None, parameter, point: dict | None) -> dict:
    def get(column):
        value = None if point is None else point.get(column)
        return None if value is None or pd.isna(value) or value == "" else value

    return {"area": area, "indicator": indicator, "parameter": parameter.code,
            "name_de": parameter.name_de, "name_en": parameter.name_en,
            "unit": get("unit") or parameter.unit, "context_only": bool(parameter.context_only),
            "value": get("value"), **{c: get(c) for c in PROVENANCE_COLUMNS}}


def _missing_ranks(ranks: pd.Series, n_cities: int) -> list[int]:
    """Ranks 1…n_cities that none of *ranks* holds."""
    known = set(ranks.dropna().astype(int))
    return [r for r in range(1, n_cities + 1) if r not in known]


def _area_weights(m) -> dict[str, float] | None:
    """Area shares of an arithmetic overall score, from the methodology; None otherwise."""
    if m.rules.aggregation.overall.method != "arithmetic":
        return None
    total = sum(a.weight for a in m.areas)
    return {a.code: a.weight / total for a in m.areas} if total else None


def _computed_rows(long: pd.DataFrame) -> pd.DataFrame:
    from cityindex.cities import load_register

    register = load_register()
    long = long.rename(columns={"city": "ags"})
    long["ags"] = long["ags"].astype(str)
    names = {c.ags: c.name for c in register}
    long["city"] = long["ags"].map(names).fillna(long["ags"])
    long["source"] = "computed by cityindex"
    long["rank"] = long["rank"].astype("Int64")
    long["rank_change"] = long["rank_change"].astype("Int64")
    long["score"] = long["score"].astype("Float64")
    return long[ROW_COLUMNS].reset_index(drop=True)


def _result_scopes(m, scopes: pd.Series, year: int) -> dict[str, dict[str, str]]:
    """Scope names from the methodology where it has them, else the shared vocabulary."""
    names = {a.code: {"de": a.name_de, "en": a.name_en or a.name_de} for a in m.areas if a.name_de}
    out = {}
    for scope in dict.fromkeys(["overall", *scopes.astype(str)]):
        if scope in names:
            out[scope] = names[scope]
        elif scope in SCOPES:
            out[scope] = scope_names(scope, year=year)
        else:
            out[scope] = {"de": scope, "en": scope}
    return out


@lru_cache(maxsize=None)
def _published_view(year: int) -> EditionView:
    data = load_published()
    rows = data.edition(year)[ROW_COLUMNS].reset_index(drop=True)
    unassigned = data.unassigned[data.unassigned["edition"] == year].reset_index(drop=True)
    previous = str(year - 1) if year - 1 in EDITION_SIZES else None
    return EditionView(
        key=str(year), title=f"Bitkom Smart City Index {year}", series="bitkom", year=year,
        kind="published", n_cities=EDITION_SIZES[year], previous=previous,
        scopes={s: scope_names(s, year=year) for s in SCOPES}, rows=rows,
        notes=edition_notes(year), unassigned=unassigned,
    )


def computed_editions() -> dict[str, EditionView]:
    """Computed editions of the configured store that have a stored Result, by key.

    The store is the one the settings name (``CITYINDEX_DATABASE_URL`` or the SQLite file in
    ``CITYINDEX_DATA_DIR``). When the ``open_pilot`` setting is on (the default), the open
    pilot edition ``open-2026`` is built into the store on first use from the bundled data
    points — imported and scored like any other edition. A view is rebuilt only when its
    edition was scored again.
    """
    from cityindex.store import list_editions as stored_editions

    url, store = _default_store()
    infos = sorted((i for i in stored_editions(store) if i.computed_at is not None), key=_chronological)
    computed = {i.key: i.computed_at for i in infos}
    return {i.key: _computed_view(url, i.key, i.computed_at, computed.get(i.previous_key), i.status) for i in infos}


def _chronological(info) -> tuple:
    """Editions of a series in the order of their years (then by key)."""
    match = re.search(r"(19|20)\d\d", info.key)
    return (_series(info.key), int(match.group(0)) if match else info.created_at.year, info.key)


_STORES: dict[str, object] = {}
_OPENING = threading.Lock()  # the first requests of a new server arrive at once: open and migrate once


def _default_store():
    """The store named by the settings, opened (and migrated) once per process."""
    from cityindex.settings import get_settings
    from cityindex.store import open_store

    settings = get_settings()
    url = settings.resolved_database_url
    with _OPENING:
        if url not in _STORES:
            store = open_store(settings=settings)
            if settings.open_pilot:
                _ensure_open_pilot(store)
            _STORES[url] = store
    return url, _STORES[url]


def _ensure_open_pilot(store) -> None:
    """Build the open series ``open-2019`` … and the open edition ``open-2026`` into the store where
    they are missing, uncomputed or on an older methodology version (``series.build.ensure_series``)."""
    from cityindex.series.build import ensure_series

    ensure_series(store)


@lru_cache(maxsize=64)
def _computed_view(url: str, key: str, computed_at, previous_computed_at, status: str) -> EditionView:
    """The view of a stored edition; rebuilt when it or its previous edition was scored again."""
    from cityindex.store import edition_info, load_scores

    store = _STORES[url]
    info = edition_info(store, key)
    year = int(match.group(0)) if (match := re.search(r"(19|20)\d\d", key)) else info.created_at.year
    (methodology, scores), data = load_scores(store, key), _datapoints(url, key, computed_at)
    comparable = (_comparable(methodology, data, _datapoints(url, info.previous_key, previous_computed_at))
                  if previous_computed_at else None)
    view = EditionView.from_scores(
        methodology, scores, key=key, title=info.title, series=_series(key), year=year,
        previous=info.previous_key, notes=(), datapoints=data, comparable=comparable, status=status)
    return replace(view, notes=_computed_notes(view) + _review_notes(store, key, year, status), titles=_titles(key))


def _titles(key: str) -> dict[str, str] | None:
    """An open series edition's title in both languages (the store keeps the English one)."""
    from cityindex.series.build import pilot_year, series_year, title

    year = series_year(key)
    return {lang: title(year, lang) for lang in ("de", "en")} if year and year < pilot_year() else None


@lru_cache(maxsize=32)
def _datapoints(url: str, key: str, computed_at) -> pd.DataFrame:
    """An edition's data points, read once per scoring (an edition's view and the next one's comparison)."""
    from cityindex.store import get_datapoints

    return get_datapoints(_STORES[url], edition=key)


def _comparable(methodology, data: pd.DataFrame, previous: pd.DataFrame):
    """Ranks of this and the previous edition under this edition's rules on their common parameters."""
    from cityindex.series import comparable

    return comparable(methodology, data, previous)


def _series(key: str) -> str:
    return "open" if key.startswith("open-") else "cityindex"


def _computed_notes(view: EditionView) -> tuple:
    """The edition's caveat (open edition, open series) and which scored parameters it lacks."""
    from cityindex.connectors.open_pilot import EDITION_KEY, EDITION_NOTE
    from cityindex.series.build import credit_note, lacking_note, note, series_year

    own = (EDITION_NOTE,) if view.key == EDITION_KEY else ((note(view.year),) if series_year(view.key) else ())
    lacking = lacking_note(view)
    credit = credit_note(view) if view.key != EDITION_KEY else None
    return own + tuple(n for n in (credit, lacking) if n)


def _review_notes(store, key: str, year: int, status: str) -> tuple:
    """After publication: how many cities checked their data in the review round (none without one)."""
    if status != "published":
        return ()
    from cityindex.published import Note
    from cityindex.review import review_summary
    from cityindex.review.texts import label

    summary = review_summary(store, edition=key)
    if summary is None:
        return ()
    words = {"reviewed": summary["reviewed"], "n": summary["cities"]}
    return (Note(year, label("checked_public", "de", **words), label("checked_public", "en", **words)),)


def published_editions() -> list[EditionView]:
    """The published Bitkom editions by year (bundled data; the store is not opened)."""
    return [_published_view(year) for year in EDITION_SIZES]


def list_editions() -> list[EditionView]:
    """Every edition: published ones by year, then computed ones."""
    return published_editions() + list(computed_editions().values())


def edition_keys() -> list[str]:
    """Keys of every edition, in the order of ``list_editions()``."""
    return [str(year) for year in EDITION_SIZES] + list(computed_editions())


def get_edition(key: str | int) -> EditionView:
    """The edition with that key (``2022`` or ``"2022"`` for Bitkom 2022, ``open-2026`` …)."""
    text = str(key).strip()
    if text.isdigit() and int(text) in EDITION_SIZES:
        return _published_view(int(text))
    computed = computed_editions()
    if text in computed:
        return computed[text]
    raise UnknownEdition(f"Unknown edition {text!r}; known editions: {', '.join(edition_keys())}.")


@dataclass(frozen=True, eq=False)
class Ranking:
    """One scope of one edition, optionally limited to a state or region, gaps listed.

    ``rows`` holds only published (or computed) rows, with ``state_code`` added; ``missing``
    are the ranks 1…n_cities nobody holds in the data (unfiltered rankings), ``unpublished``
    the cities of the filter without a row (filtered rankings).
    """

    edition: EditionView
    scope: str
    scope_name: dict[str, str]
    rows: pd.DataFrame
    n_cities: int
    known: int
    missing: list[int]
    unpublished: list[str]
    filtered: bool

    def to_dict(self) -> dict:
        rows = self.rows.astype(object).where(self.rows.notna(), None)
        return {
            "edition": self.edition.key, "title": self.edition.title, "kind": self.edition.kind,
            "scope": self.scope, "scope_name": self.scope_name, "n_cities": self.n_cities,
            "known_ranks": self.known, "missing_ranks": self.missing, "unpublished": self.unpublished,
            "rows": rows.to_dict("records"),
            "notes": [{"de": n.de, "en": n.en} for n in self.edition.notes if n.scope in (None, self.scope)],
        }


def _table_rows(edition: EditionView, table: str) -> pd.DataFrame:
    rows = edition.unassigned[edition.unassigned["table"] == table]
    return rows.assign(scope=f"table_{table}")[ROW_COLUMNS].sort_values("rank").reset_index(drop=True)


def ranking(key: str | int, *, scope: str = "overall", state: str | None = None,
            region: str | None = None) -> Ranking:
    """A ranking of *scope* (an area code, or ``B``–``E`` for the 2022 unassigned tables)."""
    from cityindex.cities import load_register

    edition = get_edition(key)
    tables = set(edition.unassigned["table"]) if not edition.unassigned.empty else set()
    if scope.upper() in tables:
        rows, name = _table_rows(edition, scope.upper()), {"de": f"Tabelle {scope.upper()} (Bereich unbekannt)",
                                                          "en": f"table {scope.upper()} (area unknown)"}
    elif scope in edition.scopes:
        rows, name = edition.ranking(scope), edition.scopes[scope]
    else:
        extra = f" or an unassigned table {', '.join(sorted(tables))}" if tables else ""
        raise UnknownScope(f"Edition {edition.key} has no area {scope!r}; use one of "
                           f"{', '.join(edition.scopes)}{extra}.")
    register = load_register()
    rows = rows.assign(state_code=rows["ags"].map(register.frame["state_code"]))
    known = int(rows["rank"].notna().sum())
    missing = _missing_ranks(rows["rank"], edition.n_cities)
    if not (state or region):
        return Ranking(edition, scope, name, rows, edition.n_cities, known, missing, [], False)
    members = register.filter(state=state, region=region)
    rows = rows[rows["ags"].isin({c.ags for c in members})].reset_index(drop=True)
    listed = set(rows["ags"])
    unpublished = sorted(c.name for c in members if c.ags not in listed)
    return Ranking(edition, scope, name, rows, edition.n_cities, known, missing, unpublished, True)
