"""Rows written as JSON text by DuckDB read back as the rows themselves, in their order."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pytest

from warehouse.arrow_rows import json_array


@pytest.fixture
def cur() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET threads = 4")  # a parallel scan must still keep the row order
    return connection


def test_every_row_reads_back_as_it_was_in_order(cur: duckdb.DuckDBPyConnection) -> None:
    chunks = [pa.table({
        "code": pa.array([f"M{start + i:06d}" for i in range(25_000)]),
        "value": pa.array([(start + i) / 7 for i in range(25_000)]),
        "rank": pa.array([start + i for i in range(25_000)], type=pa.int64()),
    }) for start in range(0, 100_000, 25_000)]
    rows = pa.concat_tables(chunks)  # several chunks, more than one row group

    assert json.loads(json_array(cur, rows)) == rows.to_pylist()


def test_awkward_values_keep_their_meaning(cur: duckdb.DuckDBPyConnection) -> None:
    rows = pa.table({
        "name": pa.array(['St "Mary\'s", Trust', "line\nbreak", "Ysbyty Gwynedd – ŵ", None]),
        "value": pa.array([0.1, 1e-300, 1.0, None], type=pa.float64()),
        "suppressed": pa.array([False, True, None, False]),
        "rank": pa.array([1, None, 3, 4], type=pa.int64()),
    })

    assert json.loads(json_array(cur, rows)) == rows.to_pylist()


def test_no_rows_is_an_empty_array(cur: duckdb.DuckDBPyConnection) -> None:
    rows = pa.table({"value": pa.array([], type=pa.float64())})

    assert json_array(cur, rows) == "[]"
