""""As of": turn a moment in recorded time, or a log position, into the position to read at."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from ingest.log.errors import Invalid
from warehouse.projector import POSITION_SQL
from warehouse.sqlfiles import first_row

POSITION_AT_TIME_SQL = "SELECT coalesce(max(position), 0) FROM event_index WHERE recorded_at <= ?"


class AsOfError(Invalid, ValueError):
    """An ``as_of`` that is neither a log position nor an ISO-8601 time (HTTP 422)."""


def parse_as_of(raw: str | None) -> int | datetime | None:
    """``None`` for latest; a whole number is a log position; else an ISO time (UTC if naive)."""
    text = (raw or "").strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise AsOfError(
            f"as_of={text!r} is neither a log position (e.g. 1234) nor an ISO-8601 time"
            " (e.g. 2024-05-01T09:00)",
            field="as_of",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def resolve_position(cur: duckdb.DuckDBPyConnection, as_of: int | datetime | None) -> int:
    """The log position a view should be read at: ``None`` means everything projected so far.

    A position beyond what the warehouse holds is capped at what it holds, so a snapshot id
    never shows data the warehouse does not have yet.
    """
    projected = int(first_row(cur, POSITION_SQL)[0])  # type: ignore[index]
    if as_of is None:
        return projected
    if isinstance(as_of, datetime):
        return int(first_row(cur, POSITION_AT_TIME_SQL, [as_of])[0])  # type: ignore[index]
    return min(int(as_of), projected)


MOMENT_AT_POSITION_SQL = "SELECT max(recorded_at) FROM event_index WHERE position <= ?"


def moment_of(cur: duckdb.DuckDBPyConnection, position: int) -> datetime:
    """The moment a view at ``position`` is judged at (windows closed, periods locked…):
    now for the latest position, else when that position was recorded, so a snapshot reads
    as it did on the day."""
    head = first_row(cur, "SELECT max(position) FROM event_index")
    if head is None or head[0] is None or position >= head[0]:
        return datetime.now(UTC)
    row = first_row(cur, MOMENT_AT_POSITION_SQL, [position])
    return row[0] if row and row[0] else datetime.now(UTC)
