"""Named queries kept in ``warehouse/sql/*.sql`` (``-- name: x`` headers), and running them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from ingest.named_sql import named_statement, named_statements

SQL_DIR = Path(__file__).resolve().parent / "sql"


def queries(filename: str) -> dict[str, str]:
    """All named queries of one file in ``warehouse/sql``."""
    return named_statements(SQL_DIR / filename)


def query(filename: str, name: str) -> str:
    return named_statement(SQL_DIR / filename, name)


def first_row(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()
              ) -> tuple[Any, ...] | None:
    """The first row of `sql`, or None. Every row is fetched: with DuckDB 2.0 a result read
    with ``fetchone`` stays open, and the connection's next ``sql()`` then fails with
    "unfinished result", so a one-row lookup must not leave its result behind."""
    rows = cur.execute(sql, list(params)).fetchall()
    return rows[0] if rows else None


def fetch_dicts(
    cur: duckdb.DuckDBPyConnection, filename: str, name: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """Run a named query and return its rows as dicts keyed by column name."""
    result = cur.execute(query(filename, name), list(params))
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
