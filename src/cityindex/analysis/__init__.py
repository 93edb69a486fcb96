"""Analysis of results: a city's story (history, areas, contributions, peers)."""

from cityindex.analysis.story import CityStory, city_story

__all__ = ["CityStory", "city_story"]
