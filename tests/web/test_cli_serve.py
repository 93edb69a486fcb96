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
        body, server, deadline = None, None, time.monotonic() + 60
        while body is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.json", timeout=5) as response:
                    body, server = response.read().decode(), response.headers.get("server")
            except OSError:
                time.sleep(0.3)
        assert body is not None, proc.stderr.read1().decode() if proc.poll() is not None else "no answer"
        assert '"ok":true' in body and '"key":"2025"' in body  # --no-open-pilot: newest published edition
        assert server is None  # no "server: uvicorn" banner
        # the address is printed once the server answers, not before
        assert proc.stdout.readline().decode().startswith(f"cityindex website on http://127.0.0.1:{port}/")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


def test_serve_refuses_production_with_a_placeholder_secret(tmp_path):
    env = {**os.environ, "CITYINDEX_ENVIRONMENT": "production", "CITYINDEX_SECRET_KEY": "changeme"}
    result = subprocess.run([str(CLI), "serve", "--port", str(_free_port())], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: Invalid settings: set CITYINDEX_SECRET_KEY to a real secret of at least 16 characters in production"]
