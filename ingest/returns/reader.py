"""What the write side needs to know of what is held: a Protocol the warehouse implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pyarrow as pa


class HeldReturns(Protocol):
    """Read-side facts for deciding a submission; ``concord`` injects the warehouse's."""

    def held_values(self, org_codes: Sequence[str]) -> pa.Table:
        """Current non-retracted values of these members, all periods (HELD_SCHEMA)."""
        ...

    def unlocked(self, org_codes: Sequence[str]) -> pa.Table:
        """Returns unlocked by an admin (UNLOCKED_SCHEMA)."""
        ...

    def return_versions(self, org_codes: Sequence[str]) -> dict[tuple[str, str], int]:
        """(org_code, 'YYYY-MM') → the version of that return as the warehouse holds it."""
        ...

    def submission_position(self, submission_id: str) -> int | None:
        """The log position of an accepted submission's record, once projected."""
        ...

    def position(self) -> int:
        """The log position the warehouse has applied."""
        ...
