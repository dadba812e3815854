"""The overview's reads of its million-row result: the grid of cells with small numbers masked,
rows taken chunk by chunk, the latest cells."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.queries.overview import _latest_cells, _taken
from warehouse.queries.overview_values import cells_of_series, shared_grid, small_number_mask


def test_rows_taken_chunk_by_chunk_equal_one_take_over_the_whole_column() -> None:
    chunks = [[1.0, None, 3.0], [], [4.0, 5.0], [None, 7.0, 8.0, 9.0]]
    table = pa.table({"numerator": pa.chunked_array(chunks, type=pa.float64())})
    rows = np.array([0, 1, 3, 5, 8])

    taken = _taken(table, "numerator", rows)

    expected = table.column("numerator").take(pa.array(rows)).to_numpy(zero_copy_only=False)
    np.testing.assert_array_equal(taken, expected)
    assert _taken(table, "numerator", np.zeros(0, dtype=np.int64)).size == 0


def test_latest_cells_are_those_with_a_value_in_their_own_measures_latest_month() -> None:
    members = 2
    latest_month = np.array([4, 6, 3, 3, -1, -1])  # per cell; measure = cell // members
    latest = np.array([6, 3, -1])  # measure 2 has no value

    assert _latest_cells(latest_month, latest, members).tolist() == [1, 2, 3]
    assert _latest_cells(latest_month[:0], latest[:0], members).size == 0


def _catalogue_measures(*thresholds: tuple[float | None, float | None]) -> list[dict[str, Any]]:
    return [{"value_below": value_below, "denominator_below": denominator_below}
            for value_below, denominator_below in thresholds]


def _read(keys: list[int], months: list[int], values: list[float | None],
          denominators: list[float | None]) -> pa.Table:
    """Rows as overview_values returns them."""
    return pa.table({
        "series_key": pa.array(keys, pa.int32()), "month_index": pa.array(months, pa.int32()),
        "value": pa.array(values, pa.float64()),
        "numerator": pa.nulls(len(keys), pa.float64()),
        "denominator": pa.array(denominators, pa.float64()),
    })


def test_the_grid_masks_each_value_by_its_own_measures_cut() -> None:
    """A value below the largest cut but above its own measure's is kept; one below its own
    is masked, by value (a count) or by denominator (a ratio kind); a measure without a cut
    masks nothing."""
    measures = _catalogue_measures((10.0, None), (None, 40.0), (None, None))
    cell_of_key = np.array([0, 1, 2, 3, 4, 5])  # two members: measure = cell // 2
    values = _read([0, 1, 2, 3, 4, 5, 0], [7, 7, 7, 7, 7, 7, 6],
                   [9.0, 12.0, 0.5, 0.5, 1.0, 2.0, 10.0],
                   [None, None, 20.0, 40.0, 3.0, None, None])

    grid = shared_grid(values, cell_of_key, measures, n_members=2)

    assert grid.first_month == 6
    np.testing.assert_array_equal(grid.by_month, [
        [10.0, np.nan, np.nan, np.nan, np.nan, np.nan],
        [np.nan, 12.0, np.nan, 0.5, 1.0, 2.0],
    ])
    assert grid.latest_month.tolist() == [7] * 6  # the masked ones too
    assert grid.latest_row.tolist() == [0, 1, 2, 3, 4, 5]


def test_the_grid_leaves_out_series_outside_the_catalogue() -> None:
    """A series whose member or measure is not in the catalogue at the position (cell -1) is
    left out; each cell's latest row is a row of the table read, for its numerators."""
    cell_of_key = np.array([0, -1, 1])
    values = _read([1, 0, 2, 1], [3, 3, 3, 4], [1.0, 2.0, 3.0, 4.0], [None] * 4)

    grid = shared_grid(values, cell_of_key, _catalogue_measures((None, None)), n_members=2)

    assert grid.by_month[0].tolist() == [2.0, 3.0]
    assert np.isnan(grid.by_month[1:]).all()  # month 4: only the series left out has one
    assert grid.latest_month.tolist() == [3, 3] and grid.latest_row.tolist() == [1, 2]


def test_the_grid_counts_rows_across_the_chunks_read() -> None:
    """Each cell's latest month and row, with the rows numbered across DuckDB's chunks."""
    chunks = [_read([0, 1], [5, 5], [1.0, 2.0], [None, None]),
              _read([], [], [], []),
              _read([1, 0, 2], [7, 4, 6], [3.0, 4.0, 5.0], [None] * 3)]
    values = pa.concat_tables(chunks)

    grid = shared_grid(values, np.array([0, 1, 2]), _catalogue_measures((None, None)),
                       n_members=3)

    assert grid.latest_month.tolist() == [5, 7, 6]
    assert grid.latest_row.tolist() == [0, 2, 4]
    assert values.column("value").num_chunks == 3


def test_nothing_read_gives_an_empty_grid() -> None:
    grid = shared_grid(_read([], [], [], []), np.zeros(0, dtype=np.int64),
                       _catalogue_measures((None, None)), n_members=2)

    assert grid.by_month.shape == (0, 2)
    assert grid.latest_month.tolist() == [-1, -1] and grid.latest_row.tolist() == [-1, -1]


def test_a_key_or_cell_outside_what_was_read_is_refused_not_written_astray() -> None:
    """The compiled pass checks what numpy would: a series key without a cell entry, or a
    cell beyond the catalogue's grid, raises."""
    measures = _catalogue_measures((None, None))
    with pytest.raises(IndexError, match="series key"):
        shared_grid(_read([3], [1], [1.0], [None]), np.array([0, 1]), measures, n_members=2)
    with pytest.raises(IndexError, match="outside the grid"):
        shared_grid(_read([1], [1], [1.0], [None]), np.array([0, 2]), measures, n_members=2)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_grid_masks_exactly_as_the_small_number_rule(data: st.DataObject) -> None:
    """Every value on the grid is small_number_mask's answer for it (NaN where small)."""
    numbers = st.one_of(st.none(), st.floats(-5, 60, allow_nan=False))
    n_measures = data.draw(st.integers(1, 4))
    measures = data.draw(st.lists(st.tuples(numbers, numbers), min_size=n_measures,
                                  max_size=n_measures))
    n_rows = data.draw(st.integers(1, n_measures * 2))
    cells = data.draw(st.lists(st.integers(0, n_measures * 2 - 1), min_size=n_rows,
                               max_size=n_rows, unique=True))
    values = data.draw(st.lists(st.floats(-5, 60, allow_nan=False), min_size=n_rows,
                                max_size=n_rows))
    denominators = data.draw(st.lists(numbers, min_size=n_rows, max_size=n_rows))
    catalogue = _catalogue_measures(*measures)

    grid = shared_grid(_read(cells, [9] * n_rows, values, denominators),
                       np.arange(n_measures * 2), catalogue, n_members=2)

    below = np.array([[np.nan if t is None else t for t in m] for m in measures])
    measure = np.array(cells) // 2
    expected = small_number_mask(np.array(values), below[measure, 0],
                                 np.array(denominators, dtype=float), below[measure, 1])
    np.testing.assert_array_equal(grid.by_month[0, cells], expected)


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
