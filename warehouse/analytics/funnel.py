"""Funnel plots (Spiegelhalter 2005, as in FunnelPlotR 0.6.0): limits, over-dispersion, outliers.

Boards compare providers against limits that widen as denominators shrink, rather than ranking
them. This module is pure: aggregates in, frozen results out. docs/funnel.md has the method.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from warehouse.analytics.funnel_limits import FunnelModel, curve_denominators, outside
from warehouse.analytics.funnel_stats import (
    FloatArray,
    dispersion,
    pooled_target,
    transformed_zscores,
)

DATA_TYPES = ("PR", "SR")
IMPROVEMENTS = ("increase", "decrease", "neutral")
_LABELS = {
    "increase": {"above": "better", "below": "worse"},
    "decrease": {"above": "worse", "below": "better"},
    "neutral": {"above": "above", "below": "below"},
}


@dataclass(frozen=True)
class FunnelUnit:
    """One provider: its ratio, z-score and the limits at its own denominator (ratio scale).

    `lcl*`/`ucl*` are the limits in force (adjusted when the result is adjusted); the
    `unadjusted_*` ones are always the plain limits. NaN throughout for a zero denominator.
    """

    unit: str
    numerator: float
    denominator: float
    ratio: float
    zscore: float
    lcl95: float
    ucl95: float
    lcl998: float
    ucl998: float
    outside95: bool
    outside998: bool
    unadjusted_lcl95: float
    unadjusted_ucl95: float
    unadjusted_lcl998: float
    unadjusted_ucl998: float


@dataclass(frozen=True)
class FunnelLimits:
    """The funnel curve for drawing: limits at log-spaced denominators across the data's range."""

    denominators: tuple[float, ...]
    lcl95: tuple[float, ...]
    ucl95: tuple[float, ...]
    lcl998: tuple[float, ...]
    ucl998: tuple[float, ...]
    unadjusted_lcl95: tuple[float, ...]
    unadjusted_ucl95: tuple[float, ...]
    unadjusted_lcl998: tuple[float, ...]
    unadjusted_ucl998: tuple[float, ...]


@dataclass(frozen=True)
class FunnelResult:
    """Target (times multiplier), dispersion φ, between-unit variance τ², whether τ² was used."""

    target: float
    phi: float
    tau2: float
    adjusted: bool
    units: tuple[FunnelUnit, ...]
    limits: FunnelLimits


def funnel(
    units: Sequence[str],
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    data_type: str = "PR",
    trim_by: float = 0.1,
    multiplier: float = 1.0,
) -> FunnelResult:
    """Funnel limits and outlier flags for one measure across providers.

    `data_type` "PR" is a proportion (num ≤ den, arcsine scale, pooled target); "SR" is a
    standardised ratio observed/expected (log scale, target 1, the package's SHMI method).
    Limits are widened for over-dispersion only when φ > 1, as the package does.
    """
    names, num, den = _validated(
        units,
        numerators,
        denominators,
        data_type=data_type,
        trim_by=trim_by,
        multiplier=multiplier,
    )
    measured = den > 0
    target = pooled_target(data_type, num[measured], den[measured])
    z_measured, s = transformed_zscores(data_type, num[measured], den[measured], target)
    spread = dispersion(data_type, z_measured, s, trim_by)
    adjusted = spread.phi > 1 and spread.estimable
    model = FunnelModel(data_type, target, spread.tau2 if adjusted else None, multiplier)
    zscores = np.full(den.shape, math.nan)
    zscores[measured] = z_measured
    return FunnelResult(
        target=multiplier * target,
        phi=spread.phi,
        tau2=spread.tau2,
        adjusted=adjusted,
        units=_units(names, num, den, zscores, model),
        limits=_curve(curve_denominators(den[measured]), model),
    )


def position(unit: FunnelUnit) -> str:
    """Where a unit sits against the 99.8% limits in force: "above", "below" or "inside"."""
    if not unit.outside998:
        return "inside"
    return "above" if unit.ratio > unit.ucl998 else "below"


def classify(result: FunnelResult, improvement: str) -> dict[str, str]:
    """Board labels from the 99.8% limits, read in the measure's direction of improvement.

    "increase"/"decrease" give "better"/"worse"; "neutral" measures have no better side, so they
    keep "above"/"below". Every unit not outside the 99.8% limits is "inside".
    """
    if improvement not in IMPROVEMENTS:
        raise ValueError(
            f"improvement must be one of {', '.join(IMPROVEMENTS)}; got {improvement!r}"
        )
    labels = _LABELS[improvement]
    return {u.unit: labels.get(position(u), "inside") for u in result.units}


def _units(
    names: tuple[str, ...],
    num: FloatArray,
    den: FloatArray,
    zscores: FloatArray,
    model: FunnelModel,
) -> tuple[FunnelUnit, ...]:
    """Each unit against the limits at its own denominator, in input order.

    Zero denominators become NaN so their ratio, limits and z-score are NaN and never flagged.
    """
    measured_den = np.where(den > 0, den, math.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = model.multiplier * num / measured_den
        in_force, plain = model.in_force(measured_den), model.unadjusted(measured_den)
    outside95 = outside(ratios, in_force.lcl95, in_force.ucl95)
    outside998 = outside(ratios, in_force.lcl998, in_force.ucl998)
    return tuple(
        FunnelUnit(
            unit=names[i],
            numerator=float(num[i]),
            denominator=float(den[i]),
            ratio=float(ratios[i]),
            zscore=float(zscores[i]),
            lcl95=float(in_force.lcl95[i]),
            ucl95=float(in_force.ucl95[i]),
            lcl998=float(in_force.lcl998[i]),
            ucl998=float(in_force.ucl998[i]),
            outside95=bool(outside95[i]),
            outside998=bool(outside998[i]),
            unadjusted_lcl95=float(plain.lcl95[i]),
            unadjusted_ucl95=float(plain.ucl95[i]),
            unadjusted_lcl998=float(plain.lcl998[i]),
            unadjusted_ucl998=float(plain.ucl998[i]),
        )
        for i in range(len(names))
    )


def _curve(denominators: FloatArray, model: FunnelModel) -> FunnelLimits:
    """The drawing curve, frozen into tuples of plain floats."""
    in_force, plain = model.in_force(denominators), model.unadjusted(denominators)
    return FunnelLimits(
        denominators=tuple(denominators.tolist()),
        lcl95=tuple(in_force.lcl95.tolist()),
        ucl95=tuple(in_force.ucl95.tolist()),
        lcl998=tuple(in_force.lcl998.tolist()),
        ucl998=tuple(in_force.ucl998.tolist()),
        unadjusted_lcl95=tuple(plain.lcl95.tolist()),
        unadjusted_ucl95=tuple(plain.ucl95.tolist()),
        unadjusted_lcl998=tuple(plain.lcl998.tolist()),
        unadjusted_ucl998=tuple(plain.ucl998.tolist()),
    )


def _validated(
    units: Sequence[str],
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    data_type: str,
    trim_by: float,
    multiplier: float,
) -> tuple[tuple[str, ...], FloatArray, FloatArray]:
    """Check the inputs once, up front, and say exactly what is wrong."""
    if data_type not in DATA_TYPES:
        raise ValueError(f"data_type must be 'PR' or 'SR'; got {data_type!r}")
    if not 0 <= trim_by < 0.5:
        raise ValueError(f"trim_by must be in [0, 0.5); got {trim_by!r}")
    if not (math.isfinite(multiplier) and multiplier > 0):
        raise ValueError(f"multiplier must be a positive finite number; got {multiplier!r}")
    names = tuple(units)
    if not len(names) == len(numerators) == len(denominators):
        raise ValueError(
            "units, numerators and denominators must have the same length; got "
            f"{len(names)}, {len(numerators)} and {len(denominators)}"
        )
    if not names:
        raise ValueError("funnel needs at least one unit")
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise ValueError(f"unit names must be unique (aggregate first); repeated: {duplicates}")
    num = np.asarray(numerators, dtype=np.float64)
    den = np.asarray(denominators, dtype=np.float64)
    _check_values(names, num, den, data_type)
    return names, num, den


def _check_values(names: tuple[str, ...], num: FloatArray, den: FloatArray, data_type: str) -> None:
    """Reject values no funnel can be drawn from, naming the first offending units."""

    def offenders(mask: np.ndarray) -> list[str]:
        return [names[i] for i in np.flatnonzero(mask)[:5]]

    if not (np.isfinite(num).all() and np.isfinite(den).all()):
        bad = ~(np.isfinite(num) & np.isfinite(den))
        raise ValueError(f"numerators and denominators must be finite; see {offenders(bad)}")
    if (num < 0).any() or (den < 0).any():
        bad = (num < 0) | (den < 0)
        raise ValueError(f"numerators and denominators must not be negative; see {offenders(bad)}")
    if data_type == "PR" and (num > den).any():
        raise ValueError(
            f"a proportion's numerator cannot exceed its denominator; see {offenders(num > den)}"
        )
    if not (den > 0).any():
        raise ValueError("every denominator is zero; there is nothing to compare")
