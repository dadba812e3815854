"""Read queries behind the dashboards' home page, each answerable at any past log position.

The page is shared (board viewers, often anonymous), so it reads only published values: the
``visible_values`` rule with no member of its own and no admin rights.
"""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.asof import moment_of
from warehouse.sqlfiles import fetch_dicts

SQL_FILE = "dashboard_home.sql"


def _params(cur: duckdb.DuckDBPyConnection, position: int) -> list[Any]:
    """Judge windows at the moment of ``position``, so a past view shows what was shared then."""
    return [position, moment_of(cur, position)]


def measure_latest_at(cur: duckdb.DuckDBPyConnection, position: int) -> list[dict[str, Any]]:
    """Per measure with any shared value: latest period, members reporting it, their median."""
    return fetch_dicts(cur, SQL_FILE, "measure_latest_at", _params(cur, position))


def value_totals_at(cur: duckdb.DuckDBPyConnection, position: int) -> dict[str, Any]:
    """Shared values held, members reporting any, and the latest period with any value."""
    rows = fetch_dicts(cur, SQL_FILE, "value_totals_at", _params(cur, position))
    return rows[0]
