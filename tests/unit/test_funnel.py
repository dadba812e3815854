"""Funnel plots agree with FunnelPlotR 0.6.0 and with the formulas worked by hand.

Reference values are ported from the package's testthat suite (cran/FunnelPlotR @ 1bc9cf69):
test-classes_methods.R (φ), test-poisson_limits.R (exact Poisson limits), test-outliers_func.R
(boundaries), test-build_limits_lookup.R (PR limits at n = 3), test-funnel_plot.R (adjusted
limits are wider). Expected values elsewhere are recomputed here from the published formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2, norm

from warehouse.analytics.funnel import classify, funnel, position
from warehouse.analytics.funnel_limits import outside

# The package's own fixture: six trusts, observed vs expected.
OBSERVED = [100, 150, 180, 80, 120, 225]
EXPECTED = [108, 112, 165, 95, 100, 220]
GROUPS = ["a", "b", "c", "d", "e", "f"]
Z95, Z998 = norm.ppf(0.975), norm.ppf(0.999)


def test_sr_dispersion_ratio_matches_funnelplotr() -> None:
    result = funnel(GROUPS, OBSERVED, EXPECTED, data_type="SR")

    assert round(result.phi, 6) == 2.948033  # expect_equal(round(phi(a), 6), 2.948033)
    assert result.adjusted


def test_sr_tau2_is_dersimonian_laird_over_the_retained_units() -> None:
    result = funnel(GROUPS, OBSERVED, EXPECTED, data_type="SR")

    e = np.array(EXPECTED, dtype=float)
    z = np.sqrt(e) * np.log(np.array(OBSERVED) / e)
    phi = np.mean(z**2)  # six units: the SHMI truncation keeps all of them
    tau2 = (6 * phi - 5) / (e.sum() - (e**2).sum() / e.sum())
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.tau2 == pytest.approx(tau2, rel=1e-12)
    unit = result.units[4]
    assert unit.lcl95 == pytest.approx(math.exp(-Z95 * math.sqrt(1 / 100 + tau2)), rel=1e-12)
    assert unit.ucl998 == pytest.approx(math.exp(Z998 * math.sqrt(1 / 100 + tau2)), rel=1e-12)


def test_sr_adjusted_limits_are_wider_than_the_poisson_ones() -> None:
    unit_e = funnel(GROUPS, OBSERVED, EXPECTED, data_type="SR", multiplier=100).units[4]

    assert unit_e.unadjusted_lcl95 > unit_e.lcl95  # expect_gt(b$LCL95[5], a$OD95LCL[5])


def test_sr_unadjusted_limits_are_funnelplotr_exact_poisson_values() -> None:
    # Observed equals expected, so φ = 0 and the unadjusted (Poisson) limits are in force.
    result = funnel(["x", "y", "z"], [15, 20, 30], [15, 20, 30], data_type="SR")

    assert not result.adjusted
    units = result.units
    assert [round(u.lcl95, 7) for u in units] == [0.5596924, 0.6108260, 0.6746958]
    assert [round(u.ucl95, 6) for u in units] == [1.649348, 1.544419, 1.427562]
    assert [round(u.lcl998, 7) for u in units] == [0.3862650, 0.4479107, 0.5289724]
    assert [round(u.ucl998, 6) for u in units] == [2.082907, 1.902094, 1.702771]
    assert all(u.lcl95 == u.unadjusted_lcl95 and u.ucl998 == u.unadjusted_ucl998 for u in units)


def test_sr_with_little_dispersion_uses_unadjusted_exact_poisson_limits() -> None:
    observed = [48, 52, 101, 99, 205, 196, 9, 11]
    expected = [50.0, 50.0, 100.0, 100.0, 200.0, 200.0, 10.0, 10.0]

    result = funnel([f"t{i}" for i in range(8)], observed, expected, data_type="SR")

    assert result.phi <= 1
    assert not result.adjusted
    for unit, e in zip(result.units, expected, strict=True):
        assert unit.lcl95 == pytest.approx(chi2.ppf(0.025, 2 * e) / 2 / e, rel=1e-10)
        assert unit.ucl95 == pytest.approx(chi2.ppf(0.975, 2 * (e + 1)) / 2 / e, rel=1e-10)
        assert unit.lcl998 == pytest.approx(chi2.ppf(0.001, 2 * e) / 2 / e, rel=1e-10)
        assert unit.ucl998 == pytest.approx(chi2.ppf(0.999, 2 * (e + 1)) / 2 / e, rel=1e-10)


def test_pr_limits_at_three_cases_stay_strictly_between_zero_and_one() -> None:
    # build_limits_lookup(..., data_type = "PR", target = 0.5): ul95[1] < 1, ll95[1] > 0 at n = 3
    result = funnel(["small", "large"], [1.5, 50], [3, 100])

    small = result.units[0]
    assert result.target == 0.5
    assert 0 < small.lcl95 < small.ucl95 < 1
    half_width = Z95 / (2 * math.sqrt(3))
    assert small.lcl95 == pytest.approx(math.sin(math.pi / 4 - half_width) ** 2, rel=1e-12)
    assert small.ucl95 == pytest.approx(math.sin(math.pi / 4 + half_width) ** 2, rel=1e-12)


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [
        (0.9, 1.1, [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]),  # 95 unadjusted
        (0.79, 1.21, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),  # 95 adjusted
        (0.59, 1.41, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]),  # 99.8 unadjusted
        (0.38, 1.62, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),  # 99.8 adjusted
    ],
)
def test_outlier_boundaries_match_funnelplotr(
    lower: float, upper: float, expected: list[int]
) -> None:
    ratios = np.array([1, 0.95, 1.05, 0.8, 1.2, 0.6, 1.4, 0.4, 1.6, 0])

    flags = outside(ratios, np.full(10, lower), np.full(10, upper))

    assert flags.astype(int).tolist() == expected


def test_ratio_exactly_on_a_limit_is_inside() -> None:
    assert not outside(np.array([1.1, 0.9]), np.array([0.9, 0.9]), np.array([1.1, 1.1])).any()


def test_pr_worked_example_winsorises_before_estimating_phi() -> None:
    num = [12, 30, 45, 8, 60, 22, 35, 90, 15, 40]
    den = [40, 80, 100, 50, 120, 60, 90, 150, 70, 100]

    result = funnel([f"p{i}" for i in range(10)], num, den)

    n, d = np.array(num, dtype=float), np.array(den, dtype=float)
    target = n.sum() / d.sum()
    s = 1 / (2 * np.sqrt(d))
    z = (np.arcsin(np.sqrt(n / d)) - math.asin(math.sqrt(target))) / s
    low, high = np.quantile(z, [0.1, 0.9])
    phi = np.mean(np.clip(z, low, high) ** 2)
    w = 1 / s**2
    tau2 = max(0.0, (10 * phi - 9) / (w.sum() - (w**2).sum() / w.sum()))
    assert result.target == pytest.approx(target, rel=1e-12)
    assert [u.zscore for u in result.units] == pytest.approx(z.tolist(), rel=1e-12)
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.tau2 == pytest.approx(tau2, rel=1e-12)
    assert result.adjusted == (phi > 1)
    sigma = np.sqrt(s**2 + (tau2 if result.adjusted else 0.0))
    centre = math.asin(math.sqrt(target))
    expected_ucl998 = np.sin(np.clip(centre + Z998 * sigma, 0, math.pi / 2)) ** 2
    assert [u.ucl998 for u in result.units] == pytest.approx(expected_ucl998.tolist(), rel=1e-12)


def test_sr_truncation_drops_the_extreme_tenths_before_estimating_phi() -> None:
    expected = [40.0 + 5 * i for i in range(20)]
    ratios = [0.6 + 0.04 * i for i in range(20)]  # z rises with i, so rank = i + 1
    observed = [r * e for r, e in zip(ratios, expected, strict=True)]

    result = funnel([f"s{i}" for i in range(20)], observed, expected, data_type="SR")

    e = np.array(expected)
    z = np.sqrt(e) * np.log(np.array(ratios))
    band = np.floor(np.arange(1, 21) * 10 / 21)  # ranks 1, 2, 19, 20 fall in bands 0 and 9
    kept = (band > 0) & (band < 9)
    assert kept.sum() == 16
    phi = np.mean(z[kept] ** 2)
    w = e[kept]
    tau2 = max(0.0, (16 * phi - 15) / (w.sum() - (w**2).sum() / w.sum()))
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.tau2 == pytest.approx(tau2, rel=1e-12)


def test_pr_limits_widen_as_denominators_shrink() -> None:
    den = [20, 50, 100, 400, 1000, 5000]
    result = funnel([f"u{i}" for i in range(6)], [10, 22, 51, 190, 520, 2490], den)

    curve = result.limits
    assert all(np.diff(curve.denominators) > 0)
    assert all(np.diff(curve.lcl95) >= 0) and all(np.diff(curve.lcl998) >= 0)
    assert all(np.diff(curve.ucl95) <= 0) and all(np.diff(curve.ucl998) <= 0)
    widths = [u.ucl95 - u.lcl95 for u in result.units]
    assert widths == sorted(widths, reverse=True)


def test_unit_between_95_and_998_limits_is_flagged_outside95_only() -> None:
    names = [f"u{i}" for i in range(20)]
    num = [200.0] * 19 + [230.0]

    result = funnel(names, num, [400.0] * 20)

    odd = result.units[-1]
    assert odd.ucl95 < odd.ratio < odd.ucl998
    assert odd.outside95
    assert not odd.outside998
    assert position(odd) == "inside"
    assert not any(u.outside95 for u in result.units[:-1])


def test_classify_reads_99_8_outliers_in_the_direction_of_improvement() -> None:
    names = [f"u{i}" for i in range(18)] + ["high", "low"]
    result = funnel(names, [200.0] * 18 + [300.0, 100.0], [400.0] * 20)

    assert position(result.units[-2]) == "above" and position(result.units[-1]) == "below"
    increase = classify(result, "increase")
    assert (increase["high"], increase["low"], increase["u0"]) == ("better", "worse", "inside")
    decrease = classify(result, "decrease")
    assert (decrease["high"], decrease["low"]) == ("worse", "better")
    neutral = classify(result, "neutral")
    assert (neutral["high"], neutral["low"]) == ("above", "below")
    assert set(increase) == set(names)


def test_classify_rejects_an_unknown_direction() -> None:
    result = funnel(["a", "b"], [1, 2], [10, 10])

    with pytest.raises(ValueError, match="improvement must be one of"):
        classify(result, "up")


def test_multiplier_scales_ratio_target_and_limits_but_not_the_statistics() -> None:
    plain = funnel(GROUPS, OBSERVED, EXPECTED, data_type="SR")
    scaled = funnel(GROUPS, OBSERVED, EXPECTED, data_type="SR", multiplier=100)

    assert scaled.target == 100
    assert (scaled.phi, scaled.tau2) == (plain.phi, plain.tau2)
    for a, b in zip(plain.units, scaled.units, strict=True):
        assert b.ratio == pytest.approx(100 * a.ratio)
        assert b.ucl998 == pytest.approx(100 * a.ucl998)
        assert b.unadjusted_lcl95 == pytest.approx(100 * a.unadjusted_lcl95)
        assert b.zscore == a.zscore
