"""CLI command ``cityindex serve``: the website and JSON API on the bundled editions."""

import threading
import time

import typer

from cityindex.cli.app import app


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    open_pilot: bool = typer.Option(
        True, "--open-pilot/--no-open-pilot",
        help="Show the computed open pilot edition next to the published ones (when it is available)."),
    cache_ttl: float | None = typer.Option(
        None, "--cache-ttl", min=0, help="Seconds a rendered page is kept (0 = off; default: CITYINDEX_WEB_CACHE_TTL, 60)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
) -> None:
    """Serve the Smart City Index website (German, English via the switch) and its JSON API.

    Every page has a JSON twin (append .json); the API is described at /api/docs.
    No CDN and no internet access is needed. With CITYINDEX_ENVIRONMENT=production it refuses to
    start unless CITYINDEX_SECRET_KEY is a real secret (see docs/operations.md).

    Example:

        cityindex serve --port 8000
    """
    import os

    import uvicorn

    from cityindex.settings import get_settings

    if cache_ttl is not None:
        os.environ["CITYINDEX_WEB_CACHE_TTL"] = str(cache_ttl)
    get_settings()  # invalid settings (a placeholder secret in production …) stop here with one line
    os.environ["CITYINDEX_WEB_OPEN_PILOT"] = "1" if open_pilot else "0"
    url = f"http://{host}:{port}/"
    threading.Thread(target=_announce_when_answering, args=(url,), daemon=True).start()
    uvicorn.run("cityindex.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False, server_header=False)


def _announce_when_answering(url: str, *, timeout: float = 300.0) -> None:
    """Print the address once the start page answers (it also warms the editions for the visitor)."""
    import urllib.error
    import urllib.request

    local = url.replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://[::1]:")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(local, timeout=30) as response:
                response.read()
            break
        except urllib.error.HTTPError:
            break  # the server answers, even if with an error page
        except OSError:
            time.sleep(0.1)
    typer.echo(f"cityindex website on {url}  (Ctrl+C stops)")
