"""Parse the ``as_of`` query parameter shared by every read endpoint."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.log.errors import Invalid


def parse_as_of(raw: str | None) -> int | datetime | None:
    """A whole number is a log position; anything else must be an ISO-8601 time."""
    if raw is None or raw == "":
        return None
    if raw.isdigit():
        return int(raw)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid(
            f"as_of={raw!r}: give a log position (e.g. 1234) or an ISO-8601 time",
            field="as_of",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
