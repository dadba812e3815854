"""XmR charts of many plain series at once: the SPC endpoint's chart of every member.

A plain series is charted as one segment with limits from all its points (no rebase, no frozen
baseline: those go through `spc.xmr_columns` one by one). Judging the four special-cause rules
series by series cost more than everything else in such a chart (a dozen small numpy calls per
series), so each series' limits and flags are worked out by `xmr`'s own per-series code and
only the rules run once, on a matrix of every series (`spc_batch_rules.segment_sides`, through
`all_sides`, which follows `spc_rules.special_cause_sides` row by row; rows are padded on the
left with missing points, which change no real point). Each chart equals `xmr_columns` of
its series; a property test holds it to that.
"""

from __future__ import annotations

from collections.abc import Sequence

from warehouse.analytics.spc import (
    XmrColumns,
    as_values,
    check_options,
    plain_chart,
    xmr_columns,
)
from warehouse.analytics.spc_batch_rules import segment_sides
from warehouse.analytics.spc_limits import segment_flags, segment_limits


def plain_charts(series: Sequence[Sequence[float | None]], *, improvement: str,
                 target: float | None, screen_outliers: bool = True) -> list[XmrColumns]:
    """`xmr_columns(values, improvement=…, target=…, screen_outliers=…)` of each series."""
    check_options(improvement, None, target)
    arrays = [as_values(values) for values in series]
    limits = [segment_limits(array, None, screen_outliers) for array in arrays]
    flags = [segment_flags(array, limit) for array, limit in zip(arrays, limits, strict=True)]
    sides = segment_sides(arrays, flags)
    return [
        plain_chart(array, limit, flag, side, improvement=improvement, target=target)
        if array.size else xmr_columns([], improvement=improvement, target=target)
        for array, limit, flag, side in zip(arrays, limits, flags, sides, strict=True)
    ]
