"""The overview's reads of its million-row result: rows taken chunk by chunk, latest rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from warehouse.queries.overview import _latest_rows, _taken


def test_rows_taken_chunk_by_chunk_equal_one_take_over_the_whole_column() -> None:
    chunks = [[1.0, None, 3.0], [], [4.0, 5.0], [None, 7.0, 8.0, 9.0]]
    table = pa.table({"numerator": pa.chunked_array(chunks, type=pa.float64())})
    rows = np.array([0, 1, 3, 5, 8])

    taken = _taken(table, "numerator", rows)

    expected = table.column("numerator").take(pa.array(rows)).to_numpy(zero_copy_only=False)
    np.testing.assert_array_equal(taken, expected)
    assert _taken(table, "numerator", np.zeros(0, dtype=np.int64)).size == 0


def test_latest_rows_are_those_in_their_own_measures_latest_month() -> None:
    members = 2
    cell = np.array([0, 1, 2, 3, 0, 2, 3, 1])  # measure = cell // members
    month = np.array([5, 5, 3, 3, 4, 2, 1, 6])
    latest = np.array([6, 3, -1])  # measure 2 has no value

    assert _latest_rows(cell, month, latest, members).tolist() == [2, 3, 7]
    assert _latest_rows(cell[:0], month[:0], np.full(3, -1), members).size == 0
