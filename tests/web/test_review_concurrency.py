"""50 reviewer sessions at once against a real server on PostgreSQL: every save of the same entry
either lands (303) or is refused as a conflict (409) and retried after reloading — no update is
lost and no request fails. FICTIONAL test methodology with made-up values."""

import datetime as dt
import re
import threading
from collections import Counter
from pathlib import Path

import httpx
import pandas as pd
import pytest

from cityindex.auth.testing import PASSWORD, account_settings, csrf_of, make_user
from cityindex.web.app import create_app

METHODOLOGY = Path(__file__).parents[1] / "data" / "io" / "methodology.yaml"
SESSIONS, N_CITIES = 50, 10  # five reviewers per city: they collide, and the test stays quick


def _cities() -> dict[str, str]:
    from cityindex.cities import load_register

    return {c.slug: c.ags for c in list(load_register())[:N_CITIES]}


@pytest.mark.postgres
def test_fifty_reviewer_sessions_lose_no_update_and_see_no_server_error(pg_url, serve):
    from cityindex.io.importer import import_frame
    from cityindex.review import open_campaign, review_entries, review_log
    from cityindex.store import create_edition
    from cityindex.store.testing import fresh_store

    settings, cities = account_settings(), _cities()
    with fresh_store(pg_url) as store:
        create_edition(store, "e", METHODOLOGY)
        import_frame(store, pd.DataFrame({"city": list(cities.values()), "parameter": "charging_points", "value": 5.0,
                                          "source_url": "https://example.org/test"}), edition="e", by="test")
        open_campaign(store, edition="e", deadline=dt.date.today() + dt.timedelta(days=9), by="test")
        users = [(f"r{n}@{slug}.example", slug) for n, slug in zip(range(SESSIONS), list(cities) * SESSIONS)]
        for email, slug in users:
            make_user(store, email, role="city", cities=(cities[slug],), settings=settings)
        site = serve(lambda base: create_app(cache_ttl=60, warm=False, settings=settings, store=store))
        saved, conflicts, failures = Counter(), Counter(), []
        start = threading.Barrier(SESSIONS)

        def reviewer(email: str, slug: str) -> None:
            with httpx.Client(base_url=site, timeout=60, follow_redirects=False) as client:
                page = client.get("/anmelden")
                client.post("/anmelden", data={"csrf_token": csrf_of(page.text), "email": email,
                                               "password": PASSWORD})
                area = f"/pruefung/{slug}/e/bereich/mobilitaet"
                start.wait()
                while True:
                    page = client.get(area)
                    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
                    response = client.post(area, data={**hidden, "k_charging_points": "correct",
                                                       "v_charging_points": f"{len(email)},{ord(email[1])}",
                                                       "u_charging_points": f"https://example.org/{email}"})
                    if response.status_code == 303:
                        saved[slug] += 1
                        return
                    if response.status_code != 409:
                        failures.append((email, page.status_code, response.status_code))
                        return
                    conflicts[slug] += 1

        threads = [threading.Thread(target=reviewer, args=user) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        entries = review_entries(store, edition="e").set_index("city")
        log = review_log(store, edition="e")
        for slug, ags in cities.items():
            assert saved[slug] == sum(s == slug for _, s in users)  # every session's save landed once
            assert Counter(log.query("action == 'proposed'")["city"])[ags] == saved[slug]
            assert entries.loc[ags, "updated_by"].split("@")[1] == f"{slug}.example"
        from cityindex.review.views import get_item

        versions = {ags: get_item(store, edition="e", item_id=int(entries.loc[ags, "item_id"]))["version"]
                    for ags in cities.values()}
        assert versions == {cities[s]: saved[s] for s in cities}  # one version per save: nothing lost
        assert sum(conflicts.values()) > 0  # the sessions really collided
