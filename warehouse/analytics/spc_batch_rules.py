"""The four special-cause rules of spc_rules, for a matrix of series (one per row) at once.

Rows are independent: every window and cumulative sum runs along a row and never reaches into
the next. `latest_sides` judges only the last column, which is all a variation icon needs and
about fifteen times cheaper than `all_sides`; both follow spc_rules.special_cause_sides exactly.
"""

from __future__ import annotations

import numpy as np

from warehouse.analytics.spc_batch_limits import BatchLimits
from warehouse.analytics.spc_limits import SegmentFlags
from warehouse.analytics.spc_rules import RUN_LENGTH, BoolArray, FloatArray, IntArray


def point_flags(values: FloatArray, limits: BatchLimits) -> tuple[IntArray, BoolArray, BoolArray]:
    """Side of the mean (0 on it or missing), outside the limits, close to a limit, per point;
    spc_limits.segment_flags with each row's own limits."""
    with np.errstate(invalid="ignore"):
        side = np.sign(values - limits.mean[:, None])
        outside = (values > limits.upl[:, None]) | (values < limits.lpl[:, None])
        close = ~outside & (
            (values < limits.lower_close[:, None]) | (values > limits.upper_close[:, None])
        )
    return np.where(np.isnan(side), 0, side).astype(np.int64), outside, close


def _steps(values: FloatArray) -> FloatArray:
    """sign(y[i + 1] - y[i]) along each row; 0 where a value is missing (breaks a trend)."""
    with np.errstate(invalid="ignore"):
        diffs = np.sign(np.diff(values, axis=1))
    return np.where(np.isnan(diffs), 0.0, diffs)


def _window_all(mask: BoolArray, width: int) -> BoolArray:
    """True at [r, i] when mask[r, i - width + 1 .. i] are all True."""
    rows, size = mask.shape
    ends = np.zeros((rows, size), dtype=bool)
    if size >= width:
        counts = np.zeros((rows, size + 1), dtype=np.int64)
        np.cumsum(mask, axis=1, out=counts[:, 1:])
        ends[:, width - 1 :] = (counts[:, width:] - counts[:, :-width]) == width
    return ends


def _part_of(ends: BoolArray, width: int) -> BoolArray:
    """True at [r, i] when a window ending in i .. i + width - 1 of row r covers i."""
    rows, size = ends.shape
    counts = np.zeros((rows, size + 1), dtype=np.int64)
    np.cumsum(ends, axis=1, out=counts[:, 1:])
    start = np.arange(size)
    stop = np.minimum(start + width, size)
    return (counts[:, stop] - counts[:, start]) > 0


def _shift_points(side: IntArray) -> BoolArray:
    ends = _window_all(side == 1, RUN_LENGTH) | _window_all(side == -1, RUN_LENGTH)
    return _part_of(ends, RUN_LENGTH)


def _trend_points(step: FloatArray) -> BoolArray:
    ends = _window_all(step == 1, RUN_LENGTH - 1) | _window_all(step == -1, RUN_LENGTH - 1)
    padded = np.concatenate((np.zeros((ends.shape[0], 1), dtype=bool), ends), axis=1)
    return _part_of(padded, RUN_LENGTH)


def _trend_direction(step: FloatArray, in_trend: BoolArray) -> FloatArray:
    """The step to the right when the next point is in a trend too, else the step from the
    left; a 0 step reads as decreasing (spc_rules.trend_direction)."""
    rows = in_trend.shape[0]
    right = np.concatenate((step, step[:, -1:]), axis=1)
    left = np.concatenate((np.zeros((rows, 1)), step), axis=1)
    next_in_trend = np.concatenate((in_trend[:, 1:], np.zeros((rows, 1), dtype=bool)), axis=1)
    use_right = in_trend & next_in_trend
    return np.where(np.where(use_right, right, left) == 1, 1.0, -1.0)


def _two_in_three_points(close: BoolArray, side: IntArray) -> BoolArray:
    rows, size = close.shape
    qualifies = np.zeros((rows, size + 2), dtype=bool)
    near = close[:, :-2].astype(np.int64) + close[:, 1:-1] + close[:, 2:]
    same = np.abs(side[:, :-2] + side[:, 1:-1] + side[:, 2:]) == 3
    qualifies[:, 2:-2] = (near >= 2) & same
    in_window = qualifies[:, 2:] | qualifies[:, 1:-1] | qualifies[:, :-2]
    return close & in_window


def all_sides(
    values: FloatArray, side: IntArray, outside: BoolArray, close: BoolArray
) -> FloatArray:
    """Signal direction of every point (+1 high, -1 low, 0 common cause); first rule wins in
    the package's order: outside, trend, two-in-three, shift. Needs at least RUN_LENGTH
    columns (callers pad rows on the left with NaN, which changes no real point)."""
    step = _steps(values)
    in_trend = _trend_points(step)
    above = np.where(side > 0, 1.0, -1.0)
    return np.select(
        [outside, in_trend, _two_in_three_points(close, side), _shift_points(side)],
        [np.where(side == 1, 1.0, -1.0), _trend_direction(step, in_trend), above, above],
        default=0.0,
    )


def latest_sides(
    values: FloatArray, side: IntArray, outside: BoolArray, close: BoolArray
) -> FloatArray:
    """Signal direction of each row's last point only. A window can only cover the last point
    by ending there, so the rules reduce to the last 7 (trend, shift) or 3 (two-in-three)
    columns; the trend direction is the last step, as the last point has no right-hand one."""
    last_steps = _steps(values[:, -RUN_LENGTH:])
    rising = (last_steps == 1).all(axis=1)
    trend = rising | (last_steps == -1).all(axis=1)
    tail_side = side[:, -3:]
    two_in_three = (
        close[:, -1]
        & (close[:, -3:].sum(axis=1) >= 2)
        & (np.abs(tail_side.sum(axis=1)) == 3)
    )
    run = side[:, -RUN_LENGTH:]
    shift = (run == 1).all(axis=1) | (run == -1).all(axis=1)
    last_side = side[:, -1]
    above = np.where(last_side > 0, 1.0, -1.0)
    return np.select(
        [outside[:, -1], trend, two_in_three, shift],
        [np.where(last_side == 1, 1.0, -1.0), np.where(rising, 1.0, -1.0), above, above],
        default=0.0,
    )


def segment_sides(segments: list[FloatArray], flags: list[SegmentFlags]) -> list[FloatArray]:
    """spc_rules.special_cause_sides of each segment (its values and spc_limits flags), judged
    in one `all_sides` call on a matrix of them padded on the left with missing points: one
    call for many segments costs about what one segment's did."""
    width = max([RUN_LENGTH, *(segment.size for segment in segments)])
    values = np.full((len(segments), width), np.nan)
    side = np.zeros((len(segments), width), dtype=np.int64)
    outside = np.zeros((len(segments), width), dtype=bool)
    close = np.zeros((len(segments), width), dtype=bool)
    for row, (segment, flag) in enumerate(zip(segments, flags, strict=True)):
        start = width - segment.size
        values[row, start:], side[row, start:] = segment, flag.side
        outside[row, start:], close[row, start:] = flag.outside, flag.close
    sides = all_sides(values, side, outside, close)
    return [sides[row, width - segment.size :] for row, segment in enumerate(segments)]
