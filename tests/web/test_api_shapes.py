"""Every documented route answers in its shape: JSON routes in the success envelope, files as files;
every template label exists in both languages."""

import re

import pytest

from cityindex.web import i18n
from cityindex.web.app import create_app
from cityindex.web.deps import TEMPLATE_DIR

SAMPLE = {"edition": "2022", "scope": "mobilitaet", "name": "oberhausen", "key": "2022", "chart": "verlauf"}
QUERY = {"/vergleich.json": "?stadt=oberhausen&stadt=bochum", "/suche.json": "?q=Oberhaus"}


def _documented_paths():
    spec = create_app(cache_ttl=0, warm=False).fastapi.openapi()
    # the store export needs a store holding a computed edition: test_computed_edition.py covers it
    return sorted(p for p in spec["paths"] if "/export-" not in p)


@pytest.mark.parametrize("path", _documented_paths())
def test_every_documented_route_answers_in_its_shape(client, path):
    sample = {**SAMPLE, "fmt": "csv" if path.startswith("/downloads") else "svg"}
    url = re.sub(r"\{(\w+)\}", lambda m: sample[m.group(1)], path)
    response = client.get(url + QUERY.get(path, ""))
    assert response.status_code == 200, (url, response.text[:300])
    if url.endswith(".json"):
        body = response.json()
        assert body["ok"] is True and body["status"] == 200 and "data" in body
    else:
        assert response.content


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_label_used_in_templates_exists(lang):
    used = set()
    for template in TEMPLATE_DIR.rglob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']\s*[,)]""", template.read_text(encoding="utf-8")))
    assert used, "no labels found"
    assert sorted(used - set(i18n.TEXTS[lang])) == []
