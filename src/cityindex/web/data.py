"""The website's read-only view of the library: editions, the city register, lookups.

Routes never read files or the store themselves; they call these functions, which wrap
``cityindex.editions`` and ``cityindex.cities`` and add what a page needs (URLs,
suggestions for typos, register tags joined to ranking rows).

When the store cannot be used (unreachable, damaged, misconfigured) the site keeps serving the
published Bitkom editions, which need no store; a computed edition then answers 503
(``StoreUnavailable``), and the store is tried again after ``_STORE_RETRY`` seconds.
"""

import difflib
import logging
import time
from functools import lru_cache
from typing import Any

import pandas as pd
import sqlalchemy as sa

from cityindex import editions as editions_mod
from cityindex.auth.policy import CURRENT_ACCOUNT, edition_visible
from cityindex.cities import REGIONS, SIZE_CLASSES, City, load_register, normalise_name
from cityindex.errors import UnknownCity, UnknownEdition, mask_secrets
from cityindex.settings import SettingsError
from cityindex.store.faults import StoreError, StoreUnavailable

_EDITIONS_TTL = 30.0
_STORE_RETRY = 5.0
#: ``cityindex serve --no-open-pilot`` hides computed editions of the open series.
SHOW_OPEN_PILOT = True
_cache: dict[str, Any] = {"at": 0.0, "views": None, "ttl": _EDITIONS_TTL, "store_down": None}
log = logging.getLogger("cityindex.web")


def editions() -> list:
    """Every edition the visitor may see (published, then computed), newest last; refreshed every 30 s.

    The public sees published and public computed editions; a signed-in team member also drafts
    and reviews (``policy.edition_visible``). Such requests never touch the public page cache.

    Without a usable store: the published editions only (the fault is logged, never shown).
    """
    now = time.monotonic()
    if _cache["views"] is None or now - _cache["at"] > _cache["ttl"]:
        views, down = _all_editions()
        if not SHOW_OPEN_PILOT:
            views = [v for v in views if v.series != "open"]
        _cache.update(views=views, at=now, store_down=down, ttl=_STORE_RETRY if down else _EDITIONS_TTL)
    account = CURRENT_ACCOUNT.get()
    return [v for v in _cache["views"] if edition_visible(v, account)]


def _all_editions() -> tuple[list, str | None]:
    """Every edition and None, or the published ones and the store's fault (for the server log)."""
    try:
        return editions_mod.list_editions(), None
    except (StoreError, SettingsError, sa.exc.SQLAlchemyError) as exc:
        fault = mask_secrets(str(exc).strip().splitlines()[0])
        log.error("The store is unavailable; serving the published editions only: %s", fault)
        return editions_mod.published_editions(), fault


def store_down() -> str | None:
    """The store's fault while it cannot be read (computed editions are then missing), else None."""
    editions()
    return _cache["store_down"]


def edition(key: str):
    """The edition with that key; ``UnknownEdition`` with close keys as suggestions.

    While the store is down, a key that is not a published edition may be a computed one: 503.
    """
    for view in editions():
        if view.key == str(key):
            return view
    fault = store_down()
    if fault:
        raise StoreUnavailable(f"The store is unavailable, so computed editions cannot be shown: {fault}")
    keys = [v.key for v in editions()]
    close = difflib.get_close_matches(str(key), keys, n=3, cutoff=0.4) or keys[-3:]
    exc = UnknownEdition(f"Unknown edition {key!r}; known editions: {', '.join(keys)}.")
    exc.page_text = ("unknown_edition", str(key))  # type: ignore[attr-defined]
    exc.suggestions = [{"label": k, "url": f"/{k}/ranking"} for k in close]  # type: ignore[attr-defined]
    raise exc


def latest_edition():
    """The newest edition (highest year; computed beats published in the same year)."""
    return max(editions(), key=lambda v: (v.year, v.kind == "computed"))


def latest_published():
    """The newest published edition (falls back to the newest edition of any kind)."""
    published = [v for v in editions() if v.kind == "published"]
    return max(published, key=lambda v: v.year) if published else latest_edition()


def register():
    """The bundled city register."""
    return load_register()


def city(name: str) -> City:
    """A city by slug, name, alias or AGS; ``UnknownCity`` with suggestions otherwise."""
    reg = register()
    found = reg.find(name)
    if found is None:
        exc = UnknownCity(f"Unknown city {name!r}.")
        exc.page_text = ("unknown_city", name)  # type: ignore[attr-defined]
        exc.suggestions = suggest_cities(name)  # type: ignore[attr-defined]
        raise exc
    return found


def suggest_cities(text: str, *, n: int = 5) -> list[dict[str, str]]:
    """Closest city names for a typo, as ``{label, url}``."""
    reg = register()
    names = reg.suggestions(text, n=n)
    if not names:  # also try prefixes and substrings ("Oberhaus", "gladbach")
        names = [c.name for c in search(text)][:n]
    return [{"label": reg.get(name).name, "url": city_url(reg.get(name))} for name in names]


def search(text: str) -> list[City]:
    """Cities whose name contains the query; if none does, the closest names (typo-tolerant)."""
    query = normalise_name(text or "")
    if not query:
        return []
    reg = register()
    exact = reg.find(text)
    hits = [c for c in reg if query in normalise_name(c.name) or query in c.slug.replace("-", " ")]
    hits.sort(key=lambda c: (not normalise_name(c.name).startswith(query), c.name))
    close = [] if hits else [reg.get(n) for n in reg.suggestions(text, n=5)]
    ordered = ([exact] if exact else []) + hits + close
    return list({c.ags: c for c in ordered}.values())


def city_url(city: City) -> str:
    return f"/staedte/{city.slug}"


def city_meta(city: City, lang: str) -> dict[str, Any]:
    """JSON-ready facts about a city, with labels for its tags."""
    i = 0 if lang == "de" else 1
    return {
        "ags": city.ags, "name": city.name, "slug": city.slug, "url": city_url(city),
        "official_name": city.official_name, "state": city.state, "state_code": city.state_code,
        "population": city.population, "population_date": city.population_date,
        "area_km2": city.area_km2, "lat": city.lat, "lon": city.lon,
        "regions": list(city.regions), "region_names": [REGIONS[r][i] for r in city.regions if r in REGIONS],
        "size_class": city.size_class, "size_class_name": SIZE_CLASSES[city.size_class][2 + i],
    }


@lru_cache(maxsize=1)
def tags() -> pd.DataFrame:
    """Register tags per AGS for joining to ranking rows: name, slug, state, regions, size class."""
    rows = [
        {"ags": c.ags, "slug": c.slug, "state": c.state, "state_code": c.state_code,
         "regions": ",".join(c.regions), "size_class": c.size_class, "lat": c.lat, "lon": c.lon,
         "population": c.population}
        for c in register()
    ]
    return pd.DataFrame(rows).set_index("ags")


def edition_meta(view, lang: str) -> dict[str, Any]:
    """JSON-ready description of an edition."""
    return {
        "key": view.key, "title": view.title_in(lang), "year": view.year, "kind": view.kind,
        "series": view.series, "n_cities": view.n_cities, "previous": view.previous,
        "url": f"/{view.key}/ranking", "rounding_mode": view.rounding[1],
    }


def edition_notes(view, lang: str, *, city: str | None = None) -> list[str]:
    """The edition's caveats in the page language (optionally only one city's and general ones)."""
    out = []
    for note in view.notes:
        note_city = getattr(note, "city", None)
        if city is not None and note_city not in (None, city):
            continue
        out.append(note.text(lang) if hasattr(note, "text") else str(note))
    return out


def scope_list(view, lang: str) -> list[dict[str, str]]:
    """The edition's scopes as ``{code, name, url}``."""
    return [
        {"code": code, "name": view.scope_name(code, lang),
         "url": f"/{view.key}/ranking" + ("" if code == "overall" else f"/{code}")}
        for code in view.scopes
    ]


def filter_options(lang: str) -> dict[str, list[dict[str, str]]]:
    """Choices for the ranking filters: states, regions, size classes."""
    i = 0 if lang == "de" else 1
    states = sorted({(c.state_code, c.state) for c in register()}, key=lambda s: s[1])
    return {
        "state": [{"code": code, "name": name} for code, name in states],
        "region": [{"code": code, "name": names[i]} for code, names in REGIONS.items()],
        "size_class": [
            {"code": code, "name": spec[2 + i]} for code, spec in SIZE_CLASSES.items()
        ],
    }


def clean(value: Any) -> Any:
    """pandas NA/NaN → None; numpy scalars → Python."""
    if value is None or value is pd.NA:
        return None
    try:
        if value != value:
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value
