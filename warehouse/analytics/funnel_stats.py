"""Over-dispersion statistics for funnel plots: transformed z-scores, trimming, φ and τ².

Kept apart from the limits so each step maps onto one FunnelPlotR 0.6.0 function
(`transformed_zscore`, `winsorisation`, `truncation`, `phi_func`, `tau_func`) and can be checked
against it on its own. See docs/funnel.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Dispersion:
    """φ and τ² as estimated from the trimmed z-scores, and whether τ² could be estimated."""

    phi: float
    tau2: float
    estimable: bool


def pooled_target(data_type: str, numerators: FloatArray, denominators: FloatArray) -> float:
    """The centre line: the pooled proportion for PR, 1 for SR (observed equals expected)."""
    if data_type == "SR":
        return 1.0
    return math.fsum(numerators) / math.fsum(denominators)


def transformed_zscores(
    data_type: str, numerators: FloatArray, denominators: FloatArray, target: float
) -> tuple[FloatArray, FloatArray]:
    """Z-scores and standard errors on the variance-stabilised scale (arcsine for PR, log for SR).

    Denominators must be positive; the caller sets zero-denominator units aside first.
    """
    if data_type == "SR":
        s = 1.0 / np.sqrt(denominators)
        with np.errstate(divide="ignore"):  # zero observed: log 0 = -inf, kept as the package does
            z = np.sqrt(denominators) * np.log(numerators / denominators)
        return z, s
    s = 1.0 / (2.0 * np.sqrt(denominators))
    y = np.arcsin(np.sqrt(numerators / denominators))
    return (y - math.asin(math.sqrt(target))) / s, s


def average_ranks(values: FloatArray) -> FloatArray:
    """1-based ranks, ties sharing their average rank (R's `rank(ties.method = "average")`)."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts).astype(np.float64)
    return (upper - (counts - 1) / 2.0)[inverse]


def winsorise(z: FloatArray, trim_by: float) -> FloatArray:
    """Clamp z-scores to their `trim_by` and `1 - trim_by` quantiles (R type 7 = numpy linear).

    Winsorising (PR) keeps every unit in the estimate but stops the extremes from dominating it.
    """
    low, high = np.quantile(z, [trim_by, 1.0 - trim_by])
    return np.clip(z, low, high)


def truncation_mask(z: FloatArray, trim_by: float) -> BoolArray:
    """Which units survive the SHMI truncation: rank band b = floor(r*k/(N+1)) with 0 < b < k - 1.

    The SHMI method (SR) drops the extreme tenths outright rather than clamping them. Note that
    the rule keeps everything for N <= 8 and is asymmetric at N = 9, as in the package.
    """
    if trim_by == 0:
        return np.ones(z.shape, dtype=np.bool_)
    k = 1.0 / trim_by
    band = np.floor(average_ranks(z) * k / (z.size + 1))
    return (band > 0) & (band < k - 1)


def phi_from(zscores: FloatArray) -> float:
    """Dispersion ratio φ = mean of squared (trimmed) z-scores; 1 means no over-dispersion."""
    return math.fsum(zscores**2) / zscores.size


def tau2_from(phi: float, s: FloatArray) -> float | None:
    """DerSimonian-Laird between-unit variance from φ, or None when it cannot be estimated.

    τ² = max(0, (nφ - (n - 1)) / (Σw - Σw²/Σw)), w = 1/s², and 0 when nφ < n - 1 (package
    `tau_func`). With one unit the denominator is 0 and there is nothing to estimate.
    """
    n = s.size
    w = 1.0 / s**2
    sum_w = math.fsum(w)
    spread = sum_w - math.fsum(w**2) / sum_w if n else 0.0
    if n < 2 or spread <= 0:
        return None
    if n * phi < n - 1:
        return 0.0
    return max(0.0, (n * phi - (n - 1)) / spread)


def dispersion(data_type: str, z: FloatArray, s: FloatArray, trim_by: float) -> Dispersion:
    """Estimate φ and τ² after winsorising (PR) or truncating (SR) the z-scores.

    Non-finite z-scores (SR units with nothing observed) are left out after ranking: one -inf
    would make φ infinite and the limits meaningless.
    """
    if data_type == "SR":
        kept = truncation_mask(z, trim_by)
        trimmed = z
    else:
        kept = np.ones(z.shape, dtype=np.bool_)
        trimmed = winsorise(z, trim_by)
    kept &= np.isfinite(trimmed)
    if not kept.any():
        return Dispersion(phi=0.0, tau2=0.0, estimable=False)
    phi = phi_from(trimmed[kept])
    tau2 = tau2_from(phi, s[kept])
    return Dispersion(phi=phi, tau2=tau2 or 0.0, estimable=tau2 is not None)
