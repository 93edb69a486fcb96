"""``cityindex serve`` starts the real server on loopback and serves the site."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CLI = Path(sys.executable).with_name("cityindex")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_on_loopback_and_stops_cleanly():
    port = _free_port()
    proc = subprocess.Popen([str(CLI), "serve", "--port", str(port), "--no-open-pilot"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    try:
        body, deadline = None, time.monotonic() + 60
        while body is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.json", timeout=5) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.3)
        assert body is not None, proc.stderr.read1().decode() if proc.poll() is not None else "no answer"
        assert '"ok":true' in body and '"key":"2025"' in body  # --no-open-pilot: newest published edition
        # the address is printed once the server answers, not before
        assert proc.stdout.readline().decode().startswith(f"cityindex website on http://127.0.0.1:{port}/")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
