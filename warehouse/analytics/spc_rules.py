"""The four Making Data Count special-cause rules, vectorised, as NHSRplotthedots 0.2.2 runs them.

Each rule flags every point that belongs to a pattern (all seven points of a run, both close
points of a two-in-three), not only the point that completes it, because that is what the
reference colours. `special_cause_sides` returns, per point, which way the signal points:
+1 (high / increasing), -1 (low / decreasing) or 0 (common cause). docs/spc.md has the details.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

RUN_LENGTH = 7
"""Points in a shift (one side of the mean) or a trend: the package's fixed 7 (issue #202)."""


def _window_all(mask: BoolArray, width: int) -> BoolArray:
    """True at i when mask[i - width + 1 .. i] are all True: the end of a complete window."""
    ends = np.zeros(mask.size, dtype=bool)
    if mask.size >= width:
        counts = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
        ends[width - 1 :] = (counts[width:] - counts[:-width]) == width
    return ends


def _part_of(ends: BoolArray, width: int) -> BoolArray:
    """True at i when a window ending in i .. i + width - 1 covers i (ptd_part_of_seven_trend)."""
    counts = np.concatenate(([0], np.cumsum(ends, dtype=np.int64)))
    start = np.arange(ends.size)
    stop = np.minimum(start + width, ends.size)
    return (counts[stop] - counts[start]) > 0


def shift_points(side: IntArray) -> BoolArray:
    """Points in a run of seven or more on the same side of the mean; a point on the mean or a
    missing point (side 0) breaks the run, as in ptd_seven_point_one_side_mean."""
    ends = _window_all(side == 1, RUN_LENGTH) | _window_all(side == -1, RUN_LENGTH)
    return _part_of(ends, RUN_LENGTH)


def steps(values: FloatArray) -> FloatArray:
    """sign(y[i + 1] - y[i]); a step touching a missing value is 0, so it breaks a trend.

    (The package stops with an R error on some such windows; breaking is our choice.)"""
    diffs = np.sign(np.diff(values))
    return np.where(np.isnan(diffs), 0.0, diffs)


def trend_points(step: FloatArray) -> BoolArray:
    """Points in seven or more strictly increasing or strictly decreasing values (a tie breaks
    the trend), as in ptd_seven_point_trend: six equal-signed steps end a trend."""
    ends = _window_all(step == 1, RUN_LENGTH - 1) | _window_all(step == -1, RUN_LENGTH - 1)
    return _part_of(np.concatenate(([False], ends)), RUN_LENGTH)


def trend_direction(step: FloatArray, in_trend: BoolArray) -> FloatArray:
    """+1 or -1 per trend point: the step to the right when the next point is also in a trend,
    else the step from the left (ptd_special_cause_type's `sdy`). A 0 step reads as decreasing."""
    if in_trend.size < 2:
        return np.zeros(in_trend.size)
    right = np.concatenate((step, step[-1:]))
    left = np.concatenate(([0.0], step))
    use_right = in_trend & np.concatenate((in_trend[1:], [False]))
    return np.where(np.where(use_right, right, left) == 1, 1.0, -1.0)


def two_in_three_points(close: BoolArray, side: IntArray) -> BoolArray:
    """Close points in a window of three consecutive points where at least two are close to a
    limit and all three lie on the same side of the mean (fixed in 0.2.2, issue #143)."""
    qualifies = np.zeros(close.size + 2, dtype=bool)
    if close.size >= 3:
        near = close[:-2].astype(np.int64) + close[1:-1] + close[2:]
        same = np.abs(side[:-2] + side[1:-1] + side[2:]) == 3
        qualifies[2:-2] = (near >= 2) & same
    in_window = qualifies[2:] | qualifies[1:-1] | qualifies[:-2]
    return close & in_window


def special_cause_sides(
    values: FloatArray, side: IntArray, outside: BoolArray, close: BoolArray
) -> FloatArray:
    """Direction of each point's signal, taking the first rule that fires in the package's order:
    outside the limits, trend, two-in-three, shift. 0 where no rule fires."""
    step = steps(values)
    in_trend = trend_points(step)
    above = np.where(side > 0, 1.0, -1.0)
    return np.select(
        [outside, in_trend, two_in_three_points(close, side), shift_points(side)],
        [np.where(side == 1, 1.0, -1.0), trend_direction(step, in_trend), above, above],
        default=0.0,
    )
