"""Use cases for users and API tokens: register, regrant, deactivate, issue, revoke, sign in.

Each command checks the policy first, then the input, then the log, and appends at most one
aggregate's events; a lost race surfaces as the log's ``Conflict``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from ingest.identity.aggregates import ApiToken, User
from ingest.identity.policy import Action, require, require_self_or, user_actor_id
from ingest.identity.tokens import (
    TOKEN_ID_PATTERN,
    generate_token,
    hash_secret,
    parse_token,
    secret_matches,
)
from ingest.log.actor import Actor, Role
from ingest.log.errors import Conflict, Invalid, NotFound, Unauthorized
from ingest.log.store import EventLog

USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{1,63}")
MAX_TOKEN_DAYS = 365
MAX_LABEL_LENGTH = 100
SCAN_PAGE = 500


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    member_code: str | None
    can_sign_off: bool
    active: bool
    deactivated_reason: str | None


@dataclass(frozen=True)
class IssuedToken:
    """The result of ``create_token``: ``token`` is the only time the plaintext exists."""

    token: str
    token_id: str
    username: str
    expires_at: str


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown about a token: never the secret or its digest."""

    token_id: str
    username: str
    label: str
    expires_at: str
    revoked: bool
    revoked_reason: str | None


def add_user(
    log: EventLog, actor: Actor, *, username: str, role: Role | str,
    member_code: str | None = None, display_name: str = "", can_sign_off: bool = False,
    known_members: Collection[str] | None = None,
) -> UserInfo:
    """Register a user; ``known_members`` (the catalogue's, when one exists) bounds submitters."""
    require(actor, Action.MANAGE_USERS)
    if not USERNAME_PATTERN.fullmatch(username):
        raise Invalid(
            f"username {username!r} must be 2-64 characters: a lowercase letter, then "
            "lowercase letters, digits, '.', '_' or '-'", field="username",
        )
    grant = _grant(role, member_code, can_sign_off, known_members)
    user_id = User.create_id(username)
    if log.exists(user_id):
        raise Conflict(f"user '{username}' already exists")
    user = User(
        actor=actor.id, org_code=grant.member_code, username=username,
        display_name=display_name.strip(), role=str(grant.role),
        member_code=grant.member_code, can_sign_off=grant.can_sign_off,
    )
    log.append(user)
    return _user_info(user)


def change_role(
    log: EventLog, actor: Actor, username: str, *, role: Role | str,
    member_code: str | None = None, can_sign_off: bool = False,
    known_members: Collection[str] | None = None,
) -> UserInfo:
    """Replace a user's whole grant; an identical grant records nothing."""
    require(actor, Action.MANAGE_USERS)
    grant = _grant(role, member_code, can_sign_off, known_members)
    user = _active_user(log, username)
    if grant != _Grant(Role(user.role), user.member_code, user.can_sign_off):
        user.change_role(
            actor=actor.id, org_code=grant.member_code, role=str(grant.role),
            member_code=grant.member_code, can_sign_off=grant.can_sign_off,
        )
        log.append(user)
    return _user_info(user)


def deactivate_user(log: EventLog, actor: Actor, username: str, reason: str) -> UserInfo:
    """Stop a user signing in; their tokens stop working with them, their history stays."""
    require(actor, Action.MANAGE_USERS)
    reason = _required_reason(reason)
    user = _active_user(log, username)
    user.deactivate(actor=actor.id, org_code=user.member_code, reason=reason)
    log.append(user)
    return _user_info(user)


def create_token(
    log: EventLog, actor: Actor, *, username: str, label: str = "", expires_in_days: int = 90,
    now: datetime | None = None,
) -> IssuedToken:
    """Issue a token for an active user; only its digest is recorded, so show it once."""
    require_self_or(actor, Action.MANAGE_TOKENS, username)
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise Invalid(
            f"expires_in_days must be between 1 and {MAX_TOKEN_DAYS}", field="expires_in_days",
        )
    label = label.strip()
    if len(label) > MAX_LABEL_LENGTH:
        raise Invalid(f"label must be at most {MAX_LABEL_LENGTH} characters", field="label")
    user = _active_user(log, username)
    fresh = generate_token()
    expires_at = (_utc(now) + timedelta(days=expires_in_days)).isoformat(timespec="seconds")
    token = ApiToken(
        actor=actor.id, org_code=user.member_code, token_id=fresh.token_id, username=username,
        label=label, secret_sha256=hash_secret(fresh.secret), expires_at=expires_at,
    )
    log.append(token)
    return IssuedToken(fresh.plaintext, fresh.token_id, username, expires_at)


def revoke_token(log: EventLog, actor: Actor, token_id: str, reason: str) -> TokenInfo:
    """Stop a token working; revoking one that is already revoked is a ``Conflict``."""
    reason = _required_reason(reason)
    token = _token(log, token_id)
    require_self_or(actor, Action.MANAGE_TOKENS, token.username)
    if token.revoked:
        raise Conflict(f"token '{token_id}' is already revoked ({token.revoked_reason})")
    owner = _user(log, token.username)
    token.revoke(actor=actor.id, org_code=owner.member_code, reason=reason)
    log.append(token)
    return _token_info(token)


def list_users(log: EventLog) -> list[UserInfo]:
    """Every user ever registered, deactivated ones included, in registration order."""
    return [_user_info(log.load(i)) for i in _created_ids(log, User.Created.TOPIC)]


def list_tokens(log: EventLog, *, username: str | None = None) -> list[TokenInfo]:
    """Every token ever issued (optionally one user's), in issue order, without secrets."""
    tokens = (log.load(i) for i in _created_ids(log, ApiToken.Created.TOPIC))
    return [_token_info(t) for t in tokens if username is None or t.username == username]


def authenticate(log: EventLog, presented: str, now: datetime | None = None) -> Actor:
    """The actor a bearer token stands for, or ``Unauthorized`` saying why not.

    The secret is checked before revocation or expiry, so only a holder of the real
    token learns its state; the token id reaches the request log via ``details``.
    """
    parsed = parse_token(presented)
    token_uuid = ApiToken.create_id(parsed.token_id)
    if not log.exists(token_uuid):
        raise Unauthorized("unknown token", reason="unknown", token_id=parsed.token_id)
    token: ApiToken = log.load(token_uuid)
    if not secret_matches(parsed.secret, token.secret_sha256):
        raise Unauthorized("wrong secret", reason="wrong_secret", token_id=token.token_id)
    if token.revoked:
        raise Unauthorized("token revoked", reason="revoked", token_id=token.token_id)
    if token.expired(_utc(now)):
        raise Unauthorized("token expired", reason="expired", token_id=token.token_id)
    user = _user(log, token.username)
    if not user.active:
        raise Unauthorized("user deactivated", reason="user_deactivated", token_id=token.token_id)
    return Actor(
        id=user_actor_id(user.username), role=Role(user.role), member_code=user.member_code,
        can_sign_off=user.can_sign_off,
    )


@dataclass(frozen=True)
class _Grant:
    role: Role
    member_code: str | None
    can_sign_off: bool


def _grant(
    role: Role | str, member_code: str | None, can_sign_off: bool,
    known_members: Collection[str] | None,
) -> _Grant:
    """Check the binding rules: a submitter acts for exactly one known member, nobody else does."""
    try:
        role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise Invalid(f"unknown role {role!r}; expected one of {roles}", field="role") from None
    member_code = (member_code or "").strip() or None
    if role is not Role.SUBMITTER:
        if member_code is not None:
            raise Invalid(f"a {role} user acts for the alliance, not one member", field="member")
        if can_sign_off:
            raise Invalid("only a submitter can be given sign-off rights", field="can_sign_off")
        return _Grant(role, None, False)
    if member_code is None:
        raise Invalid("a submitter must be bound to a member", field="member")
    if known_members is not None and member_code not in known_members:
        raise Invalid(f"member {member_code!r} is not in the catalogue", field="member")
    return _Grant(role, member_code, can_sign_off)


def _user(log: EventLog, username: str) -> User:
    try:
        return log.load(User.create_id(username))
    except NotFound:
        raise NotFound(f"no user '{username}'") from None


def _active_user(log: EventLog, username: str) -> User:
    user = _user(log, username)
    if not user.active:
        raise Conflict(f"user '{username}' is deactivated ({user.deactivated_reason})")
    return user


def _token(log: EventLog, token_id: str) -> ApiToken:
    token_uuid = ApiToken.create_id(token_id)
    if not TOKEN_ID_PATTERN.fullmatch(token_id) or not log.exists(token_uuid):
        raise NotFound(f"no token '{token_id}'")
    return log.load(token_uuid)


def _created_ids(log: EventLog, topic: str) -> Iterator[UUID]:
    """Ids of aggregates whose creation event has ``topic``, paging through the log."""
    start = 1
    while True:
        page = log.recorder.select_notifications(start=start, limit=SCAN_PAGE, topics=[topic])
        yield from (n.originator_id for n in page)
        if len(page) < SCAN_PAGE:
            return
        start = page[-1].id + 1


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("a reason is required", field="reason")
    return reason


def _utc(now: datetime | None) -> datetime:
    """``now`` (default: the clock) in UTC; a naive time is a caller's bug, not a guess."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def _user_info(user: User) -> UserInfo:
    return UserInfo(
        user.username, user.display_name, Role(user.role), user.member_code, user.can_sign_off,
        user.active, user.deactivated_reason,
    )


def _token_info(token: ApiToken) -> TokenInfo:
    return TokenInfo(
        token.token_id, token.username, token.label, token.expires_at, token.revoked,
        token.revoked_reason,
    )
