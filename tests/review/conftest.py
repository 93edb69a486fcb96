"""Fixtures of the review tests: the edition in review, real evidence files made by vl-convert, and a
real SMTP server (aiosmtpd) that keeps what it receives."""

import socket

import pytest
from review_helpers import DEADLINE, TEAM, build_edition


@pytest.fixture()
def edition(store):
    """Edition ``e`` with data points of Aachen, Bonn and Köln, still a draft."""
    build_edition(store)
    return store


@pytest.fixture()
def review(edition):
    """Edition ``e`` in review with an open round (no mails)."""
    from cityindex.review import open_campaign

    open_campaign(edition, edition="e", deadline=DEADLINE, by=TEAM)
    return edition


_SPEC = {"data": {"values": [{"a": 1}, {"a": 2}]}, "mark": "point",
         "encoding": {"x": {"field": "a", "type": "quantitative"}}}


@pytest.fixture(scope="session")
def evidence():
    """Real PDF, PNG and JPEG files (charts rendered by vl-convert)."""
    import vl_convert as vl

    return {"pdf": vl.vegalite_to_pdf(_SPEC), "png": vl.vegalite_to_png(_SPEC), "jpeg": vl.vegalite_to_jpeg(_SPEC)}


class Inbox:
    """The aiosmtpd handler: every message the server accepted, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture()
def smtp_server():
    """A real SMTP server on a free loopback port; yields (settings overrides, inbox)."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield {"smtp_host": "127.0.0.1", "smtp_port": port}, inbox
    finally:
        controller.stop()
