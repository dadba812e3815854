"""Insert Python records into DuckDB as one Arrow table (no per-row statements)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa


def insert_records(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    records: Sequence[Mapping[str, Any]],
) -> None:
    """``INSERT INTO table (columns) SELECT columns FROM <arrow>``; ``table`` from code only."""
    if not records:
        return
    arrow = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in records])
    insert_arrow(cur, table, columns, arrow)


def insert_arrow(
    cur: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], arrow: pa.Table
) -> None:
    column_list = ", ".join(columns)
    cur.register("_incoming", arrow)
    try:
        cur.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM _incoming")
    finally:
        cur.unregister("_incoming")
