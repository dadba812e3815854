"""Funnel control limits by denominator: arcsine (PR), log-normal (adjusted SR), exact Poisson (SR).

Follows FunnelPlotR 0.6.0 `calculate_limits`; see docs/funnel.md for where and why we differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaincinv

from warehouse.analytics.funnel_stats import BoolArray, FloatArray

# Exact standard-normal quantiles; the package hard-codes them rounded to 1.959964 / 3.090232.
Z95 = 1.959963984540054  # Φ⁻¹(0.975)
Z998 = 3.090232306167813  # Φ⁻¹(0.999)
CURVE_POINTS = 200


@dataclass(frozen=True)
class LimitSet:
    """Lower and upper 95% and 99.8% limits on the ratio scale, one entry per denominator."""

    lcl95: FloatArray
    ucl95: FloatArray
    lcl998: FloatArray
    ucl998: FloatArray


@dataclass(frozen=True)
class FunnelModel:
    """What the limits need once φ and τ² are known: τ² is None when the plain limits apply."""

    data_type: str
    target: float
    tau2: float | None
    multiplier: float

    def in_force(self, denominators: FloatArray) -> LimitSet:
        """The limits units are judged against: adjusted when τ² is in force, else unadjusted."""
        return limit_set(self.data_type, self.target, denominators, self.tau2, self.multiplier)

    def unadjusted(self, denominators: FloatArray) -> LimitSet:
        """The plain limits (exact Poisson for SR, arcsine with τ² = 0 for PR)."""
        return limit_set(self.data_type, self.target, denominators, None, self.multiplier)


def limit_set(
    data_type: str,
    target: float,
    denominators: FloatArray,
    tau2: float | None,
    multiplier: float,
) -> LimitSet:
    """Limits at each denominator: random-effects when `tau2` is given, unadjusted when None."""
    if data_type == "SR" and tau2 is None:
        return _poisson_limits(target, denominators, multiplier)
    variance_between = 0.0 if tau2 is None else tau2
    if data_type == "SR":
        return _log_limits(target, denominators, variance_between, multiplier)
    return _arcsine_limits(target, denominators, variance_between, multiplier)


def _arcsine_limits(
    target: float, denominators: FloatArray, tau2: float, multiplier: float
) -> LimitSet:
    """sin²(asin√p̄ ± z·√(s² + τ²)), the angle clamped to [0, π/2] so limits never fold back."""
    centre = math.asin(math.sqrt(target))
    sigma = np.sqrt(1.0 / (4.0 * denominators) + tau2)

    def bound(z: float) -> FloatArray:
        angle = np.clip(centre + z * sigma, 0.0, math.pi / 2)
        return multiplier * np.sin(angle) ** 2

    return LimitSet(bound(-Z95), bound(Z95), bound(-Z998), bound(Z998))


def _log_limits(
    target: float, denominators: FloatArray, tau2: float, multiplier: float
) -> LimitSet:
    """target·exp(± z·√(1/E + τ²)): the SHMI limits once over-dispersion is allowed for."""
    sigma = np.sqrt(1.0 / denominators + tau2)

    def bound(z: float) -> FloatArray:
        return multiplier * target * np.exp(z * sigma)

    return LimitSet(bound(-Z95), bound(Z95), bound(-Z998), bound(Z998))


def _poisson_limits(target: float, expected: FloatArray, multiplier: float) -> LimitSet:
    """Exact (Garwood) Poisson limits for a count of E, over E.

    The package writes these as qchisq(q, 2E)/2 / E and qchisq(1 - q, 2(E+1))/2 / E; half a
    χ²(2a) quantile is the Gamma(a) quantile, which is what `gammaincinv` returns.
    """

    def lower(tail: float) -> FloatArray:
        return multiplier * target * gammaincinv(expected, tail) / expected

    def upper(tail: float) -> FloatArray:
        return multiplier * target * gammaincinv(expected + 1.0, 1.0 - tail) / expected

    return LimitSet(lower(0.025), upper(0.025), lower(0.001), upper(0.001))


def outside(ratios: FloatArray, lower: FloatArray, upper: FloatArray) -> BoolArray:
    """Strictly beyond a limit; a ratio exactly on a limit is inside, as in `outliers_func`.

    NaN ratios (units that cannot be assessed) compare False, so they are never flagged.
    """
    return (ratios < lower) | (ratios > upper)


def curve_denominators(denominators: FloatArray, points: int = CURVE_POINTS) -> FloatArray:
    """Log-spaced denominators from the smallest to the largest, for drawing the funnel."""
    low, high = float(denominators.min()), float(denominators.max())
    if low == high:
        return np.array([low])
    return np.geomspace(low, high, points)
