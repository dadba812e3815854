""""As of": turn a moment in recorded time, or a log position, into the position to read at."""

from __future__ import annotations

from datetime import datetime

import duckdb

from warehouse.projector import POSITION_SQL

POSITION_AT_TIME_SQL = "SELECT coalesce(max(position), 0) FROM event_index WHERE recorded_at <= ?"


def resolve_position(cur: duckdb.DuckDBPyConnection, as_of: int | datetime | None) -> int:
    """The log position a view should be read at: ``None`` means everything projected so far.

    A position beyond what the warehouse holds is capped at what it holds, so a snapshot id
    never shows data the warehouse does not have yet.
    """
    projected = int(cur.execute(POSITION_SQL).fetchone()[0])  # type: ignore[index]
    if as_of is None:
        return projected
    if isinstance(as_of, datetime):
        return int(cur.execute(POSITION_AT_TIME_SQL, [as_of]).fetchone()[0])  # type: ignore[index]
    return min(int(as_of), projected)
