"""``concord users`` and ``concord tokens`` end to end: real log in a temp data dir."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from concord.cli import cli
from concord.services import open_log
from concord.settings import Settings
from ingest.catalogue.commands import apply_catalogue
from ingest.catalogue.model import Alliance, Catalogue, Member, ReportingCalendar
from ingest.identity.commands import authenticate
from ingest.log.actor import Actor, Role
from ingest.log.store import EventLog

Invoke = Callable[..., Result]


@pytest.fixture(scope="module")
def concord_cli() -> click.Group:
    """The ``concord`` group with the identity commands, registered once per process."""
    from concord.cli import identity

    if "users" not in cli.commands:
        identity.register(cli)
    return cli


@pytest.fixture
def run(
    concord_cli: click.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> Invoke:
    for name in ("CONCORD_EVENT_STORE_URL", "CONCORD_CIPHER_KEY", "CONCORD_WAREHOUSE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONCORD_OPERATOR", "tester")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(concord_cli, ["--data-dir", str(tmp_path), *args])

    return invoke


@pytest.fixture
def log(tmp_path: Path) -> Iterator[EventLog]:
    """A second handle on the CLI's log, to check what the commands recorded."""
    event_log = open_log(Settings.from_env({}, data_dir=tmp_path))
    yield event_log
    event_log.close()


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def _failed(result: Result) -> str:
    """A domain error: exit code 1, a one-line message, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return result.output


def test_added_users_are_listed(run: Invoke) -> None:
    _ok(run("users", "add", "ada", "--role", "admin", "--name", "Ada L"))
    added = _ok(run("users", "add", "sam", "--role", "submitter", "--member", "M01",
                    "--can-sign-off"))

    assert "added user 'sam' (submitter for member M01, may sign off)" in added.output
    table = _ok(run("users", "list")).output
    assert "ada" in table and "Ada L" in table and "M01" in table
    listed = json.loads(_ok(run("users", "list", "--json")).stdout)
    assert [(u["username"], u["role"]) for u in listed] == [("ada", "admin"), ("sam", "submitter")]


def test_submitter_member_is_checked_against_the_applied_catalogue(
    run: Invoke, log: EventLog,
) -> None:
    alliance = Alliance(
        code="A", name="Alliance", calendar=ReportingCalendar("2024-01", 10, 20),
        members=(Member("M01", "North", "trust"),),
    )
    apply_catalogue(log, Catalogue(alliance, ()), Actor.operator("tester"), source="test")

    message = _failed(run("users", "add", "sam", "--role", "submitter", "--member", "M99"))

    assert "member 'M99' is not in the catalogue" in message
    _ok(run("users", "add", "sam", "--role", "submitter", "--member", "M01"))


def test_created_token_is_printed_once_and_works(run: Invoke, log: EventLog) -> None:
    _ok(run("users", "add", "bea", "--role", "board"))

    created = _ok(run("tokens", "create", "bea", "--label", "laptop"))

    token = created.stdout.splitlines()[-1]
    assert "will not be shown again" in created.stderr
    assert authenticate(log, token) == Actor(id="user:bea", role=Role.BOARD)
    listing = _ok(run("tokens", "list")).output
    assert "laptop" in listing and "active" in listing
    assert token.split("_", 2)[2] not in listing


def test_token_json_output_is_one_object(run: Invoke) -> None:
    _ok(run("users", "add", "bea", "--role", "board"))

    issued = json.loads(_ok(run("tokens", "create", "bea", "--json")).stdout)

    assert issued["token"].startswith(f"ccd_{issued['token_id']}_")
    assert issued["username"] == "bea" and "warning" in issued
    listed = json.loads(_ok(run("tokens", "list", "--json")).stdout)
    assert [t["token_id"] for t in listed] == [issued["token_id"]]
    assert "token" not in listed[0]


def test_revoked_token_is_listed_as_revoked_and_cannot_be_revoked_again(run: Invoke) -> None:
    _ok(run("users", "add", "bea", "--role", "board"))
    token_id = json.loads(_ok(run("tokens", "create", "bea", "--json")).stdout)["token_id"]

    _ok(run("tokens", "revoke", token_id, "--reason", "rotated"))

    assert "revoked: rotated" in _ok(run("tokens", "list")).output
    assert "already revoked" in _failed(run("tokens", "revoke", token_id, "--reason", "again"))


def test_domain_errors_exit_1_with_the_message(run: Invoke) -> None:
    assert "no user 'ghost'" in _failed(run("tokens", "create", "ghost"))
    assert "between 1 and 365" in _failed(
        run("tokens", "create", "ghost", "--expires-in-days", "0")
    )
    _ok(run("users", "add", "ada", "--role", "admin"))
    assert "user 'ada' already exists" in _failed(run("users", "add", "ada", "--role", "admin"))


def test_cli_changes_are_recorded_as_the_operator(run: Invoke, log: EventLog) -> None:
    _ok(run("users", "add", "bea", "--role", "board"))
    _ok(run("tokens", "create", "bea"))

    assert {r.event.actor for r in log.read(0, 10)} == {"cli:tester"}


def test_registering_twice_keeps_one_set_of_commands(concord_cli: click.Group) -> None:
    from concord.cli import identity

    before = dict(concord_cli.commands)
    identity.register(concord_cli)

    assert concord_cli.commands == before
