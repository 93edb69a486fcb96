"""The public API named in cityindex.__all__ resolves, and a newcomer's first steps work."""

import cityindex


def test_every_public_name_resolves():
    missing = [name for name in cityindex.__all__ if getattr(cityindex, name, None) is None]
    assert missing == []


def test_oberhausen_2022_through_the_public_api():
    story = cityindex.city_story("oberhausen", edition="2022")
    text = cityindex.narrate(story, lang="en")
    assert "52" in text and "53.8" in text
    assert cityindex.get_edition("2022").n_cities == 81
