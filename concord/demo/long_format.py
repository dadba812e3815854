"""The long return format the demo builds: one row per member, measure and month.

It mirrors the upload columns (``ingest.returns.columns.INPUT_COLUMNS``) but typed, with
``period`` kept as ``'YYYY-MM'`` text because that is how a person writes it in an upload and
how the demo labels its batches; the submit path parses it like any other upload.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ingest.named_sql import named_statement
from ingest.returns.columns import INPUT_COLUMNS, RAW_SCHEMA

LONG_SCHEMA = pa.schema([
    pa.field("org_code", pa.string(), nullable=False),
    pa.field("measure_code", pa.string(), nullable=False),
    pa.field("period", pa.string(), nullable=False),  # 'YYYY-MM'
    pa.field("value", pa.float64()),
    pa.field("numerator", pa.float64()),
    pa.field("denominator", pa.float64()),
    pa.field("comment", pa.string()),
])

# One seed for every random choice in the demo (2016-04 is where the demo starts).
DEFAULT_SEED = 20161

# Every invented row carries this text in its comment, so nobody mistakes it for real data.
SYNTHETIC_COMMENT = "synthetic demo value"

SQL_DIR = Path(__file__).resolve().parent / "sql"


def demo_query(filename: str, name: str) -> str:
    """The SQL text of one named query in ``concord/demo/sql``."""
    return named_statement(SQL_DIR / filename, name)


def to_long(table: pa.Table) -> pa.Table:
    """``table`` with exactly the long columns, in order, cast to ``LONG_SCHEMA``."""
    return table.select(LONG_SCHEMA.names).cast(LONG_SCHEMA)


def to_raw(rows: pa.Table) -> pa.Table:
    """``rows`` as an upload would arrive (``RAW_SCHEMA``: every cell text, spreadsheet rows).

    The submit use case validates raw uploads, so a demo batch goes through the same checks as
    a person's file. Arrow writes whole numbers without a decimal point ("2518", not "2518.0").
    """
    long = to_long(rows)
    columns = {"row": pa.array(range(2, long.num_rows + 2), pa.int64())}
    columns |= {name: long[name].cast(pa.string()) for name in INPUT_COLUMNS}
    return pa.table(columns, schema=RAW_SCHEMA)
