"""A month × series grid of values into the right-aligned matrix `xmr_icons` reads.

A series is one member's values of one measure in month order; a month without a value is
simply not a point (the SPC charts do not invent one), so each row holds its values packed
to the right, latest last, without gaps. A NaN value is not a point either, so a caller can
scatter every value it read onto the grid, suppressed ones included (as NaN), without
filtering a million of them first (the board overview's grid: overview_values.shared_grid).

The grid is transposed to series rows. Most rows are then packed already: no gap, last point
in the last month. Only the others (a gap, or an earlier last month) are packed, with a stable
sort of each row's presence flags, which moves its points right in time order. No sort of the
values and no Python loop per series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.analytics.spc_rules import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class SeriesMatrix:
    """`values[s, -lengths[s]:]` is series s in time order and `last_month[s]` its latest month
    (-1 for an empty series). `present[s, m]` says whether series s has a value in month
    `first_month + m`."""

    values: FloatArray
    lengths: IntArray
    last_month: IntArray
    present: BoolArray
    first_month: int

    def months(self, series: int) -> IntArray:
        """The months of series `series`' values, in order (for charting it alone)."""
        return np.flatnonzero(self.present[series]).astype(np.int64) + self.first_month


def month_grid_matrix(by_month: FloatArray, first_month: int) -> SeriesMatrix:
    """Pack a month × series grid (row m: month `first_month + m`; NaN: not a point) into
    series rows, each series' values to the right of its row. The grid is left as it is."""
    span, n_series = by_month.shape
    if span == 0:
        return SeriesMatrix(np.zeros((n_series, 0)), np.zeros(n_series, dtype=np.int64),
                            np.full(n_series, -1, dtype=np.int64),
                            np.zeros((n_series, 0), dtype=bool), first_month)
    grid = np.ascontiguousarray(by_month.T)
    present = ~np.isnan(grid)
    lengths = np.count_nonzero(present, axis=1).astype(np.int64)
    ends = span - 1 - np.argmax(present[:, ::-1], axis=1)  # column of the last point
    filled = lengths > 0
    unpacked = np.flatnonzero(filled & ((ends < span - 1)
                                        | (lengths != ends - np.argmax(present, axis=1) + 1)))
    if unpacked.size:
        order = np.argsort(present[unpacked], axis=1, kind="stable")
        grid[unpacked] = np.take_along_axis(grid[unpacked], order, axis=1)
    width = int(lengths.max()) if n_series else 0
    last = np.where(filled, first_month + ends, -1).astype(np.int64)
    return SeriesMatrix(grid[:, span - width :], lengths, last, present, first_month)
