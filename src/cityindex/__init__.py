"""cityindex: build, review, publish and analyse a smart-city digital index of cities.

The public API in one screen (imported lazily, so ``import cityindex`` stays cheap)::

    load_methodology(path) -> Methodology          # methodology.py: YAML → frozen models
    score(methodology, data, *, previous=None) -> Result   # engine/: pure stages
    load_register().get("Oberhausen") -> City      # cities.py: the city register
    get_edition("2022"), list_editions()           # editions.py: published + computed
    city_story("Oberhausen", edition="2022") -> CityStory; narrate(story, lang="de")
    open_store(url=None) -> Store                  # store/: SQLite or PostgreSQL
    import_file(store, path, *, edition, by) -> Report     # io/: all or nothing
    score_edition(store, key) -> Result; export_edition(store, key, format=, out=)
    run_uncertainty(methodology, data) -> UncertaintyResult   # rank intervals, sensitivity
    load_datapoints(path) -> DataFrame             # long CSV with a validation report
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "load_methodology": "cityindex.methodology",
    "Methodology": "cityindex.methodology",
    "score": "cityindex.engine",
    "Result": "cityindex.engine",
    "load_register": "cityindex.cities",
    "get_edition": "cityindex.editions",
    "list_editions": "cityindex.editions",
    "city_story": "cityindex.analysis",
    "narrate": "cityindex.report",
    "open_store": "cityindex.store",
    "import_file": "cityindex.io",
    "score_edition": "cityindex.store",
    "export_edition": "cityindex.io",
    "load_datapoints": "cityindex.io",
    "run_uncertainty": "cityindex.analysis.uncertainty",
    "Report": "cityindex.io",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cityindex' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
