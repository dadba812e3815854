"""Funnel inputs that cannot be plotted are refused clearly; awkward but valid ones still work."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2

from warehouse.analytics.funnel import classify, funnel


@pytest.mark.parametrize(
    ("units", "num", "den", "kwargs", "message"),
    [
        (["a", "b"], [1], [2, 3], {}, "same length"),
        ([], [], [], {}, "at least one unit"),
        (["a", "b"], [1, -1], [2, 3], {}, "must not be negative"),
        (["a", "b"], [1, 1], [2, -3], {"data_type": "SR"}, "must not be negative"),
        (["a", "b"], [1, math.nan], [2, 3], {}, "must be finite"),
        (["a", "b"], [1, 1], [2, math.inf], {}, "must be finite"),
        (["a", "b"], [1, 4], [2, 3], {}, r"cannot exceed its denominator; see \['b'\]"),
        (["a", "b"], [1, 1], [2, 3], {"data_type": "RC"}, "data_type must be 'PR' or 'SR'"),
        (["a", "a"], [1, 1], [2, 3], {}, r"must be unique .*\['a'\]"),
        (["a", "b"], [0, 0], [0, 0], {}, "every denominator is zero"),
        (["a", "b"], [1, 1], [2, 3], {"trim_by": 0.5}, "trim_by"),
        (["a", "b"], [1, 1], [2, 3], {"trim_by": -0.1}, "trim_by"),
        (["a", "b"], [1, 1], [2, 3], {"multiplier": 0}, "multiplier"),
    ],
)
def test_invalid_inputs_are_refused_with_a_clear_message(
    units: list[str], num: list[float], den: list[float], kwargs: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        funnel(units, num, den, **kwargs)


def test_sr_allows_observed_above_expected() -> None:
    result = funnel(["a", "b"], [30, 10], [20, 15], data_type="SR")

    assert result.units[0].ratio == 1.5


def test_zero_denominator_unit_is_reported_but_not_assessed() -> None:
    with_empty = funnel(["a", "b", "c", "empty"], [10, 20, 30, 0], [100, 100, 100, 0])
    without = funnel(["a", "b", "c"], [10, 20, 30], [100, 100, 100])

    empty = with_empty.units[-1]
    assert math.isnan(empty.ratio) and math.isnan(empty.zscore) and math.isnan(empty.lcl95)
    assert not empty.outside95 and not empty.outside998
    assert classify(with_empty, "increase")["empty"] == "inside"
    assert (with_empty.target, with_empty.phi, with_empty.tau2) == (
        without.target,
        without.phi,
        without.tau2,
    )
    assert with_empty.limits == without.limits


def test_zero_numerators_are_valid_proportions() -> None:
    result = funnel(["a", "b", "c"], [0, 5, 10], [50, 50, 50])

    assert result.units[0].ratio == 0
    assert math.isfinite(result.units[0].zscore)
    assert result.units[0].lcl998 >= 0


def test_all_zero_proportions_give_a_zero_target_and_lower_limits_at_zero() -> None:
    result = funnel(["a", "b"], [0, 0], [10, 1000])

    assert result.target == 0
    assert all(u.lcl95 == 0 and u.ucl95 > 0 and not u.outside95 for u in result.units)


def test_sr_with_nothing_observed_keeps_phi_finite_and_is_flagged_low() -> None:
    observed = [0, 98, 105, 101, 95, 99]
    expected = [60.0, 100.0, 100.0, 100.0, 100.0, 100.0]

    result = funnel([f"t{i}" for i in range(6)], observed, expected, data_type="SR")

    none_seen = result.units[0]
    assert none_seen.zscore == -math.inf
    assert math.isfinite(result.phi) and math.isfinite(result.tau2)
    assert none_seen.ratio == 0 and none_seen.outside998
    assert classify(result, "decrease")["t0"] == "better"


def test_single_proportion_is_its_own_target_and_unadjusted() -> None:
    result = funnel(["only"], [30], [120])

    (unit,) = result.units
    assert result.target == 0.25
    assert (result.phi, result.tau2, result.adjusted) == (0.0, 0.0, False)
    assert unit.zscore == 0 and not unit.outside95
    assert result.limits.denominators == (120.0,)


def test_single_standardised_ratio_cannot_estimate_tau2_so_uses_poisson_limits() -> None:
    result = funnel(["only"], [150], [100], data_type="SR")

    (unit,) = result.units
    assert result.phi > 1
    assert (result.tau2, result.adjusted) == (0.0, False)
    assert unit.ucl95 == pytest.approx(chi2.ppf(0.975, 202) / 200, rel=1e-10)
    assert unit.outside95


def test_sr_without_trimming_keeps_every_unit() -> None:
    observed = [5, 30, 40, 45, 50, 55, 60, 70, 80, 140]
    expected = [50.0] * 10

    result = funnel([f"t{i}" for i in range(10)], observed, expected, data_type="SR", trim_by=0)

    z = np.sqrt(50) * np.log(np.array(observed) / 50)
    assert result.phi == pytest.approx(np.mean(z**2), rel=1e-12)


def test_proportion_limits_never_fold_back_near_zero() -> None:
    den = [2, 3, 5, 10, 40, 200, 1000]
    result = funnel([f"u{i}" for i in range(7)], [0, 0, 0, 0, 1, 2, 10], den)

    assert result.units[0].lcl95 == 0
    assert all(np.diff(result.limits.lcl95) >= 0)
    assert all(np.diff(result.limits.lcl998) >= 0)


def test_curve_runs_log_spaced_from_smallest_to_largest_denominator() -> None:
    result = funnel(["a", "b", "c"], [1, 10, 100], [10, 100, 1000])

    curve = result.limits.denominators
    assert len(curve) == 200
    assert curve[0] == pytest.approx(10) and curve[-1] == pytest.approx(1000)
    assert np.allclose(np.diff(np.log(curve)), math.log(100) / 199)
    assert len(result.limits.ucl998) == len(result.limits.unadjusted_lcl95) == 200
