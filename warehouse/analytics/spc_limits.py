"""XmR centre line and process limits for one segment, as ptd_spc_standard computes them.

Kept apart from the rules so each piece can be checked against the package on its own.
NaN means "the package leaves this NA"; the public API turns NaN into None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from warehouse.analytics.spc_rules import BoolArray, FloatArray, IntArray

LIMIT = 2.66
"""3 / d2 with d2 = 1.128: three sigma from the mean moving range."""

CLOSE = 2 * (LIMIT / 3)
"""Two sigma, written exactly as the package does so the floating-point result is the same."""

MR_SCREEN = 3.267
"""D4 for n = 2: moving ranges at or above 3.267 x the mean moving range are screened out."""


@dataclass(frozen=True)
class SegmentLimits:
    """Mean, lower and upper limit and the two-sigma lines; NaN where undefined."""

    mean: float
    lpl: float
    upl: float
    lower_close: float
    upper_close: float


@dataclass(frozen=True)
class SegmentFlags:
    """Per point: side of the mean (0 on it or missing), outside the limits, close to a limit."""

    side: IntArray
    outside: BoolArray
    close: BoolArray


def _mean(values: FloatArray) -> float:
    """Mean of the non-missing values, NaN if none. R's mean() accumulates in extended
    precision; an exactly rounded sum keeps us within an ulp of it."""
    present = values[~np.isnan(values)]
    if present.size == 0:
        return math.nan
    return math.fsum(present.tolist()) / present.size


def mean_moving_range(baseline: FloatArray, screen_outliers: bool) -> float:
    """Mean of |y[i] - y[i - 1]| over pairs with both values present, optionally after dropping
    ranges not strictly below 3.267 x that mean. NaN when no range is left (one point, or a
    constant baseline when screening, since 0 < 0 is false in the package too)."""
    ranges = np.abs(np.diff(baseline))
    ranges = ranges[~np.isnan(ranges)]
    average = _mean(ranges)
    if screen_outliers:
        average = _mean(ranges[ranges < MR_SCREEN * average])
    return average


def segment_limits(
    values: FloatArray, fix_after_n_points: int | None, screen: bool
) -> SegmentLimits:
    """Limits from the segment's first `fix_after_n_points` rows (all rows when None), so later
    points are judged against a frozen baseline."""
    baseline = values if fix_after_n_points is None else values[:fix_after_n_points]
    mean = _mean(baseline)
    spread = mean_moving_range(baseline, screen)
    return SegmentLimits(
        mean=mean,
        lpl=mean - LIMIT * spread,
        upl=mean + LIMIT * spread,
        lower_close=mean - CLOSE * spread,
        upper_close=mean + CLOSE * spread,
    )


def segment_flags(values: FloatArray, limits: SegmentLimits) -> SegmentFlags:
    """Compare every point of the segment (baseline or not) with the segment's limits.
    Comparisons with NaN are false, which matches the package's NA being treated as false."""
    side = np.sign(values - limits.mean)
    outside = (values > limits.upl) | (values < limits.lpl)
    close = ~outside & ((values < limits.lower_close) | (values > limits.upper_close))
    return SegmentFlags(
        side=np.where(np.isnan(side), 0, side).astype(np.int64),
        outside=outside,
        close=close,
    )
