"""Read the ``?as_of=`` query parameter of a page: a log position or an ISO-8601 time."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_as_of(raw: str | None) -> int | datetime | None:
    """``None`` for latest; a whole number is a log position; else an ISO time (UTC if naive).

    Raises ``ValueError`` with a message fit to show the reader.
    """
    text = (raw or "").strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"as_of={text!r} is neither a log position (e.g. 1234) nor an ISO-8601 time"
            " (e.g. 2024-05-01T09:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
