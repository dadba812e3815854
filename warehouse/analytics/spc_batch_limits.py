"""XmR limits of many series at once: a fast path with error bounds, and an exact one.

`xmr` sets its limits from exactly rounded means (`math.fsum`). Most series do not need them
to get the same icons: a plain sum is within a known bound of fsum's, and when every comparison
an icon depends on (a point against the mean, a limit or a two-sigma line; a moving range
against the screening cut; the target against a limit) is clearer than that bound, it comes
out as it does in `xmr`. `approximate_limits` computes the limits with those bounds
("slack"); the caller sends any series with a comparison too close to call through
`exact_limits`, which reproduces fsum (spc_batch_sums).

Bounds: any order of k float additions is within (k-1)·u·Σ|x| of the exact sum (u = 2⁻⁵³);
fsum is within u·|Σx|; each further operation adds u of its result. We double them, which
also covers the rounding of the bounds themselves, and add TINY where they could underflow.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from warehouse.analytics.spc_batch_row_sums import screened_range_sums, value_and_range_sums
from warehouse.analytics.spc_batch_sums import TINY, UNIT_ROUNDOFF, exact_row_means
from warehouse.analytics.spc_limits import CLOSE, LIMIT, MR_SCREEN
from warehouse.analytics.spc_rules import BoolArray, FloatArray, IntArray

U = UNIT_ROUNDOFF


@dataclass(frozen=True)
class BatchLimits:
    """Per series: mean, limits and two-sigma lines (NaN where undefined); how far each may be
    from `xmr`'s (0 for exact ones); and `settled`: for approximate limits, whether the
    screening decisions are certain; for exact ones, whether the rounding is proven."""

    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    lower_close: FloatArray
    upper_close: FloatArray
    mean_slack: FloatArray
    limit_slack: FloatArray
    close_slack: FloatArray
    settled: BoolArray

    def replaced(self, rows: IntArray, other: BatchLimits) -> BatchLimits:
        """These limits with `other`'s in the given rows."""
        merged = {}
        for field in fields(self):
            column = getattr(self, field.name).copy()
            column[rows] = getattr(other, field.name)
            merged[field.name] = column
        return BatchLimits(**merged)


def _lines(mean: FloatArray, spread: FloatArray) -> tuple[FloatArray, ...]:
    """LPL, UPL and the two-sigma lines, as spc_limits.segment_limits draws them."""
    return (mean - LIMIT * spread, mean + LIMIT * spread, mean - CLOSE * spread,
            mean + CLOSE * spread)


def _limits(mean: FloatArray, spread: FloatArray, mean_slack: FloatArray,
            spread_slack: FloatArray, settled: BoolArray) -> BatchLimits:
    """The lines and the slack each inherits from the mean's and the spread's, plus the
    rounding of F·spread and of the sum."""
    lpl, upl, lower_close, upper_close = _lines(mean, spread)

    def slack(factor: float, line: FloatArray) -> FloatArray:
        inherited = mean_slack + factor * (spread_slack + 2.1 * U * np.abs(spread))
        return 1.1 * (inherited + 2.1 * U * np.abs(line)) + TINY

    return BatchLimits(mean, lpl, upl, lower_close, upper_close, mean_slack,
                       np.maximum(slack(LIMIT, lpl), slack(LIMIT, upl)),
                       np.maximum(slack(CLOSE, lower_close), slack(CLOSE, upper_close)),
                       settled)


def _plain_means(counts: IntArray, total: FloatArray, magnitude: FloatArray, width: int
                 ) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Means of rows of `width` columns from plain sums of their present entries (`counts`
    of them, summing to `total`, with absolute values summing to `magnitude`), how far each
    may be from fsum's mean, and whether that bound is finite (no overflow)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        means = np.where(counts > 0, total / np.maximum(counts, 1), np.nan)
        slack = 2.0 * (width + 4) * U * magnitude / np.maximum(counts, 1)
    return means, np.where(magnitude > 0, slack + TINY, 0.0), np.isfinite(magnitude)


def approximate_limits(values: FloatArray, screen_outliers: bool) -> BatchLimits:
    """Limits from plain sums, with slack; `settled` is False where a moving range is too
    close to the screening cut to be sure it is kept or dropped as `xmr` does. The sums are
    taken by compiled row loops (spc_batch_row_sums); moving ranges are never negative, so
    their sum is their absolute sum."""
    counts, total, magnitude, range_counts, range_total = value_and_range_sums(values)
    width = values.shape[1] - 1  # moving ranges per row
    mean, mean_slack, finite = _plain_means(counts, total, magnitude, values.shape[1])
    spread, spread_slack, spread_finite = _plain_means(range_counts, range_total, range_total,
                                                       width)
    settled = finite & spread_finite
    if screen_outliers:
        cut = MR_SCREEN * spread
        cut_slack = 1.1 * MR_SCREEN * (spread_slack + 2.1 * U * np.abs(spread)) + TINY
        kept_counts, kept_total, near, screened = screened_range_sums(values, cut, cut_slack)
        settled &= ~near
        # Only rows that screen a range out take the mean of the ranges they keep.
        again, again_slack, again_finite = _plain_means(
            kept_counts[screened], kept_total[screened], kept_total[screened], width)
        spread[screened], spread_slack[screened] = again, again_slack
        settled[screened] &= again_finite
    return _limits(mean, spread, mean_slack, spread_slack, settled)


def exact_limits(values: FloatArray, screen_outliers: bool) -> BatchLimits:
    """Limits from exactly rounded means, as `xmr` sets them; `settled` where that is proven."""
    mean, proven = exact_row_means(values)
    ranges = np.abs(np.diff(values, axis=1))
    spread, spread_proven = exact_row_means(ranges)
    proven &= spread_proven
    if screen_outliers:
        with np.errstate(invalid="ignore"):
            keep = ranges < MR_SCREEN * spread[:, None]
        # Rows that screen nothing keep their mean as it is; only the others are summed again
        # (a constant row screens everything: 0 < 3.267 x 0 is false).
        screened = (keep != ~np.isnan(ranges)).any(axis=1)
        kept = np.where(keep[screened], ranges[screened], np.nan)
        spread[screened], screened_proven = exact_row_means(kept)
        proven[screened] &= screened_proven
    zero = np.zeros(values.shape[0])
    return BatchLimits(mean, *_lines(mean, spread), zero, zero, zero, proven)


def clear_of_lines(values: FloatArray, limits: BatchLimits) -> BoolArray:
    """Per row: every present value is clearer of the mean, the limits and the two-sigma lines
    than their slack, so it sits on the same side of each as in `xmr`."""
    def clear(line: FloatArray, slack: FloatArray) -> BoolArray:
        with np.errstate(invalid="ignore"):
            return np.isnan(line)[:, None] | (np.abs(values - line[:, None]) > slack[:, None])

    sure = (clear(limits.mean, limits.mean_slack)
            & clear(limits.lpl, limits.limit_slack) & clear(limits.upl, limits.limit_slack)
            & clear(limits.lower_close, limits.close_slack)
            & clear(limits.upper_close, limits.close_slack))
    return (sure | np.isnan(values)).all(axis=1)


def clear_target(goals: FloatArray, limits: BatchLimits) -> BoolArray:
    """Per row: no target, or one clearer of both limits than their slack."""
    with np.errstate(invalid="ignore"):
        def clear(line: FloatArray) -> BoolArray:
            return np.isnan(line) | (np.abs(goals - line) > limits.limit_slack)

        return np.isnan(goals) | (clear(limits.lpl) & clear(limits.upl))
