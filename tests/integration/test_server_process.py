"""The real server process: catches up with events another process writes; CLI goes through it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

DEADLINE_S = 20.0


def _advertised_url(server_file: Path) -> str | None:
    """The URL the server wrote to server.json, once it has."""
    try:
        return str(json.loads(server_file.read_text())["url"])
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def _wait_until(check, deadline_s: float = DEADLINE_S):  # type: ignore[no-untyped-def]
    stop = time.monotonic() + deadline_s
    while time.monotonic() < stop:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {deadline_s} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    # Port 0: the server binds a free port itself and says which in server.json, so servers
    # of tests running side by side never race for one.
    env = {**os.environ, "CONCORD_DATA_DIR": str(tmp_path / "var"), "CONCORD_PORT": "0",
           "CONCORD_ANONYMOUS_ROLE": "board", "CONCORD_OPERATOR": "olivia"}
    proc = subprocess.Popen([sys.executable, "-m", "concord", "serve"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = _wait_until(lambda: _advertised_url(tmp_path / "var" / "server.json"))
        assert not url.endswith(":0")
        _wait_until(lambda: _get(url + "/healthz"))
        yield url, env
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "concord", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_events_written_by_another_process_reach_the_running_server(server) -> None:  # type: ignore[no-untyped-def]
    url, env = server
    assert _get(url + "/api/v1/members") == []

    applied = _cli(env, "config", "apply")
    assert applied.returncode == 0, applied.stderr
    written_at = time.monotonic()

    members = _wait_until(lambda: _get(url + "/api/v1/members"))
    arrived_after = time.monotonic() - written_at
    assert len(members) == 274  # type: ignore[arg-type]
    health = _get(url + "/healthz")
    assert health["lag"] == 0 and health["log_head"] == 2  # type: ignore[index]
    print(f"arrived after {arrived_after:.3f} s")


def test_cli_rebuild_and_verify_go_through_the_running_server(server) -> None:  # type: ignore[no-untyped-def]
    url, env = server
    assert _cli(env, "config", "apply").returncode == 0
    _wait_until(lambda: _get(url + "/healthz")["projection_position"] == 2)  # type: ignore[index]

    rebuilt = _cli(env, "rebuild")
    verified = _cli(env, "verify")

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt by the running server" in rebuilt.stdout
    assert verified.returncode == 0, verified.stderr
    assert "identical to a rebuild at position 2" in verified.stdout
    assert len(_get(url + "/api/v1/members")) == 274  # type: ignore[arg-type]


def test_cli_import_goes_through_the_running_server(server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.api.test_returns_api import PERIOD, csv_for

    url, env = server
    assert _cli(env, "config", "apply").returncode == 0
    file = tmp_path / "rtx.csv"
    file.write_text(csv_for("RTX"))

    imported = _cli(env, "import", str(file), "--as", "RTX", "--json")
    status = _cli(env, "status", "--period", PERIOD, "--json")

    assert imported.returncode == 0, imported.stderr
    receipt = json.loads(imported.stdout)
    assert receipt["accepted"] is True
    health = _get(url + "/healthz")
    assert health["projection_position"] >= receipt["position"]  # type: ignore[index]
    rtx = next(r for r in json.loads(status.stdout) if r["org_code"] == "RTX")
    assert rtx["received"] == 3
