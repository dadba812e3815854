"""Exactly rounded row means for many series at once, as `math.fsum` takes them.

`xmr` takes its means with `math.fsum`, the exactly rounded sum. A plain numpy sum can differ
in the last bit, and a last-bit difference can move a point across a limit, so the batch
version must reproduce fsum exactly. We sum each row with error-free transformations (TwoSum,
pairwise), add up the exact rounding errors, and then *prove* per row that the rounded result
is the exactly rounded one; exact ties round to even, as fsum rounds them. A row whose proof
fails (rare: its errors' own errors cancel on a rounding boundary) is reported unproven and
the caller computes it with `xmr` itself.
"""

from __future__ import annotations

import numpy as np

from warehouse.analytics.spc_rules import BoolArray, FloatArray

UNIT_ROUNDOFF = 2.0**-53
TINY = float(np.finfo(np.float64).tiny)
"""Absolute slack for error bounds that would underflow (sums of subnormal-sized errors)."""


def _two_sum(a: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray]:
    """s = fl(a + b) and the exact error e, so that a + b == s + e exactly (Knuth)."""
    s = a + b
    bb = s - a
    error = s - bb
    np.subtract(a, error, out=error)  # in place: a third fewer temporaries on big matrices
    np.subtract(b, bb, out=bb)
    np.add(error, bb, out=error)
    return s, error


def _tree_two_sum(terms: FloatArray) -> tuple[FloatArray, list[FloatArray]]:
    """Pairwise sums of each row and every exact rounding error made on the way (one array per
    level), so that Σ terms == total + Σ errors exactly."""
    level, errors = terms, []
    while level.shape[1] > 1:
        half = level.shape[1] // 2
        total, error = _two_sum(level[:, :half], level[:, half : 2 * half])
        errors.append(error)
        odd = level.shape[1] > 2 * half
        level = np.concatenate((total, level[:, -1:]), axis=1) if odd else total
    total = level[:, 0] if level.shape[1] else np.zeros(terms.shape[0])
    return total, errors


def _error_bound(errors: list[FloatArray], rows: int) -> tuple[FloatArray, FloatArray]:
    """fl(Σ errors) per row and a bound on how far it is from the exact Σ errors: any order of
    m float additions is off by at most (m-1)·2⁻⁵³·Σ|e|; doubled for the rounding of the
    bound itself, plus an absolute slack where that product could underflow."""
    correction, magnitude = np.zeros(rows), np.zeros(rows)
    for error in errors:
        correction += error.sum(axis=1)
        magnitude += np.abs(error).sum(axis=1)
    count = sum(error.shape[1] for error in errors)
    bound = 2.0 * (count + len(errors) + 1) * UNIT_ROUNDOFF * magnitude
    return correction, np.where(magnitude > 0, bound + TINY, 0.0)


def _is_even(r: FloatArray) -> BoolArray:
    """Whether the last bit of r's significand is 0 (the tie-breaking rule of IEEE rounding)."""
    return (r.view(np.uint64) & np.uint64(1)) == 0


def _rounded(total: FloatArray, correction: FloatArray, tail: FloatArray, bound: FloatArray
             ) -> tuple[FloatArray, BoolArray]:
    """The exactly rounded value of total + correction + τ, where τ is known to lie within
    `bound` of `tail`, and whether that rounding is proven.

    r = fl(total + correction) leaves a remainder t; r is right when t + τ lies strictly within
    half a gap of r. On an exact tie (τ known to be 0; common for data on a decimal grid) the
    even neighbour wins, as IEEE and fsum round; past a tie, the far neighbour.
    """
    rounded, remainder = _two_sum(total, correction)
    magnitude = np.abs(rounded)
    half_up = np.spacing(magnitude) * 0.5
    half_down = (magnitude - np.nextafter(magnitude, 0.0)) * 0.5
    above = np.where(rounded < 0, half_down, half_up)
    below = np.where(rounded < 0, half_up, half_down)
    offset = remainder + tail
    slack = bound + 2.0 * UNIT_ROUNDOFF * (np.abs(remainder) + np.abs(tail))
    known = np.abs(tail) > bound  # the sign of τ is certain
    with np.errstate(invalid="ignore", over="ignore"):
        inside = ((offset + slack) < above) & ((offset - slack) > -below)
        exact = (remainder == 0) & (tail == 0) & (bound == 0)
        tie = (remainder == np.where(remainder > 0, above, -below)) & (remainder != 0)
        exact_tie = tie & (tail == 0) & (bound == 0)
        past_tie = tie & known & (np.sign(tail) == np.sign(remainder))
        before_tie = tie & known & (np.sign(tail) != np.sign(remainder))
    away = np.nextafter(rounded, np.copysign(np.inf, remainder))
    result = np.where(past_tie | (exact_tie & ~_is_even(rounded)), away, rounded)
    proven = exact | inside | exact_tie | past_tie | before_tie
    return result, proven & np.isfinite(rounded)


def exact_row_sums(terms: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Per row, Σ terms rounded exactly as math.fsum rounds it, and whether that is proven.

    `terms` holds no NaN (absent values are zeros). Σ terms = s + Σe exactly (pairwise TwoSum).
    Most rows are settled with fl(Σe) and its error bound; the rest (ties, near-ties) sum
    their errors again without loss, Σe = c + Σe₂, which settles exact ties too.
    """
    total, errors = _tree_two_sum(terms)
    correction, bound = _error_bound(errors, terms.shape[0])
    result, proven = _rounded(total, correction, np.zeros_like(total), bound)
    rest = ~proven
    if rest.any():
        kept = [error[rest] for error in errors]
        flat = np.concatenate(kept, axis=1) if kept else np.zeros((int(rest.sum()), 0))
        first, second_errors = _tree_two_sum(flat)
        tail, tail_bound = _error_bound(second_errors, flat.shape[0])
        result[rest], proven[rest] = _rounded(total[rest], first, tail, tail_bound)
    return result, proven


def exact_row_means(matrix: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Mean of each row's non-NaN entries as xmr's fsum(present) / count takes it; NaN for a
    row with none. The flag says whether the rounding is proven (see `exact_row_sums`)."""
    present = ~np.isnan(matrix)
    counts = present.sum(axis=1)
    sums, proven = exact_row_sums(np.where(present, matrix, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return means, proven | (counts == 0)
