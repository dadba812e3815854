"""The one place that decides what each role may do, and for which member.

Commands and endpoints ask ``require(actor, action, member_code)``; none of them compares
roles themselves, so a change of rules is a change to ``PERMISSIONS`` and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from ingest.log.actor import Actor, Role
from ingest.log.errors import Forbidden

USER_ACTOR_PREFIX = "user:"


class Action(StrEnum):
    READ_SHARED = "read_shared"  # alliance dashboards and benchmarks
    READ_MEMBER = "read_member"  # one member's own detailed data
    SUBMIT_RETURN = "submit_return"
    SIGN_OFF_RETURN = "sign_off_return"
    PUBLISH_PERIOD = "publish_period"
    UNLOCK_PERIOD = "unlock_period"
    MANAGE_CATALOGUE = "manage_catalogue"
    MANAGE_USERS = "manage_users"
    MANAGE_TOKENS = "manage_tokens"
    OPERATE = "operate"  # rebuild, verify, checksums
    READ_GOVERNANCE = "read_governance"
    MANAGE_GOVERNANCE = "manage_governance"


_BOARD = frozenset({Action.READ_SHARED, Action.READ_MEMBER, Action.READ_GOVERNANCE})

PERMISSIONS: Mapping[Role, frozenset[Action]] = MappingProxyType({
    Role.SUBMITTER: frozenset({
        Action.READ_SHARED, Action.READ_MEMBER, Action.SUBMIT_RETURN, Action.SIGN_OFF_RETURN,
        Action.READ_GOVERNANCE,
    }),
    Role.BOARD: _BOARD,
    Role.EXECUTIVE: _BOARD | {Action.MANAGE_GOVERNANCE},
    Role.ADMIN: frozenset(Action),
})

# A submitter acts for one member only; for these actions the member must be named and be theirs.
MEMBER_BOUND_FOR_SUBMITTERS = frozenset({
    Action.READ_MEMBER, Action.SUBMIT_RETURN, Action.SIGN_OFF_RETURN,
})


def may(actor: Actor, action: Action, member_code: str | None = None) -> bool:
    """Whether ``actor`` may do ``action`` (for ``member_code`` where the action has one)."""
    return _refusal(actor, action, member_code) is None


def require(actor: Actor, action: Action, member_code: str | None = None) -> None:
    """Raise ``Forbidden`` naming the role, the action and the member, unless ``may``."""
    reason = _refusal(actor, action, member_code)
    if reason is not None:
        raise Forbidden(
            reason, role=str(actor.role), action=str(action), member_code=member_code,
        )


def user_actor_id(username: str) -> str:
    """The actor id a signed-in user is recorded under in the log."""
    return f"{USER_ACTOR_PREFIX}{username}"


def require_self_or(actor: Actor, action: Action, username: str) -> None:
    """Let a user act on their own records (e.g. tokens); anyone else needs ``action``."""
    if actor.id != user_actor_id(username):
        require(actor, action)


def _refusal(actor: Actor, action: Action, member_code: str | None) -> str | None:
    """Why ``actor`` may not do ``action``, or None when it may."""
    role = Role(actor.role)
    if action not in PERMISSIONS[role]:
        return f"role '{role}' may not {action}"
    if role is not Role.SUBMITTER or action not in MEMBER_BOUND_FOR_SUBMITTERS:
        return None
    # Deny when the member is unknown: a submitter's rights never reach "any member".
    if member_code is None or actor.member_code is None:
        return f"role '{role}' may {action} only for a named member of their own"
    if member_code != actor.member_code:
        return (
            f"role '{role}' may not {action} for member '{member_code}' "
            f"(bound to member '{actor.member_code}')"
        )
    if action is Action.SIGN_OFF_RETURN and not actor.can_sign_off:
        return f"role '{role}' may not {action} for member '{member_code}' without sign-off rights"
    return None
