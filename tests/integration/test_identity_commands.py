"""Users and tokens against a real SQLite log: issuing, signing in, refusing, and the record."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from concord.services import register_events
from ingest.identity import commands
from ingest.identity.tokens import hash_secret, parse_token
from ingest.log.actor import Actor, Role
from ingest.log.codec import EventCompressor
from ingest.log.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from ingest.log.store import EventLog

ADMIN = Actor.operator("tester")
MEMBERS = ("M01", "M02")


@pytest.fixture
def log(tmp_path: Path) -> Iterator[EventLog]:
    register_events()
    event_log = EventLog(f"sqlite:///{tmp_path}/events.sqlite")
    yield event_log
    event_log.close()


def _submitter(log: EventLog, username: str = "sam", member: str = "M01") -> None:
    commands.add_user(
        log, ADMIN, username=username, role=Role.SUBMITTER, member_code=member,
        can_sign_off=True, known_members=MEMBERS,
    )


def _unauthorized(log: EventLog, presented: str, now: datetime | None = None) -> Unauthorized:
    with pytest.raises(Unauthorized) as caught:
        commands.authenticate(log, presented, now=now)
    assert caught.value.status == 401
    return caught.value


def test_token_authenticates_as_its_user_with_role_and_member(log: EventLog) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam", label="etl")

    actor = commands.authenticate(log, issued.token)

    assert actor == Actor(id="user:sam", role=Role.SUBMITTER, member_code="M01", can_sign_off=True)
    assert issued.token.startswith(f"ccd_{issued.token_id}_")


def test_token_secret_is_stored_only_as_its_hash(log: EventLog, tmp_path: Path) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam")
    secret = parse_token(issued.token).secret.encode()

    for path in tmp_path.glob("events.sqlite*"):
        assert secret not in path.read_bytes(), path
    # Stored events are compressed, so the file bytes alone would prove little.
    with sqlite3.connect(tmp_path / "events.sqlite") as db:
        stored = db.execute("SELECT state FROM concord_events").fetchall()
    states = [EventCompressor().decompress(state) for (state,) in stored]
    assert not any(secret in state for state in states)
    assert any(hash_secret(secret.decode()).encode() in state for state in states)
    assert secret.decode() not in repr(commands.list_tokens(log))


def test_revoked_token_is_refused_as_revoked(log: EventLog) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam")

    info = commands.revoke_token(log, ADMIN, issued.token_id, "laptop lost")

    assert info.revoked and info.revoked_reason == "laptop lost"
    assert _unauthorized(log, issued.token).message == "token revoked"


def test_revoking_twice_is_a_conflict(log: EventLog) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam")
    commands.revoke_token(log, ADMIN, issued.token_id, "rotated")

    with pytest.raises(Conflict, match="already revoked"):
        commands.revoke_token(log, ADMIN, issued.token_id, "again")


def test_revoking_needs_a_reason_and_a_real_token(log: EventLog) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam")

    with pytest.raises(Invalid, match="reason"):
        commands.revoke_token(log, ADMIN, issued.token_id, "  ")
    with pytest.raises(NotFound):
        commands.revoke_token(log, ADMIN, "0123456789abcdef", "typo")


def test_token_stops_working_at_its_expiry(log: EventLog) -> None:
    _submitter(log)
    issued_at = datetime(2025, 1, 1, tzinfo=UTC)
    issued = commands.create_token(
        log, ADMIN, username="sam", expires_in_days=30, now=issued_at,
    )
    expiry = issued_at + timedelta(days=30)

    assert issued.expires_at == "2025-01-31T00:00:00+00:00"
    commands.authenticate(log, issued.token, now=expiry - timedelta(seconds=1))
    assert _unauthorized(log, issued.token, now=expiry).message == "token expired"


def test_unknown_token_is_refused(log: EventLog) -> None:
    stranger = "ccd_0123456789abcdef_" + "A" * 43

    assert _unauthorized(log, stranger).message == "unknown token"


@pytest.mark.parametrize(
    "presented",
    ["", "Bearer x", "ccd_0123_abc", "ccd_0123456789ABCDEF_" + "A" * 43,
     "xyz_0123456789abcdef_" + "A" * 43, "ccd_0123456789abcdef_" + "A" * 42 + "!"],
)
def test_malformed_token_is_refused(log: EventLog, presented: str) -> None:
    assert _unauthorized(log, presented).message == "malformed token"


def test_right_id_with_wrong_secret_is_refused(log: EventLog) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam")
    forged = f"ccd_{issued.token_id}_" + "A" * 43

    assert _unauthorized(log, forged).message == "wrong secret"


def test_deactivated_users_tokens_stop_working(log: EventLog) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam")

    commands.deactivate_user(log, ADMIN, "sam", "left the trust")

    assert _unauthorized(log, issued.token).message == "user deactivated"
    with pytest.raises(Conflict, match="deactivated"):
        commands.create_token(log, ADMIN, username="sam")


def test_submitter_must_be_bound_to_a_known_member(log: EventLog) -> None:
    with pytest.raises(Invalid, match="bound to a member"):
        commands.add_user(log, ADMIN, username="sam", role="submitter")
    with pytest.raises(Invalid, match="not in the catalogue"):
        commands.add_user(
            log, ADMIN, username="sam", role="submitter", member_code="M99",
            known_members=MEMBERS,
        )


@pytest.mark.parametrize(
    ("member_code", "can_sign_off"), [("M01", False), (None, True)],
)
def test_alliance_roles_have_no_member_or_sign_off(
    log: EventLog, member_code: str | None, can_sign_off: bool,
) -> None:
    with pytest.raises(Invalid):
        commands.add_user(
            log, ADMIN, username="bea", role="board", member_code=member_code,
            can_sign_off=can_sign_off,
        )


@pytest.mark.parametrize("username", ["a", "Alice", "1abc", "al ice", "x" * 65])
def test_usernames_outside_the_pattern_are_refused(log: EventLog, username: str) -> None:
    with pytest.raises(Invalid, match="username"):
        commands.add_user(log, ADMIN, username=username, role="admin")


def test_duplicate_username_is_a_conflict(log: EventLog) -> None:
    commands.add_user(log, ADMIN, username="ada", role="admin")

    with pytest.raises(Conflict, match="user 'ada' already exists"):
        commands.add_user(log, ADMIN, username="ada", role="board")


def test_only_admins_add_users(log: EventLog) -> None:
    executive = Actor(id="user:eve", role=Role.EXECUTIVE)

    with pytest.raises(Forbidden, match=r"executive.*manage_users"):
        commands.add_user(log, executive, username="mallory", role="admin")
    assert commands.list_users(log) == []


def test_user_manages_own_tokens_but_not_anothers(log: EventLog) -> None:
    _submitter(log, "sam", "M01")
    _submitter(log, "sue", "M02")
    sam = commands.authenticate(log, commands.create_token(log, ADMIN, username="sam").token)
    sues = commands.create_token(log, ADMIN, username="sue")

    own = commands.create_token(log, sam, username="sam", label="laptop")
    commands.revoke_token(log, sam, own.token_id, "done")
    with pytest.raises(Forbidden):
        commands.create_token(log, sam, username="sue")
    with pytest.raises(Forbidden):
        commands.revoke_token(log, sam, sues.token_id, "mischief")


@pytest.mark.parametrize("days", [0, 366])
def test_token_lifetime_is_one_day_to_a_year(log: EventLog, days: int) -> None:
    _submitter(log)

    with pytest.raises(Invalid, match="expires_in_days"):
        commands.create_token(log, ADMIN, username="sam", expires_in_days=days)


def test_events_carry_the_actor_and_the_users_member(log: EventLog) -> None:
    _submitter(log)
    issued = commands.create_token(log, ADMIN, username="sam")
    commands.revoke_token(log, ADMIN, issued.token_id, "rotated")
    commands.change_role(log, ADMIN, "sam", role="submitter", member_code="M02")
    commands.deactivate_user(log, ADMIN, "sam", "left")

    events = [r.event for r in log.read(0, 100)]

    assert [e.TOPIC for e in events] == [
        "concord:UserRegistered", "concord:TokenIssued", "concord:TokenRevoked",
        "concord:UserRoleChanged", "concord:UserDeactivated",
    ]
    assert {e.actor for e in events} == {"cli:tester"}
    assert [e.org_code for e in events] == ["M01", "M01", "M01", "M02", "M02"]


def test_unchanged_role_records_nothing(log: EventLog) -> None:
    _submitter(log)
    head = log.head()

    info = commands.change_role(
        log, ADMIN, "sam", role="submitter", member_code="M01", can_sign_off=True,
    )

    assert log.head() == head
    assert info.member_code == "M01"


def test_listing_pages_through_the_whole_log(
    log: EventLog, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(commands, "SCAN_PAGE", 2)
    for name in ("ann", "bob", "cat", "dan", "eva"):
        commands.add_user(log, ADMIN, username=name, role="board")
        commands.create_token(log, ADMIN, username=name, label=f"{name}'s")

    assert [u.username for u in commands.list_users(log)] == ["ann", "bob", "cat", "dan", "eva"]
    assert [t.label for t in commands.list_tokens(log, username="cat")] == ["cat's"]
    assert len(commands.list_tokens(log)) == 5
