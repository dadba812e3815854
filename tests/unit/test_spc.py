"""Hand-worked Making Data Count examples, edge cases, rebasing and fixed baselines."""

from __future__ import annotations

import dataclasses
import math

import pytest

from warehouse.analytics.spc import XmrResult, xmr

BASE = [10.0, 14.0] * 6
"""Twelve alternating values: no rule can fire inside them."""


def _flagged(result: XmrResult) -> dict[int, str]:
    return {i: p.point_type for i, p in enumerate(result.points) if p.special_cause_flag}


def _types(kind: str, indices: range) -> dict[int, str]:
    return {i: f"special_cause_{kind}" for i in indices}


class TestRules:
    def test_seven_above_the_mean_is_improvement_when_higher_is_better(self) -> None:
        result = xmr([3.0, 1.0] * 5 + [2.5] * 7)

        assert _flagged(result) == _types("improvement", range(10, 17))
        assert result.variation_icon == "improvement_high"

    def test_the_same_run_is_concern_when_lower_is_better(self) -> None:
        result = xmr([3.0, 1.0] * 5 + [2.5] * 7, improvement="decrease")

        assert _flagged(result) == _types("concern", range(10, 17))
        assert result.variation_icon == "concern_high"

    def test_a_neutral_measure_reports_the_side(self) -> None:
        result = xmr([3.0, 1.0] * 5 + [2.5] * 7, improvement="neutral")

        assert _flagged(result) == _types("neutral_high", range(10, 17))
        assert result.variation_icon == "neutral_high"

    def test_six_on_one_side_is_not_a_signal(self) -> None:
        assert _flagged(xmr([3.0, 1.0] * 5 + [2.5] * 6)) == {}

    def test_a_rising_trend_crossing_the_mean_is_improvement_throughout(self) -> None:
        values = [5.0, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4.2, 4.5, 4.8, 5.1, 5.4, 5.7, 5.9]

        result = xmr(values)

        assert [p.relative_to_mean for p in result.points[10:]] == [-1, -1, -1, 1, 1, 1, 1]
        assert _flagged(result) == _types("improvement", range(10, 17))

    def test_an_equal_value_breaks_a_trend(self) -> None:
        values = [5.0, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4.2, 4.5, 4.8, 4.8, 5.4, 5.7, 5.9]

        assert _flagged(xmr(values)) == {}

    def test_two_of_three_close_to_the_upper_limit_flags_only_the_close_points(self) -> None:
        result = xmr([10.0, 12.0] * 6 + [16.0, 13.0, 16.0])

        assert [i for i, p in enumerate(result.points) if p.close_to_limits] == [12, 14]
        assert _flagged(result) == {
            12: "special_cause_improvement",
            14: "special_cause_improvement",
        }

    def test_a_falling_trend_above_the_mean_outranks_the_shift(self) -> None:
        result = xmr([*BASE, 13.6, 13.5, 13.4, 13.3, 13.2, 13.1, 13.0])

        assert all(p.relative_to_mean == 1 for p in result.points[11:])
        assert _flagged(result) == _types("concern", range(11, 19))

    def test_a_point_outside_the_limits_outranks_the_trend_it_starts(self) -> None:
        result = xmr([*BASE, 30.0, 12.9, 12.8, 12.7, 12.6, 12.5, 12.4])

        assert [i for i, p in enumerate(result.points) if p.outside_limits] == [12]
        assert _flagged(result) == {
            12: "special_cause_improvement",
            **_types("concern", range(13, 19)),
        }

    def test_the_flag_is_set_exactly_for_special_cause_points(self) -> None:
        result = xmr([*BASE, 30.0, 12.9, 12.8, 12.7, 12.6, 12.5, 12.4])

        assert all(p.special_cause_flag == (p.point_type != "common_cause") for p in result.points)


class TestEdgeCases:
    def test_an_empty_series_has_no_points_and_no_icons(self) -> None:
        assert xmr([], target=1.0) == XmrResult((), (), None, None)

    def test_one_point_has_a_mean_but_no_limits(self) -> None:
        result = xmr([5.0], target=3.0)

        (point,) = result.points
        assert (point.mean, point.lpl, point.upl) == (5.0, None, None)
        assert (point.point_type, point.relative_to_mean) == ("common_cause", 0)
        assert result.groups[0].short_group_warning
        assert (result.variation_icon, result.assurance_type) == ("common_cause", "inconsistent")

    def test_two_points_have_limits_from_their_one_moving_range(self) -> None:
        point = xmr([1.0, 3.0]).points[0]

        assert (point.mean, point.lpl, point.upl) == pytest.approx((2.0, 2 - 5.32, 2 + 5.32))

    def test_a_constant_series_has_no_limits_when_screening(self) -> None:
        result = xmr([4.0] * 15)

        assert {(p.mean, p.lpl, p.upl) for p in result.points} == {(4.0, None, None)}
        assert {(p.relative_to_mean, p.point_type) for p in result.points} == {(0, "common_cause")}

    def test_a_constant_series_has_zero_width_limits_without_screening(self) -> None:
        result = xmr([4.0] * 15, screen_outliers=False)

        assert {(p.mean, p.lpl, p.upl) for p in result.points} == {(4.0, 4.0, 4.0)}
        assert _flagged(result) == {}

    def test_a_change_after_a_constant_fixed_baseline(self) -> None:
        values = [4.0] * 12 + [5.0]

        unscreened = xmr(values, fix_after_n_points=12, screen_outliers=False)
        screened = xmr(values, fix_after_n_points=12)

        assert _flagged(unscreened) == {12: "special_cause_improvement"}
        assert screened.points[12].upl is None
        assert _flagged(screened) == {}

    def test_missing_values_are_left_out_of_the_mean_and_the_moving_ranges(self) -> None:
        result = xmr([10.0, 12.0, None, 11.0, 13.0, 12.0])

        # mean of 5 values; ranges 2, 2, 1 (none across the gap)
        mean_range = 5 / 3
        assert result.points[0].mean == pytest.approx(11.6)
        assert result.points[0].upl == pytest.approx(11.6 + 2.66 * mean_range)
        gap = result.points[2]
        assert (gap.value, gap.relative_to_mean, gap.point_type) == (None, 0, "common_cause")
        assert not (gap.outside_limits or gap.close_to_limits)

    def test_nan_counts_as_missing(self) -> None:
        assert xmr([10.0, 12.0, math.nan, 11.0]) == xmr([10.0, 12.0, None, 11.0])

    def test_a_missing_value_breaks_a_run(self) -> None:
        assert len(_flagged(xmr([10.0, 12.0] * 6 + [11.5] * 8))) == 9
        assert _flagged(xmr([10.0, 12.0] * 6 + [11.5] * 3 + [None] + [11.5] * 4)) == {}

    def test_a_series_of_missing_values_has_no_mean(self) -> None:
        result = xmr([None, None, None])

        assert {(p.mean, p.lpl, p.upl, p.point_type) for p in result.points} == {
            (None, None, None, "common_cause")
        }

    def test_a_missing_latest_value_shows_common_cause(self) -> None:
        assert xmr([3.0, 1.0] * 5 + [2.5] * 7 + [None]).variation_icon == "common_cause"

    def test_results_are_frozen(self) -> None:
        result = xmr([1.0, 2.0])

        with pytest.raises(dataclasses.FrozenInstanceError):
            result.points[0].value = 3.0  # type: ignore[misc]


class TestRebaseAndFix:
    def test_each_segment_is_computed_as_its_own_series(self) -> None:
        before, after = [*BASE, 11.0, 13.0], [20.0, 22.0, 21.0, 25.0, 19.0, 23.0, 22.0]

        rebased = xmr(before + after, rebase=[len(before)])

        assert rebased.points == xmr(before).points + xmr(after).points
        assert [(g.start_index, g.end_index, g.n) for g in rebased.groups] == [
            (0, 13, 14),
            (14, 20, 7),
        ]
        assert [g.short_group_warning for g in rebased.groups] == [False, True]

    def test_a_run_does_not_cross_a_rebase(self) -> None:
        values = [3.0, 1.0] * 5 + [2.5] * 7

        assert _flagged(xmr(values, rebase=[13])) == {}

    def test_rebasing_at_zero_or_twice_changes_nothing(self) -> None:
        values = [*BASE, 20.0, 21.0, 22.0]

        assert xmr(values, rebase=[0]) == xmr(values)
        assert xmr(values, rebase=[12, 5, 12]) == xmr(values, rebase=[5, 12])

    def test_rebasing_after_an_improvement_updates_the_assurance(self) -> None:
        values = [50.0, 52.0] * 6 + [90.0, 92.0] * 6

        assert xmr(values, target=80.0).assurance_type == "consistent_fail"
        assert xmr(values, target=80.0, rebase=[12]).assurance_type == "consistent_pass"

    def test_fixed_limits_come_from_the_first_points_and_hold_afterwards(self) -> None:
        values = [*BASE, 13.0, 30.0, 15.0]

        fixed = xmr(values, fix_after_n_points=12)

        baseline = xmr(BASE).points[0]
        assert {(p.mean, p.lpl, p.upl) for p in fixed.points} == {
            (baseline.mean, baseline.lpl, baseline.upl)
        }
        assert [p.outside_limits for p in fixed.points[12:]] == [False, True, False]

    def test_fixing_beyond_the_series_length_changes_nothing(self) -> None:
        values = [*BASE, 13.0, 30.0, 15.0]

        assert xmr(values, fix_after_n_points=100) == xmr(values)

    def test_each_rebased_segment_fixes_its_own_baseline(self) -> None:
        second = [20.0, 24.0] * 6 + [50.0]

        result = xmr(BASE + second, rebase=[12], fix_after_n_points=12)

        assert result.groups[1].mean == pytest.approx(22.0)
        assert result.points[-1].outside_limits


class TestValidation:
    @pytest.mark.parametrize(
        "options",
        [
            {"improvement": "up"},
            {"fix_after_n_points": 11},
            {"fix_after_n_points": 12.0},
            {"fix_after_n_points": True},
            {"target": math.nan},
            {"target": math.inf},
            {"rebase": [3]},
            {"rebase": [-1]},
            {"rebase": [True]},
        ],
    )
    def test_bad_options_are_refused(self, options: dict[str, object]) -> None:
        with pytest.raises(ValueError):
            xmr([1.0, 2.0, 3.0], **options)  # type: ignore[arg-type]

    def test_infinite_values_are_refused(self) -> None:
        with pytest.raises(ValueError, match="finite"):
            xmr([1.0, math.inf])
