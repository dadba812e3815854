"""Who did something: every event carries the actor and, where it applies, the member."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The four roles of the alliance; what each may do is decided in one policy."""

    SUBMITTER = "submitter"
    BOARD = "board"
    EXECUTIVE = "executive"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """An authenticated principal: a user, a user's API token, or a local operator.

    ``id`` is what the log records (``user:alice``, ``token:3f2a…``, ``cli:root``).
    ``member_code`` binds a submitter to the one member it may act for.
    """

    id: str
    role: Role
    member_code: str | None = None
    can_sign_off: bool = False

    @classmethod
    def operator(cls, name: str) -> Actor:
        """A person at the server's console (CLI): trusted as admin, recorded by name."""
        return cls(id=f"cli:{name}", role=Role.ADMIN)

    @classmethod
    def system(cls) -> Actor:
        """Concord itself, e.g. the demo loader or a derived signal."""
        return cls(id="system:concord", role=Role.ADMIN)
