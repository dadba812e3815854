"""A month × series grid into the right-aligned series matrix the batch XmR reads."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from warehouse.analytics.spc_batch_series import SeriesMatrix, month_grid_matrix


def series_matrix(series: list[int], month: list[int], value: list[float],
                  n_series: int) -> SeriesMatrix:
    """Long-format values (at most one per series and month) scattered onto the grid."""
    if not series:
        return month_grid_matrix(np.zeros((0, n_series)), 0)
    first = min(month)
    by_month = np.full((max(month) - first + 1, n_series), np.nan)
    by_month[np.array(month) - first, np.array(series)] = value
    return month_grid_matrix(by_month, first)


def test_each_row_holds_its_values_in_month_order_packed_right_without_gaps() -> None:
    matrix = series_matrix(series=[0, 0, 0, 2, 2], month=[24005, 24003, 24009, 24001, 24002],
                           value=[1.0, 2.0, 3.0, 4.0, 5.0], n_series=3)

    assert matrix.lengths.tolist() == [3, 0, 2]
    assert matrix.values[0].tolist() == [2.0, 1.0, 3.0]
    assert all(math.isnan(v) for v in matrix.values[1])
    assert matrix.values[2, 1:].tolist() == [4.0, 5.0]
    assert matrix.last_month.tolist() == [24009, -1, 24002]
    assert matrix.months(0).tolist() == [24003, 24005, 24009]


def test_no_values_give_empty_rows() -> None:
    matrix = series_matrix([], [], [], n_series=2)

    assert matrix.values.shape == (2, 0)
    assert matrix.lengths.tolist() == [0, 0]
    assert matrix.last_month.tolist() == [-1, -1]


@given(st.dictionaries(st.tuples(st.integers(0, 5), st.integers(0, 30)),
                       st.floats(-1e6, 1e6), max_size=80))
def test_packing_keeps_every_series_in_time_order(cells: dict[tuple[int, int], float]) -> None:
    keys = list(cells)
    matrix = series_matrix([s for s, _ in keys], [m for _, m in keys], list(cells.values()), 6)

    for row in range(6):
        expected = [cells[(s, m)] for s, m in sorted(keys) if s == row]
        packed = matrix.values[row, matrix.values.shape[1] - len(expected):].tolist()
        assert packed == expected
        assert matrix.lengths[row] == len(expected)
        assert np.isnan(matrix.values[row, : matrix.values.shape[1] - len(expected)]).all()


def test_rows_without_gaps_ending_in_different_months_are_shifted_right() -> None:
    matrix = series_matrix(series=[0, 0, 0, 1, 1, 2], month=[5, 6, 7, 3, 4, 7],
                           value=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], n_series=3)

    assert matrix.values.tolist()[0] == [1.0, 2.0, 3.0]
    assert matrix.values[1, 1:].tolist() == [4.0, 5.0]
    assert matrix.values[2, 2:].tolist() == [6.0]
    assert matrix.last_month.tolist() == [7, 4, 7]
    assert matrix.months(1).tolist() == [3, 4]


def test_a_nan_value_is_not_a_point() -> None:
    nan = float("nan")
    matrix = series_matrix(series=[0, 0, 0, 1, 1], month=[1, 2, 3, 1, 2],
                           value=[1.0, 2.0, nan, nan, 5.0], n_series=2)

    assert matrix.lengths.tolist() == [2, 1]
    assert matrix.values[0].tolist() == [1.0, 2.0]
    assert matrix.values[1, 1:].tolist() == [5.0]
    assert matrix.last_month.tolist() == [2, 2]


@given(st.dictionaries(st.tuples(st.integers(0, 5), st.integers(0, 30)),
                       st.one_of(st.floats(-1e6, 1e6), st.just(math.nan)), max_size=80),
       st.booleans())
def test_packing_leaves_out_nan_values_with_or_without_gaps(
    cells: dict[tuple[int, int], float], gapless: bool
) -> None:
    if gapless:  # each series' months made consecutive, ending anywhere
        by_series: dict[int, list[float]] = {}
        for (s, _), v in sorted(cells.items()):
            by_series.setdefault(s, []).append(v)
        cells = {(s, 30 - s - i): v for s, vs in by_series.items()
                 for i, v in enumerate(reversed(vs))}
    keys = list(cells)
    matrix = series_matrix([s for s, _ in keys], [m for _, m in keys], list(cells.values()), 6)

    for row in range(6):
        months = [m for s, m in sorted(keys) if s == row and not math.isnan(cells[(s, m)])]
        expected = [cells[(row, m)] for m in months]
        packed = matrix.values[row, matrix.values.shape[1] - len(expected):].tolist()
        assert packed == expected
        assert matrix.lengths[row] == len(expected)
        assert matrix.last_month[row] == (months[-1] if months else -1)
        assert matrix.months(row).tolist() == months
        assert np.isnan(matrix.values[row, : matrix.values.shape[1] - len(expected)]).all()
