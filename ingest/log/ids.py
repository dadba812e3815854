"""Deterministic aggregate ids, so a record can be found from its natural key."""

from __future__ import annotations

from uuid import UUID, uuid5

CONCORD_NAMESPACE = UUID("6f1c2a34-52d4-4b7e-9c0e-3c2f1d6a9b10")


def natural_id(kind: str, *parts: str) -> UUID:
    """The same (kind, parts) always gives the same id; different kinds never collide."""
    return uuid5(CONCORD_NAMESPACE, "/".join((kind, *parts)))
