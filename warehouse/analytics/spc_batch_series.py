"""Long-format values (series, month, value) into the right-aligned matrix `xmr_icons` reads.

A series is one member's values of one measure in month order; a month without a value is
simply not a point (the SPC charts do not invent one), so each row holds its values packed
to the right, latest last, without gaps. Built with scatter and cumulative sums over a month
grid: no sort and no Python loop per series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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


def series_matrix(series: npt.ArrayLike, month: npt.ArrayLike, value: npt.ArrayLike,
                  n_series: int) -> SeriesMatrix:
    """Pack each series' values (at most one per month) to the right of its row.

    `month` is any integer month count (e.g. year * 12 + month - 1).
    """
    rows = np.asarray(series)
    months = np.asarray(month)
    values = np.asarray(value, dtype=np.float64)
    if rows.size == 0:
        return SeriesMatrix(np.zeros((n_series, 0)), np.zeros(n_series, dtype=np.int64),
                            np.full(n_series, -1, dtype=np.int64),
                            np.zeros((n_series, 0), dtype=bool), 0)
    first = int(months.min())
    span = int(months.max()) - first + 1
    # 32-bit index arithmetic where it fits: the scatters and gathers are the cost here.
    index = np.int32 if n_series * (span + 1) < 2**31 else np.int64
    rows = rows.astype(index, copy=False)
    offset = (months - first).astype(index, copy=False)
    present = np.zeros(n_series * span, dtype=bool)
    present[rows * index(span) + offset] = True
    grid = present.reshape(n_series, span)
    # Counted from the row's end: how many values lie at or after each month, which is the
    # value's distance from the end of its packed row.
    from_end = np.cumsum(grid[:, ::-1], axis=1, dtype=index)
    lengths = from_end[:, -1].astype(np.int64)
    width = int(lengths.max())
    distance = from_end.ravel()[rows * index(span) + (index(span - 1) - offset)]
    packed = np.full(n_series * width, np.nan)
    packed[rows * index(width) + (index(width) - distance)] = values
    last = np.where(lengths > 0, first + span - 1 - np.argmax(grid[:, ::-1], axis=1), -1)
    return SeriesMatrix(packed.reshape(n_series, width), lengths, last.astype(np.int64), grid,
                        first)
