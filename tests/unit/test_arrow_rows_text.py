"""Rows written as JSON or CSV text by DuckDB read back as the rows themselves, in their order."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pyarrow as pa
import pytest

from warehouse.arrow_rows import csv_text, json_array


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


AWKWARD = {
    "name": pa.array(['St "Mary\'s", Trust', "line\nbreak", "Ysbyty Gwynedd – ŵ", None]),
    "value": pa.array([0.1, 1e-300, 1.0, None], type=pa.float64()),
    "suppressed": pa.array([False, True, None, False]),
    "rank": pa.array([1, None, 3, 4], type=pa.int64()),
}


def test_awkward_values_keep_their_meaning(cur: duckdb.DuckDBPyConnection) -> None:
    rows = pa.table(AWKWARD)

    assert json.loads(json_array(cur, rows)) == rows.to_pylist()


def test_no_rows_is_an_empty_array_or_a_lone_header(cur: duckdb.DuckDBPyConnection) -> None:
    rows = pa.table({"value": pa.array([], type=pa.float64())})

    assert json_array(cur, rows) == "[]"
    assert csv_text(cur, rows) == "value\n"


def _as_python_writes_it(rows: pa.Table) -> str:
    """The CSV the endpoints wrote before DuckDB did: null empty, booleans true/false."""
    def cell(value: object) -> object:
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else value

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(rows.column_names)
    writer.writerows([cell(v) for v in row] for row in zip(*rows.to_pydict().values(), strict=True))
    return buffer.getvalue()


def test_csv_is_what_pythons_csv_writer_wrote(cur: duckdb.DuckDBPyConnection) -> None:
    rows = pa.table({
        **AWKWARD,
        "value": pa.array([1e-05, 1e16, 1.2345678901234568e17, None], type=pa.float64()),
    })

    assert csv_text(cur, rows) == _as_python_writes_it(rows)


def test_csv_keeps_the_row_order_and_reads_back(cur: duckdb.DuckDBPyConnection) -> None:
    rows = pa.table({"code": [f"M{i:06d}" for i in range(100_000)],
                     "value": [i / 7 for i in range(100_000)]})

    read = list(csv.DictReader(io.StringIO(csv_text(cur, rows))))

    assert [r["code"] for r in read] == rows.column("code").to_pylist()
    assert [float(r["value"]) for r in read] == rows.column("value").to_pylist()


def test_an_empty_string_is_quoted_to_tell_it_from_null(cur: duckdb.DuckDBPyConnection) -> None:
    rows = pa.table({"unit": pa.array(["", None], type=pa.string())})

    assert csv_text(cur, rows) == 'unit\n""\n\n'
