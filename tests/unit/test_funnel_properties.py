"""Funnel results hold for any data: order does not matter, scale does not move the target,
the limits always contain the target. Plus a timing print for a realistic alliance size."""

from __future__ import annotations

import math
from dataclasses import astuple
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from warehouse.analytics.funnel import FunnelResult, FunnelUnit, funnel

Data = tuple[list[str], list[float], list[float], str]


@st.composite
def proportions(draw: st.DrawFn) -> Data:
    size = draw(st.integers(min_value=1, max_value=30))
    den = draw(st.lists(st.integers(1, 5000), min_size=size, max_size=size))
    shares = draw(st.lists(st.floats(0, 1), min_size=size, max_size=size))
    num = [float(round(share * d)) for share, d in zip(shares, den, strict=True)]
    return [f"u{i}" for i in range(size)], num, [float(d) for d in den], "PR"


@st.composite
def standardised_ratios(draw: st.DrawFn) -> Data:
    size = draw(st.integers(min_value=1, max_value=30))
    expected = draw(st.lists(st.floats(0.5, 500), min_size=size, max_size=size))
    ratios = draw(st.lists(st.floats(0, 3), min_size=size, max_size=size))
    observed = [float(round(r * e)) for r, e in zip(ratios, expected, strict=True)]
    return [f"u{i}" for i in range(size)], observed, expected, "SR"


any_data = st.one_of(proportions(), standardised_ratios())


def _same(a: FunnelUnit, b: FunnelUnit) -> bool:
    """Field-by-field equality that treats NaN as equal to NaN."""
    return all(
        x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
        for x, y in zip(astuple(a), astuple(b), strict=True)
    )


@given(data=any_data, seed=st.randoms(use_true_random=False))
def test_permuting_units_permutes_results_identically(data: Data, seed: Random) -> None:
    names, num, den, data_type = data
    order = list(range(len(names)))
    seed.shuffle(order)

    original = funnel(names, num, den, data_type=data_type)
    shuffled = funnel(
        [names[i] for i in order],
        [num[i] for i in order],
        [den[i] for i in order],
        data_type=data_type,
    )

    assert (shuffled.target, shuffled.phi, shuffled.tau2, shuffled.adjusted) == (
        original.target,
        original.phi,
        original.tau2,
        original.adjusted,
    )
    assert shuffled.limits == original.limits
    by_name = {u.unit: u for u in original.units}
    assert all(_same(u, by_name[u.unit]) for u in shuffled.units)


@given(data=proportions(), k=st.integers(min_value=2, max_value=50))
def test_scaling_proportion_counts_keeps_the_target(data: Data, k: int) -> None:
    names, num, den, _ = data

    base = funnel(names, num, den)
    scaled = funnel(names, [k * n for n in num], [k * d for d in den])

    assert math.isclose(scaled.target, base.target, rel_tol=1e-12, abs_tol=1e-15)


def _contains_target(result: FunnelResult) -> bool:
    t = result.target
    units = [u for u in result.units if u.denominator > 0]
    unit_ok = all(
        u.lcl998 <= u.lcl95 <= t <= u.ucl95 <= u.ucl998
        and u.unadjusted_lcl998 <= u.unadjusted_lcl95 <= t <= u.unadjusted_ucl95
        for u in units
    )
    c = result.limits
    curve_ok = all(
        lo998 <= lo <= t <= hi <= hi998
        for lo998, lo, hi, hi998 in zip(c.lcl998, c.lcl95, c.ucl95, c.ucl998, strict=True)
    )
    return unit_ok and curve_ok


@given(data=any_data, multiplier=st.sampled_from([1.0, 100.0, 1000.0]))
def test_limits_always_contain_the_target(data: Data, multiplier: float) -> None:
    names, num, den, data_type = data

    result = funnel(names, num, den, data_type=data_type, multiplier=multiplier)

    assert _contains_target(result)


@given(data=proportions())
def test_adjusted_proportion_limits_contain_the_unadjusted_ones(data: Data) -> None:
    names, num, den, _ = data

    result = funnel(names, num, den)

    for u in result.units:
        assert u.lcl95 <= u.unadjusted_lcl95 and u.ucl95 >= u.unadjusted_ucl95
        assert u.lcl998 <= u.unadjusted_lcl998 and u.ucl998 >= u.unadjusted_ucl998
