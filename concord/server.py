"""Run the server: projector thread, advertised control file for the CLI, waitress with threads."""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
from contextlib import suppress
from pathlib import Path
from typing import Any

from waitress import serve as waitress_serve

from concord.allocator import tune_allocator
from concord.app import create_app
from concord.services import build_services
from concord.settings import Settings
from concord.warm_up import warm_in_background
from ingest.catalogue.loader import load_catalogue

log = logging.getLogger(__name__)


def run_server(settings: Settings) -> None:
    """Serve until interrupted. Refuses to start on a catalogue that does not validate."""
    load_catalogue(settings.config_dir)  # raises CatalogueError naming file, entry, field
    tune_allocator()
    warm_in_background()  # the first upload's signals and the first overview need not wait
    services = build_services(settings)
    control_token = secrets.token_urlsafe(32)
    port, listening = _listening(settings.host, settings.port)
    url = f"http://{settings.host}:{port}"
    app = create_app(services, control_token=control_token, api_url=url + "/")
    services.start_projector()
    _advertise(settings.server_file, url, control_token)
    log.info("Concord serving %s (data in %s)", url, settings.data_dir)
    try:
        waitress_serve(app, threads=settings.threads, ident="concord", **listening)
    finally:
        with suppress(FileNotFoundError):
            settings.server_file.unlink()
        services.close()


def _listening(host: str, port: int) -> tuple[int, dict[str, Any]]:
    """The port served, and how waitress is to listen. Port 0 asks the kernel for a free port:
    the socket is bound here, so the app and server.json get the port actually served (tests
    start servers side by side this way, with no window for another process to take it)."""
    if port != 0:
        return port, {"host": host, "port": port}
    sock = socket.create_server((host, 0))
    return int(sock.getsockname()[1]), {"sockets": [sock]}


def _advertise(path: Path, url: str, control_token: str) -> None:
    """Tell CLI processes on this machine where the server is and how to act as operator."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"url": url, "pid": os.getpid(), "control_token": control_token}, fh)
    tmp.replace(path)
