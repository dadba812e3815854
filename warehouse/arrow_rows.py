"""Arrow tables into and out of DuckDB in one statement each: records inserted as one table (no
per-row statements), and a table written as JSON or CSV text by DuckDB (no Python per row)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
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
    with registered(cur, "_incoming", arrow):
        cur.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM _incoming")


@contextmanager
def registered(cur: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> Iterator[None]:
    """`rows` readable as the view `name` on `cur` for the block, and no longer after it."""
    cur.register(name, rows)
    try:
        yield
    finally:
        cur.unregister(name)


ROWS_AS_JSON = "SELECT CAST(to_json(_rows) AS VARCHAR) AS row_json FROM _rows AS _rows"
"""Each row of the registered Arrow table `_rows` as one JSON object, in the table's order
(DuckDB keeps the order of a scan without ORDER BY: `preserve_insertion_order`, on by default
in the warehouse)."""


def json_array(cur: duckdb.DuckDBPyConnection, rows: pa.Table) -> str:
    """`rows` as a JSON array of objects keyed by column name (null for nulls), in row order.

    The board overview's 10,000 rows × 27 columns took 80 ms as Python dicts through orjson
    (45 ms of it building the dicts) and take about 35 ms this way (bench/analytics.py,
    "overview as JSON"); both parse to the same values, floats exactly."""
    with registered(cur, "_rows", rows):
        objects = cur.sql(ROWS_AS_JSON).to_arrow_table().column("row_json").to_pylist()
    return "[" + ",".join(objects) + "]"


ROWS_AS_CSV = "COPY (SELECT * FROM _rows) TO '{path}' (FORMAT csv, HEADER, DELIMITER ',')"
"""A header, then each row of `_rows` in order: null empty, booleans true/false, floats in
their shortest exact form (as Python prints them), fields quoted only where they must be (an
empty string is quoted, to tell it from null)."""


def csv_text(cur: duckdb.DuckDBPyConnection, rows: pa.Table) -> str:
    """`rows` as CSV text with a header, through a temporary file (DuckDB's COPY writes files).

    The board overview's 10,000 rows took 214 ms through Python's csv writer and take about
    40 ms this way, the same text byte for byte but for the quoted empty strings
    (docs/benchmarks.md, fifth round)."""
    with tempfile.TemporaryDirectory(prefix="concord-csv-") as folder:
        path = Path(folder) / "rows.csv"
        with registered(cur, "_rows", rows):
            cur.execute(ROWS_AS_CSV.format(path=path.as_posix()))
        return path.read_text(encoding="utf-8")
