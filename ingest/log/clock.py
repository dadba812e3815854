"""When an event is recorded. Normally now; the demo replays a simulated history.

The demo alliance shows three years of returns arriving on time, late and restated. Only
``concord demo`` sets a simulated clock, and only while it loads that labelled history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_simulated_now: ContextVar[datetime | None] = ContextVar("concord_simulated_now", default=None)


def recorded_now() -> datetime:
    """The time stamped on a new event: the simulated moment if one is set, else UTC now."""
    simulated = _simulated_now.get()
    return simulated if simulated is not None else datetime.now(UTC)


@contextmanager
def simulated_clock(moment: datetime) -> Iterator[None]:
    """Record events made inside the block as if at ``moment`` (demo history only)."""
    if moment.tzinfo is None:
        raise ValueError("a simulated moment needs a time zone")
    token = _simulated_now.set(moment)
    try:
        yield
    finally:
        _simulated_now.reset(token)
