"""XmR results that must hold for any series: direction symmetry, shift and scale invariance,
independence of rebased segments. Plus the speed budget for a board pack's worth of charts."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from warehouse.analytics.spc import XmrResult, xmr
from warehouse.analytics.spc_limits import MR_SCREEN, mean_moving_range

Values = list[float | None]

# Integers keep shifted and scaled moving ranges, ties and trends exact.
whole = st.integers(-1000, 1000).map(float)


@st.composite
def series(draw: st.DrawFn) -> Values:
    """Noise around a level, with a step change and a ramp, so that every rule gets exercised;
    about one value in ten is missing."""
    size = draw(st.integers(1, 60))
    noise = draw(st.lists(st.integers(-6, 6), min_size=size, max_size=size))
    step_at, step = draw(st.integers(0, size)), draw(st.integers(-25, 25))
    ramp_at, slope = draw(st.integers(0, size)), draw(st.integers(-4, 4))
    level = draw(st.integers(-1000, 1000))
    missing = draw(st.lists(st.integers(0, 9), min_size=size, max_size=size))
    return [
        None
        if missing[i] == 0
        else float(level + noise[i] + step * (i >= step_at) + slope * max(0, i - ramp_at))
        for i in range(size)
    ]


options = st.fixed_dictionaries(
    {
        "screen_outliers": st.booleans(),
        "fix_after_n_points": st.one_of(st.none(), st.integers(12, 30)),
    }
)

SWAP = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
    "common_cause": "common_cause",
}
SWAP_ICON = {
    "improvement_high": "concern_high",
    "concern_low": "improvement_low",
    "common_cause": "common_cause",
}
SWAP_ASSURANCE = {
    "consistent_pass": "consistent_fail",
    "consistent_fail": "consistent_pass",
    "inconsistent": "inconsistent",
    None: None,
}


def _baseline(values: Values, fix: int | None) -> np.ndarray:
    array = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    return array if fix is None else array[:fix]


def _clear_of_thresholds(values: Values, result: XmrResult, screen: bool, fix: int | None) -> bool:
    """No value sits within rounding of a line it is compared with, and no moving range sits on
    the screening cut-off, so exact ties cannot flip under a shift or a scale."""
    scale = 1.0 + max((abs(v) for v in values if v is not None), default=0.0)
    tolerance = 1e-9 * scale
    baseline = _baseline(values, fix)
    ranges = np.abs(np.diff(baseline))
    cut = MR_SCREEN * mean_moving_range(baseline, screen_outliers=False)
    if screen and np.any(np.abs(ranges[~np.isnan(ranges)] - cut) <= tolerance):
        return False
    for point in result.points:
        if point.value is None or point.mean is None or point.upl is None:
            continue
        half = (point.upl - point.mean) * 2 / 3
        lines = (point.mean, point.lpl, point.upl, point.mean - half, point.mean + half)
        if any(abs(point.value - line) <= tolerance for line in lines if line is not None):
            return False
    return True


def _close(a: float | None, b: float | None, scale: float) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * scale)


def _same_except_levels(base: XmrResult, moved: XmrResult) -> None:
    assert [p.point_type for p in moved.points] == [p.point_type for p in base.points]
    assert [p.relative_to_mean for p in moved.points] == [p.relative_to_mean for p in base.points]
    assert moved.variation_icon == base.variation_icon


@given(series(), options, st.one_of(st.none(), whole))
def test_flipping_the_direction_swaps_improvement_and_concern(
    values: Values, opts: dict[str, object], target: float | None
) -> None:
    up = xmr(values, improvement="increase", target=target, **opts)  # type: ignore[arg-type]
    down = xmr(values, improvement="decrease", target=target, **opts)  # type: ignore[arg-type]

    assert [SWAP[p.point_type] for p in up.points] == [p.point_type for p in down.points]
    assert [p.special_cause_flag for p in up.points] == [p.special_cause_flag for p in down.points]
    assert SWAP_ICON[up.variation_icon or "common_cause"] == down.variation_icon
    assert SWAP_ASSURANCE[up.assurance_type] == down.assurance_type


@given(series(), options)
def test_neutral_names_the_side_that_increase_would_judge(
    values: Values, opts: dict[str, object]
) -> None:
    up = xmr(values, **opts)  # type: ignore[arg-type]
    neutral = xmr(values, improvement="neutral", target=0.0, **opts)  # type: ignore[arg-type]

    names = {
        "special_cause_improvement": "special_cause_neutral_high",
        "special_cause_concern": "special_cause_neutral_low",
        "common_cause": "common_cause",
    }
    assert [names[p.point_type] for p in up.points] == [p.point_type for p in neutral.points]
    assert neutral.assurance_type is None


@given(series(), options, st.integers(-10_000, 10_000))
def test_shifting_moves_mean_and_limits_and_keeps_the_types(
    values: Values, opts: dict[str, object], shift: int
) -> None:
    base = xmr(values, **opts)  # type: ignore[arg-type]
    assume(_clear_of_thresholds(values, base, **_kw(opts)))

    moved = xmr([None if v is None else v + shift for v in values], **opts)  # type: ignore[arg-type]

    _same_except_levels(base, moved)
    scale = 1.0 + abs(shift) + max((abs(v) for v in values if v is not None), default=0.0)
    for b, m in zip(base.points, moved.points, strict=True):
        for level, shifted in ((b.mean, m.mean), (b.lpl, m.lpl), (b.upl, m.upl)):
            assert _close(None if level is None else level + shift, shifted, scale)


@given(series(), options, st.floats(0.01, 100))
def test_scaling_scales_mean_and_limits_and_keeps_the_types(
    values: Values, opts: dict[str, object], factor: float
) -> None:
    base = xmr(values, **opts)  # type: ignore[arg-type]
    assume(_clear_of_thresholds(values, base, **_kw(opts)))

    scaled = xmr([None if v is None else v * factor for v in values], **opts)  # type: ignore[arg-type]

    _same_except_levels(base, scaled)
    scale = factor * (1.0 + max((abs(v) for v in values if v is not None), default=0.0))
    for b, s in zip(base.points, scaled.points, strict=True):
        for level, moved in ((b.mean, s.mean), (b.lpl, s.lpl), (b.upl, s.upl)):
            assert _close(None if level is None else level * factor, moved, scale)


@given(
    st.one_of(
        series().filter(lambda values: len(values) >= 2),
        st.lists(st.one_of(st.floats(-1e6, 1e6), st.none()), min_size=2, max_size=60),
    ),
    options,
    st.data(),
)
def test_rebasing_at_k_leaves_each_side_as_if_charted_alone(
    values: Values, opts: dict[str, object], data: st.DataObject
) -> None:
    k = data.draw(st.integers(1, len(values) - 1))

    rebased = xmr(values, rebase=[k], **opts)  # type: ignore[arg-type]

    assert rebased.points[:k] == xmr(values[:k], **opts).points  # type: ignore[arg-type]
    assert rebased.points[k:] == xmr(values[k:], **opts).points  # type: ignore[arg-type]
    assert [(g.start_index, g.end_index) for g in rebased.groups] == [
        (0, k - 1),
        (k, len(values) - 1),
    ]


@given(series(), options)
def test_every_value_gets_one_point_and_the_groups_tile_the_series(
    values: Values, opts: dict[str, object]
) -> None:
    result = xmr(values, **opts)  # type: ignore[arg-type]

    assert [p.value for p in result.points] == values
    assert sum(g.n for g in result.groups) == len(values)
    assert all(p.special_cause_flag == (p.point_type != "common_cause") for p in result.points)


def _kw(opts: dict[str, object]) -> dict[str, object]:
    return {"screen": opts["screen_outliers"], "fix": opts["fix_after_n_points"]}
