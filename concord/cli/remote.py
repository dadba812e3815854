"""Talk to a running server from the CLI: DuckDB lets only the server open the warehouse."""

from __future__ import annotations

import getpass
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from concord.settings import Settings

TIMEOUT_S = 600.0


class RemoteError(RuntimeError):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("detail") or body.get("message") or f"HTTP {status}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class RemoteServer:
    url: str
    control_token: str

    def request(self, method: str, path: str, body: Any = None, *,
                data: Any = None, content_type: str | None = None,
                headers: dict[str, str] | None = None) -> Any:
        """JSON ``body``, or raw ``data`` (bytes or an iterable of chunks) of ``content_type``."""
        if body is not None:
            data, content_type = json.dumps(body).encode(), "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.control_token}")
        operator = os.environ.get("CONCORD_OPERATOR") or getpass.getuser()
        req.add_header("X-Concord-Operator", operator)
        if content_type:
            req.add_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = {"detail": raw.decode(errors="replace")[:500]}
            raise RemoteError(exc.code, payload) from None


def find_server(settings: Settings) -> RemoteServer | None:
    """The server advertised in the data dir, if its process is alive and answering."""
    try:
        info = json.loads(settings.server_file.read_text())
    except (FileNotFoundError, ValueError):
        return None
    if not _alive(int(info.get("pid", 0))):
        return None
    server = RemoteServer(info["url"], info["control_token"])
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=5):
            return server
    except urllib.error.HTTPError:
        return server  # answering, though unhealthy: still the owner of the warehouse
    except OSError:
        return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
