"""XmR charts of many plain series at once: the SPC endpoint's chart of every member.

A plain series is charted as one segment with limits from all its points (no rebase, no frozen
baseline: those go through `spc.xmr_columns` one by one). Judging the four special-cause rules
series by series cost more than everything else in such a chart (a dozen small numpy calls per
series), so each series' limits and flags are worked out by `xmr`'s own per-series code and
only the rules run once, on a matrix of every series (`spc_batch_rules.all_sides`, which
follows `spc_rules.special_cause_sides` row by row; rows are padded on the left with missing
points, which change no real point). Each chart equals `xmr_columns` of its series; a property
test holds it to that.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from warehouse.analytics.spc import (
    XmrColumns,
    as_values,
    check_options,
    plain_chart,
    xmr_columns,
)
from warehouse.analytics.spc_batch_rules import all_sides
from warehouse.analytics.spc_limits import segment_flags, segment_limits
from warehouse.analytics.spc_rules import RUN_LENGTH


def plain_charts(series: Sequence[Sequence[float | None]], *, improvement: str,
                 target: float | None, screen_outliers: bool = True) -> list[XmrColumns]:
    """`xmr_columns(values, improvement=…, target=…, screen_outliers=…)` of each series."""
    check_options(improvement, None, target)
    arrays = [as_values(values) for values in series]
    limits = [segment_limits(array, None, screen_outliers) for array in arrays]
    flags = [segment_flags(array, limit) for array, limit in zip(arrays, limits, strict=True)]
    width = max([RUN_LENGTH, *(array.size for array in arrays)])
    values = np.full((len(arrays), width), np.nan)
    side = np.zeros((len(arrays), width), dtype=np.int64)
    outside = np.zeros((len(arrays), width), dtype=bool)
    close = np.zeros((len(arrays), width), dtype=bool)
    for row, (array, flag) in enumerate(zip(arrays, flags, strict=True)):
        start = width - array.size
        values[row, start:], side[row, start:] = array, flag.side
        outside[row, start:], close[row, start:] = flag.outside, flag.close
    sides = all_sides(values, side, outside, close)
    return [
        plain_chart(array, limit, flag, sides[row, width - array.size :],
                    improvement=improvement, target=target)
        if array.size else xmr_columns([], improvement=improvement, target=target)
        for row, (array, limit, flag) in enumerate(zip(arrays, limits, flags, strict=True))
    ]
