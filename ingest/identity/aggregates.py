"""Users and API tokens as aggregates in the log, so every grant and revocation is a fact.

A token's secret never enters the log: ``TokenIssued`` holds only its SHA-256 digest.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from ingest.log.events import ConcordAggregate
from ingest.log.ids import natural_id


class User(ConcordAggregate):
    """A person who may sign in; a submitter is bound to the one member it acts for."""

    TOPIC = "concord:User"

    class Created(ConcordAggregate.Created):
        """Version 1, stored as ``UserRegistered``.

        Named ``Created`` because eventsourcing redefines an inherited ``Created`` on every
        aggregate, and a second, never-used creation event would need a topic of its own.
        """

        TOPIC = "concord:UserRegistered"
        username: str
        display_name: str
        role: str
        member_code: str | None
        can_sign_off: bool

    class RoleChanged(ConcordAggregate.Event):
        """Version 1: the whole new grant, so a reader never has to merge partial changes."""

        TOPIC = "concord:UserRoleChanged"
        role: str
        member_code: str | None
        can_sign_off: bool

    class Deactivated(ConcordAggregate.Event):
        """Version 1."""

        TOPIC = "concord:UserDeactivated"
        reason: str

    @staticmethod
    def create_id(username: str, **_: object) -> UUID:
        return natural_id("user", username)

    @event(Created)
    def __init__(
        self, *, actor: str, org_code: str | None, username: str, display_name: str, role: str,
        member_code: str | None, can_sign_off: bool,
    ) -> None:
        self.username = username
        self.display_name = display_name
        self.role = role
        self.member_code = member_code
        self.can_sign_off = can_sign_off
        self.active = True
        self.deactivated_reason: str | None = None

    @event(RoleChanged)
    def change_role(
        self, *, actor: str, org_code: str | None, role: str, member_code: str | None,
        can_sign_off: bool,
    ) -> None:
        self.role = role
        self.member_code = member_code
        self.can_sign_off = can_sign_off

    @event(Deactivated)
    def deactivate(self, *, actor: str, org_code: str | None, reason: str) -> None:
        self.active = False
        self.deactivated_reason = reason


class ApiToken(ConcordAggregate):
    """A bearer credential for one user; it ends by expiry or by revocation, never by edit."""

    TOPIC = "concord:ApiToken"

    class Created(ConcordAggregate.Created):
        """Version 1, stored as ``TokenIssued``; ``expires_at`` is ISO-8601 UTC text."""

        TOPIC = "concord:TokenIssued"
        token_id: str
        username: str
        label: str
        secret_sha256: str
        expires_at: str

    class Revoked(ConcordAggregate.Event):
        """Version 1."""

        TOPIC = "concord:TokenRevoked"
        reason: str

    @staticmethod
    def create_id(token_id: str, **_: object) -> UUID:
        return natural_id("token", token_id)

    @event(Created)
    def __init__(
        self, *, actor: str, org_code: str | None, token_id: str, username: str, label: str,
        secret_sha256: str, expires_at: str,
    ) -> None:
        self.token_id = token_id
        self.username = username
        self.label = label
        self.secret_sha256 = secret_sha256
        self.expires_at = expires_at
        self.revoked = False
        self.revoked_reason: str | None = None

    @event(Revoked)
    def revoke(self, *, actor: str, org_code: str | None, reason: str) -> None:
        self.revoked = True
        self.revoked_reason = reason

    def expired(self, now: datetime) -> bool:
        """Expiry is inclusive: at ``expires_at`` the token already stops working."""
        return now >= datetime.fromisoformat(self.expires_at)


IDENTITY_AGGREGATES: tuple[type[ConcordAggregate], ...] = (User, ApiToken)
