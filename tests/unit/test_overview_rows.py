"""The overview's reads of its million-row result: cells and the small-number mask, rows taken
chunk by chunk, latest rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from warehouse.queries.overview import _latest_rows, _taken
from warehouse.queries.overview_values import cells_of_series, shared_values


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


def _catalogue_measures(*thresholds: tuple[float | None, float | None]) -> list[dict[str, Any]]:
    return [{"value_below": value_below, "denominator_below": denominator_below}
            for value_below, denominator_below in thresholds]


def test_shared_values_mask_each_value_by_its_own_measures_cut() -> None:
    """A value below the largest cut but above its own measure's is kept; one below its own
    is masked, by value (a count) or by denominator (a ratio kind); a measure without a cut
    masks nothing."""
    measures = _catalogue_measures((10.0, None), (None, 40.0), (None, None))
    cell_of_key = np.array([0, 1, 2, 3, 4, 5])  # two members: measure = cell // 2
    values = pa.table({
        "series_key": pa.array([0, 1, 2, 3, 4, 5, 0], pa.int32()),
        "month_index": pa.array([7, 7, 7, 7, 7, 7, 6], pa.int32()),
        "value": [9.0, 12.0, 0.5, 0.5, 1.0, 2.0, 10.0],
        "numerator": [None, None, 10.0, 20.0, None, None, None],
        "denominator": [None, None, 20.0, 40.0, 3.0, None, None],
    })

    shared = shared_values(values, cell_of_key, measures, n_members=2)

    np.testing.assert_array_equal(shared.value, [np.nan, 12.0, np.nan, 0.5, 1.0, 2.0, 10.0])
    assert shared.kept is None
    assert shared.cell.tolist() == [0, 1, 2, 3, 4, 5, 0]


def test_shared_values_leave_out_series_outside_the_catalogue() -> None:
    """A series whose member or measure is not in the catalogue at the position (cell -1) is
    left out; rows_read maps the rows kept back to the table read, for its numerators."""
    measures = _catalogue_measures((None, None))
    cell_of_key = np.array([0, -1, 1])
    values = pa.table({
        "series_key": pa.array([1, 0, 2, 1], pa.int32()),
        "month_index": pa.array([3, 3, 3, 4], pa.int32()),
        "value": [1.0, 2.0, 3.0, 4.0],
        "numerator": pa.nulls(4, pa.float64()), "denominator": pa.nulls(4, pa.float64()),
    })

    shared = shared_values(values, cell_of_key, measures, n_members=2)

    assert shared.cell.tolist() == [0, 1]
    assert shared.value.tolist() == [2.0, 3.0]
    assert shared.rows_read(np.array([0, 1])).tolist() == [1, 2]


def test_each_series_key_gets_its_cell_in_catalogue_order() -> None:
    """cell = measure index × members + member index, whatever order the keys come in; a
    series of a member or measure not in the catalogue at the position gets -1."""
    series = pa.table({
        "series_key": pa.array([3, 0, 1, 2, 4], pa.int32()),
        "org_code": ["RB", "RA", "RB", "GONE", "RA"],
        "measure_code": ["m2", "m1", "m1", "m1", "old"],
    })
    members = [{"org_code": "RA"}, {"org_code": "RB"}]
    measures = [{"measure_code": "m1"}, {"measure_code": "m2"}]

    assert cells_of_series(series, measures, members).tolist() == [0, 1, -1, 3, -1]
    assert cells_of_series(series.slice(0, 0), measures, members).size == 0
