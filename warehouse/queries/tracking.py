"""Submission tracking: what is due, late or missing, per member and period."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import duckdb

from warehouse.sqlfiles import fetch_dicts

MOMENT_AT_POSITION = "SELECT max(recorded_at) FROM event_index WHERE position <= ?"


def submission_status(
    cur: duckdb.DuckDBPyConnection, period: date, position: int, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Statuses at log ``position``, judged at ``now`` (default: when that position was
    recorded, if it is in the past, so a snapshot reads as it did on the day)."""
    moment = now or _moment_of(cur, position)
    return fetch_dicts(cur, "tracking.sql", "submission_status", [period, position, moment])


def _moment_of(cur: duckdb.DuckDBPyConnection, position: int) -> datetime:
    head = cur.execute("SELECT max(position) FROM event_index").fetchone()
    if head is None or head[0] is None or position >= head[0]:
        return datetime.now(UTC)
    row = cur.execute(MOMENT_AT_POSITION, [position]).fetchone()
    return row[0] if row and row[0] else datetime.now(UTC)
