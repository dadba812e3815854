"""NHSRplotthedots' unit-test expectations ported one by one (package 0.2.2, tests/testthat).

R's `set.seed(123); rnorm(...)` values are reproduced below as literals; the package's
snapshots of them give the means and limits we check against.
"""

from __future__ import annotations

import numpy as np
import pytest

from warehouse.analytics.spc import XmrPoint, assurance_type, xmr
from warehouse.analytics.spc_rules import shift_points, steps, trend_points, two_in_three_points

# set.seed(123); rnorm(24), then rnorm(12, 5), then rnorm(12, -5) from the same stream.
RNORM_24 = (
    -0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576,
    0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534,
    -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638,
    0.40077145059405217, 0.1106827159451197, -0.5558411347540749, 1.7869131368030782,
    0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404,
    -1.0678237059868452, -0.21797491465829513, -1.0260044483072397, -0.7288912292911403,
)  # fmt: skip
RNORM_12_MEAN_5 = (
    4.374960732150743, 3.313306689257587, 5.837787044494525, 5.153373117836515,
    3.8618630629880526, 6.253814921069926, 5.426464221476814, 4.704928517007729,
    5.8951256610450224, 5.878133487533042, 5.821581081637487, 5.688640254100091,
)  # fmt: skip
RNORM_12_MEAN_MINUS_5 = (
    -4.446082346462411, -5.061911710576721, -5.305962663739916, -5.380471001012383,
    -5.694706978920513, -5.207917278019599, -6.265396351568264, -2.8310440346614874,
    -3.7920380016950093, -6.123108583203349, -5.402884835299076, -5.466655353623219,
)  # fmt: skip
RNORM_20 = RNORM_24[:20]


def _limits(values: list[float] | tuple[float, ...], **options: object) -> tuple[float, ...]:
    point = xmr(values, **options).points[0]  # type: ignore[arg-type]
    assert point.mean is not None and point.lpl is not None and point.upl is not None
    return point.mean, point.lpl, point.upl


def test_standard_snapshot_limits_for_twenty_normal_values() -> None:
    result = xmr(RNORM_20)

    assert _limits(RNORM_20) == pytest.approx((0.1416238, -3.01138, 3.294627), rel=1e-6)
    assert [p.relative_to_mean for p in result.points][:13] == [
        -1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1,
    ]  # fmt: skip
    # glimpse() shows the first seven flags, all FALSE
    assert not any(p.outside_limits or p.close_to_limits for p in result.points[:7])


def test_standard_snapshot_outlier_is_screened_out_of_the_moving_range() -> None:
    values = list(RNORM_20)
    values[14] = 10.0

    screened = _limits(values)
    unscreened = _limits(values, screen_outliers=False)

    assert screened == pytest.approx((0.6694159, -2.383666, 3.722497), rel=1e-6)
    assert unscreened == pytest.approx((0.6694159, -4.596625, 5.935457), rel=1e-6)
    assert unscreened[2] - unscreened[1] > screened[2] - screened[1]
    assert [p.relative_to_mean for p in xmr(values).points][:14] == [
        -1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1,
    ]  # fmt: skip


def test_summary_snapshot_facets_of_ten_points() -> None:
    assert _limits(RNORM_20[:10]) == pytest.approx((0.0746, -2.60, 2.75), abs=5e-3)
    assert _limits(RNORM_20[10:]) == pytest.approx((0.209, -3.28, 3.70), abs=5e-3)


def test_fixing_after_12_points_changes_the_limits() -> None:
    assert _limits(RNORM_20, fix_after_n_points=12) != _limits(RNORM_20)
    assert _limits(RNORM_20, fix_after_n_points=12) == _limits(RNORM_20[:12])


@pytest.mark.parametrize(
    ("tail", "options", "icon", "assurance"),
    [
        (RNORM_24[12:], {"target": 0.5}, "common_cause", "inconsistent"),
        (RNORM_12_MEAN_5, {"target": -3}, "improvement_high", "consistent_pass"),
        (
            RNORM_12_MEAN_5,
            {"target": -3, "improvement": "decrease"},
            "concern_high",
            "consistent_fail",
        ),
        (RNORM_12_MEAN_MINUS_5, {"target": 3}, "concern_low", "consistent_fail"),
        (
            RNORM_12_MEAN_MINUS_5,
            {"target": 3, "improvement": "decrease"},
            "improvement_low",
            "consistent_pass",
        ),
        (RNORM_12_MEAN_MINUS_5, {"target": 3, "improvement": "neutral"}, "neutral_low", None),
    ],
)
def test_icons_match_ptd_get_icons(
    tail: tuple[float, ...], options: dict[str, object], icon: str, assurance: str | None
) -> None:
    result = xmr(RNORM_24[:12] + tail, **options)  # type: ignore[arg-type]

    assert (result.variation_icon, result.assurance_type) == (icon, assurance)


def test_two_in_three_needs_all_three_points_on_one_side() -> None:
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5

    points = xmr(values).points

    assert [p.close_to_limits for p in points[-2:]] == [True, True]
    assert [p.point_type for p in points[-2:]] == ["common_cause", "common_cause"]


def test_deviations_vignette_limits_with_and_without_screening() -> None:
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]

    for screen, (upl, lpl) in ((True, (4.6, -0.72)), (False, (6.95, -3.06))):
        result = xmr(values, screen_outliers=screen)
        mean, low, high = _limits(values, screen_outliers=screen)
        assert (round(high, 2), round(mean, 2), round(low, 2)) == (upl, 1.94, lpl)
        flagged = [(i, p.point_type) for i, p in enumerate(result.points) if p.special_cause_flag]
        assert flagged == [(4, "special_cause_improvement")]


def _mask(bits: str) -> np.ndarray:
    return np.array([bit == "1" for bit in bits])


def _sides(signs: list[int]) -> np.ndarray:
    return np.array(signs, dtype=np.int64)


@pytest.mark.parametrize(
    ("side", "flagged"),
    [
        ([], ""),
        ([1] * 6, "000000"),
        ([1] * 6 + [-1], "0000000"),
        ([1] * 8 + [-1], "111111110"),
        ([-1] * 8 + [1], "111111110"),
        ([-1, *[1] * 8, -1], "0111111110"),
    ],
)
def test_seven_point_one_side_of_mean_helper(side: list[int], flagged: str) -> None:
    assert shift_points(_sides(side)).tolist() == _mask(flagged).tolist()


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        ([], ""),
        ([1, 2, 3, 4, 5, 6], "000000"),
        ([1, 2, 3, 3, 4, 5, 6], "0000000"),
        ([1, 2, 3, 4, 5, 6, 7], "1111111"),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], "011111110"),
        ([7, 6, 5, 4, 3, 2, 1], "1111111"),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], "011111110"),
    ],
)
def test_seven_point_trend_helper(values: list[float], flagged: str) -> None:
    array = np.array(values, dtype=np.float64)
    if array.size == 0:
        return  # the package returns numeric(0); xmr never calls the rules on no points
    assert trend_points(steps(array)).tolist() == _mask(flagged).tolist()


@pytest.mark.parametrize(
    ("close", "side", "flagged"),
    [
        ("101", [1, 1, 1], "101"),
        ("011", [1, 1, 1], "011"),
        ("110", [1, 1, 1], "110"),
        ("0010100", [1] * 7, "0010100"),
        ("0011000", [1] * 7, "0011000"),
        ("1001", [1] * 4, "0000"),
        ("10011", [1] * 5, "00011"),
        ("101", [1, -1, 1], "000"),
        ("011", [1, -1, 1], "000"),
        ("110", [1, -1, 1], "000"),
        ("0010100", [1, -1, 1, -1, 1, -1, 1], "0000000"),
        ("0011000", [-1, 1, -1, 1, -1, 1, -1], "0000000"),
    ],
)
def test_two_in_three_helper(close: str, side: list[int], flagged: str) -> None:
    assert two_in_three_points(_mask(close), _sides(side)).tolist() == _mask(flagged).tolist()


def _latest(lpl: float, mean: float, upl: float) -> XmrPoint:
    return XmrPoint(mean, mean, lpl, upl, 0, False, False, False, "common_cause")


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("increase", ["consistent_fail", "consistent_pass", "inconsistent"]),
        ("decrease", ["consistent_pass", "consistent_fail", "inconsistent"]),
        ("neutral", [None, None, None]),
    ],
)
def test_assurance_table(improvement: str, expected: list[str | None]) -> None:
    latest = [_latest(1, 2, 3), _latest(5, 6, 7), _latest(1, 4, 5)]

    assert [assurance_type(4, point, improvement) for point in latest] == expected
    assert assurance_type(None, latest[0], improvement) is None


@pytest.mark.parametrize(("size", "warned"), [(10, True), (11, True), (12, True), (13, False)])
def test_short_group_warning_below_thirteen_points(size: int, warned: bool) -> None:
    (group,) = xmr([float(i % 3) for i in range(size)]).groups

    assert group.short_group_warning is warned


def test_short_group_warning_is_per_rebased_segment() -> None:
    facet_a = xmr([float(i % 5) for i in range(40)], rebase=[35])
    facet_b = xmr([float(i % 5) for i in range(40)], rebase=[20])

    assert [g.short_group_warning for g in facet_a.groups] == [False, True]
    assert [g.short_group_warning for g in facet_b.groups] == [False, False]


def test_rebase_dates_become_segment_starts() -> None:
    # x = 2020-01-02 .. 2020-01-11, rebase on 2020-01-03 and 2020-01-08.
    result = xmr([float(i) for i in range(10)], rebase=[1, 6])

    assert [(g.start_index, g.end_index) for g in result.groups] == [(0, 0), (1, 5), (6, 9)]
