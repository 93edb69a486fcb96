"""Many reviewers at once on PostgreSQL: every save either lands or is refused as a conflict and
retried; no update is lost and nothing else fails."""

import threading
from collections import Counter

import pytest
from review_helpers import DEADLINE, TEAM, build_edition

from cityindex.review import Entry, VersionConflict, open_campaign, review_log, save_entries
from cityindex.review.views import city_sheet

CITIES = ["Aachen", "Bonn", "Köln"]
WORKERS, ROUNDS = 50, 1


def _state(store, city):
    sheet = city_sheet(store, edition="e", city=city)
    row = next(p for a in sheet["areas"] for i in a["indicators"] for p in i["parameters"]
               if p["code"] == "charging_points")
    return row["revision"], (row["item"] or {}).get("version", 0)


@pytest.mark.postgres
def test_fifty_reviewers_lose_no_update(pg_url):
    from cityindex.store.testing import fresh_store

    with fresh_store(pg_url) as store:
        build_edition(store)
        open_campaign(store, edition="e", deadline=DEADLINE, by=TEAM)
        saved, errors, conflicts = Counter(), [], Counter()
        start = threading.Barrier(WORKERS)

        def reviewer(number: int) -> None:
            city = CITIES[number % len(CITIES)]
            start.wait()
            for attempt in range(ROUNDS):
                while True:
                    revision, version = _state(store, city)
                    entry = Entry("charging_points", "correct", value=f"{number}.{attempt}1",
                                  evidence_url=f"https://example.org/{number}/{attempt}", version=version,
                                  base_revision=revision)
                    try:
                        save_entries(store, edition="e", city=city, by=f"r{number}@example.org", entries=[entry],
                                     lang="en")
                    except VersionConflict:
                        conflicts[city] += 1
                        continue
                    except Exception as exc:  # anything else is a failure of the test
                        errors.append(repr(exc))
                        return
                    saved[city] += 1
                    break

        threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        log = review_log(store, edition="e")
        for city in CITIES:
            _, version = _state(store, city)
            assert version == saved[city] == WORKERS // len(CITIES) * ROUNDS + (
                ROUNDS if CITIES.index(city) < WORKERS % len(CITIES) else 0)
        assert Counter(log.query("action == 'proposed'")["city_name"]) == {c: saved[c] for c in CITIES}
        assert sum(conflicts.values()) > 0  # the reviewers really did collide
