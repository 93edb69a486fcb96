"""Fixtures for the website tests: an in-process client and a real server + real Chromium."""

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cityindex.web.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def client():
    """The whole app (middleware included) in process; cache off so every request renders."""
    with TestClient(create_app(cache_ttl=0, warm=False), raise_server_exceptions=False) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(build) -> tuple[str, object, threading.Thread]:
    """Serve the app ``build(base_url)`` returns with uvicorn on a free loopback port, in a background thread."""
    import uvicorn

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(build(url), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return url, server, thread


def _stop_server(server, thread) -> None:
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server():
    """The app served by uvicorn on a free loopback port in a background thread."""
    url, server, thread = _start_server(lambda _url: create_app())
    yield url
    _stop_server(server, thread)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CITYINDEX_TEST_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def open_page(browser):
    """``open_page(base_url)``: a fresh browser page (own context); console errors (e.g. CSP violations)
    are collected on ``page.errors``."""
    contexts = []

    def make(base_url: str):
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, locale="de-DE")
        contexts.append(context)
        pg = context.new_page()
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("console", lambda msg: msg.type == "error" and pg.errors.append(msg.text))
        pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
        return pg

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def page(open_page, live_server):
    """A fresh browser page on the live server."""
    return open_page(live_server)


@pytest.fixture()
def screenshot():
    """``screenshot(page, name)`` saves a full-page screenshot under test-artifacts/."""

    def save(pg, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return save


# Accounts ---------------------------------------------------------------------------------------

ACCOUNT_USERS = {  # email: (role, cities)
    "admin@example.org": ("admin", ()),
    "analyst@example.org": ("analyst", ()),
    "pruefung@oberhausen.de": ("city", ("05119000",)),
    "pruefung@bochum.de": ("city", ("05911000",)),
}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def accounts_store(request, add_account_users):
    """A store (SQLite, then PostgreSQL) with one user of each role (city users for Oberhausen and Bochum)."""
    from cityindex.store.testing import fresh_store

    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    with fresh_store(url) as store:
        add_account_users(store)
        yield store


def _open_review_edition(store) -> str:
    """A fresh edition in review (its own key each time) of the FICTIONAL test methodology, with
    made-up values for Oberhausen and Bochum; returns its key."""
    import datetime as dt

    import pandas as pd

    from cityindex.io.importer import import_frame
    from cityindex.review import open_campaign
    from cityindex.store import create_edition

    key = f"r{dt.datetime.now().strftime('%H%M%S%f')}"
    create_edition(store, key, Path(__file__).parents[1] / "data" / "io" / "methodology.yaml")
    frame = pd.DataFrame({"city": ["Oberhausen", "Oberhausen", "Bochum"],
                          "parameter": ["charging_points", "bike_share_share", "charging_points"],
                          "value": [4.0, 2.5, 6.0], "source_url": "https://example.org/test"})
    import_frame(store, frame, edition=key, by="test")
    open_campaign(store, edition=key, deadline=dt.date.today() + dt.timedelta(days=9), by="test")
    return key


@pytest.fixture(scope="session")
def add_account_users():
    """``add_account_users(store)``: one user of each role of ``ACCOUNT_USERS`` in *store*."""
    from cityindex.auth.testing import make_user

    def add(store) -> None:
        for email, (role, cities) in ACCOUNT_USERS.items():
            make_user(store, email, role=role, cities=cities)

    return add


@pytest.fixture(scope="session")
def open_review_edition():
    """``open_review_edition(store) -> key``: a fresh edition in review (see ``_open_review_edition``)."""
    return _open_review_edition


@pytest.fixture(scope="module")
def accounts_app(accounts_store):
    """The app with accounts on (page cache on, as in production) over ``accounts_store``."""
    from cityindex.auth.testing import account_settings

    return create_app(cache_ttl=60, warm=False, settings=account_settings(), store=accounts_store)


@pytest.fixture()
def visitor(accounts_app):
    """``visitor(email=None)``: a fresh client (own cookies), signed in as that user when given."""
    from cityindex.auth.testing import sign_in

    clients = []

    def make(email: str | None = None) -> TestClient:
        client = TestClient(accounts_app, raise_server_exceptions=False, follow_redirects=False)
        clients.append(client)
        if email:
            assert sign_in(client, email).status_code == 303
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def serve():
    """``serve(build) -> base URL``: the app ``build(base_url)`` returns, served on a free loopback port for
    this module (the app may need its own address, e.g. for the links it prints)."""
    running = []

    def start(build) -> str:
        url, server, thread = _start_server(build)
        running.append((server, thread))
        return url

    yield start
    for server, thread in running:
        _stop_server(server, thread)
