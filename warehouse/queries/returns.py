"""Returns read queries: lists, one return's story, one value's history."""

from __future__ import annotations

from typing import Any

import duckdb

from ingest.log.errors import NotFound
from warehouse.sqlfiles import fetch_dicts

SQL = "returns.sql"


def list_returns(cur: duckdb.DuckDBPyConnection, *, org_code: str | None,
                 period: str | None) -> list[dict[str, Any]]:
    return fetch_dicts(cur, SQL, "list_returns", [org_code, period])


def return_detail(cur: duckdb.DuckDBPyConnection, return_id: str) -> dict[str, Any]:
    rows = fetch_dicts(cur, SQL, "return_detail", [return_id])
    if not rows:
        raise NotFound(f"no return {return_id}")
    detail = rows[0]
    detail["events"] = fetch_dicts(cur, SQL, "return_events", [return_id])
    detail["values"] = fetch_dicts(cur, SQL, "return_values", [return_id])
    return detail


def value_history(cur: duckdb.DuckDBPyConnection, org_code: str, measure_code: str,
                  period: str) -> list[dict[str, Any]]:
    rows = fetch_dicts(cur, SQL, "value_history", [org_code, measure_code, period])
    if not rows:
        raise NotFound(f"no value of {measure_code} for {org_code} {period}")
    return rows


def held_measure_codes(cur: duckdb.DuckDBPyConnection, org_code: str, period: str) -> list[str]:
    return [r["measure_code"] for r in
            fetch_dicts(cur, SQL, "held_measure_codes", [org_code, period])]
