"""The row sums behind the XmR batch's approximate limits, one compiled pass per row (numba).

`approximate_limits` needs, per series, the count, sum and absolute sum of its values and of
its moving ranges, then the same for the ranges below the screening cut and whether any range
lies near that cut. As numpy expressions these took 28 of the batch's 48 ms on the overview's
10,000 series × 100 months (a dozen passes over a million cells, each with its temporaries);
compiled, one pass per row takes about 5 ms (docs/benchmarks.md, fifth round). The kernels
release the GIL, so `xmr_icons`' row blocks still run on every core.

The sums here are taken left to right, not pairwise as numpy takes them: the slack of
spc_batch_limits bounds the rounding of any order of additions, so the same rows come out
settled or sent to the exact path, and every icon still equals `xmr`'s (tests/unit/
test_spc_batch.py). numba is imported, and each kernel compiled (or loaded from its on-disk
cache), on first use: nothing happens at import.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from warehouse.analytics.spc_rules import BoolArray, FloatArray, IntArray


def _value_and_range_sums(values: Any) -> Any:  # pragma: no cover - compiled by numba
    rows, width = values.shape
    counts = np.zeros(rows, dtype=np.int64)
    totals = np.zeros(rows)
    magnitudes = np.zeros(rows)
    range_counts = np.zeros(rows, dtype=np.int64)
    range_totals = np.zeros(rows)
    for row in range(rows):
        count, total, magnitude, range_count, range_total = 0, 0.0, 0.0, 0, 0.0
        for column in range(width):
            value = values[row, column]
            if not np.isnan(value):
                count += 1
                total += value
                magnitude += abs(value)
            if column > 0:
                moving_range = abs(value - values[row, column - 1])
                if not np.isnan(moving_range):
                    range_count += 1
                    range_total += moving_range
        counts[row], totals[row], magnitudes[row] = count, total, magnitude
        range_counts[row], range_totals[row] = range_count, range_total
    return counts, totals, magnitudes, range_counts, range_totals


def _screened_range_sums(values: Any, cut: Any, cut_slack: Any) -> Any:  # pragma: no cover
    rows, width = values.shape
    kept_counts = np.zeros(rows, dtype=np.int64)
    kept_totals = np.zeros(rows)
    near = np.zeros(rows, dtype=np.bool_)
    screened = np.zeros(rows, dtype=np.bool_)
    for row in range(rows):
        count, total = 0, 0.0
        low, high = cut[row] - cut_slack[row], cut[row] + cut_slack[row]
        for column in range(1, width):
            moving_range = abs(values[row, column] - values[row, column - 1])
            # NaN ranges and NaN cuts compare false: never kept, near or screening.
            if moving_range < cut[row]:
                count += 1
                total += moving_range
            if moving_range >= cut[row]:
                screened[row] = True
            if low <= moving_range <= high:
                near[row] = True
        kept_counts[row], kept_totals[row] = count, total
    return kept_counts, kept_totals, near, screened


@cache
def _compiled() -> tuple[Any, Any]:
    import numba  # heavy (LLVM); only the batch needs it

    def jit(function: Any) -> Any:
        return numba.njit(nogil=True, cache=True)(function)

    return jit(_value_and_range_sums), jit(_screened_range_sums)


def value_and_range_sums(values: FloatArray
                         ) -> tuple[IntArray, FloatArray, FloatArray, IntArray, FloatArray]:
    """Per row of `values` (NaN: missing): the count, sum and absolute sum of its present
    values, and the count and sum of its present moving ranges |x[j] - x[j-1]| (a range is
    missing where either value is)."""
    return _compiled()[0](values)  # type: ignore[no-any-return]


def screened_range_sums(values: FloatArray, cut: FloatArray, cut_slack: FloatArray
                        ) -> tuple[IntArray, FloatArray, BoolArray, BoolArray]:
    """Per row, against the row's screening `cut`: the count and sum of the moving ranges
    below it (those kept), whether one lies within `cut_slack` of it, and whether one is at or
    above it (the row screens a range out)."""
    return _compiled()[1](values, cut, cut_slack)  # type: ignore[no-any-return]
