"""Read queries behind the dashboards' home page, each answerable at any past log position."""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.asof import resolve_position
from warehouse.sqlfiles import fetch_dicts

SQL_FILE = "dashboard_home.sql"


def _params(cur: duckdb.DuckDBPyConnection, position: int) -> list[Any]:
    """At the latest projected position ``current_values`` is the answer; earlier, rebuild it."""
    reads_current = position >= resolve_position(cur, None)
    return [position, reads_current]


def measure_latest_at(cur: duckdb.DuckDBPyConnection, position: int) -> list[dict[str, Any]]:
    """Per measure with any value: latest period, members reporting it, their median value."""
    return fetch_dicts(cur, SQL_FILE, "measure_latest_at", _params(cur, position))


def value_totals_at(cur: duckdb.DuckDBPyConnection, position: int) -> dict[str, Any]:
    """Values held, members reporting any, and the latest period with any value."""
    rows = fetch_dicts(cur, SQL_FILE, "value_totals_at", _params(cur, position))
    return rows[0]
