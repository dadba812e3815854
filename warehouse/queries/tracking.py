"""Submission tracking: what is due, late or missing, per member and period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.asof import moment_of
from warehouse.sqlfiles import fetch_dicts


def submission_status(
    cur: duckdb.DuckDBPyConnection, period: date, position: int, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Statuses at log ``position``, judged at ``now`` (default: when that position was
    recorded, if it is in the past, so a snapshot reads as it did on the day)."""
    moment = now or moment_of(cur, position)
    return fetch_dicts(cur, "tracking.sql", "submission_status", [period, position, moment])
