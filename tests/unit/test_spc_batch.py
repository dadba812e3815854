"""The batch XmR icons must agree with `xmr`, series by series, point by point.

Hypothesis draws whole batches of series (with gaps, constant runs, ties, one-point and empty
series, decimals whose sums round, and magnitudes that make a plain sum wrong) and charts each
series alone with `xmr` to compare.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.analytics.spc import IMPROVEMENTS, xmr
from warehouse.analytics.spc_batch import PARALLEL_MIN_ROWS, xmr_icons
from warehouse.analytics.spc_batch_sums import exact_row_means

Values = list[float | None]


@st.composite
def shaped(draw: st.DrawFn) -> Values:
    """A level with noise, a step and a ramp (every rule fires somewhere), on a decimal grid
    so that sums round; about one value in eight missing."""
    size = draw(st.integers(0, 40))
    unit = draw(st.sampled_from([1.0, 0.1, 0.001, 0.37]))
    level = draw(st.integers(-500, 500))
    noise = draw(st.lists(st.integers(-6, 6), min_size=size, max_size=size))
    step_at, step = draw(st.integers(0, size)), draw(st.integers(-25, 25))
    ramp_at, slope = draw(st.integers(0, size)), draw(st.integers(-4, 4))
    missing = draw(st.lists(st.integers(0, 7), min_size=size, max_size=size))
    return [
        None if missing[i] == 0
        else (level + noise[i] + step * (i >= step_at) + slope * max(0, i - ramp_at)) * unit
        for i in range(size)
    ]


constant = st.builds(lambda v, n: [v] * n, st.floats(-1e3, 1e3), st.integers(0, 20))
ties = st.lists(st.one_of(st.sampled_from([0.0, 1.0, 2.0]), st.none()), max_size=30)
raw = st.lists(st.one_of(st.floats(-1e6, 1e6), st.none()), max_size=30)
# Dyadic values whose sums land on and near rounding ties, so every branch of the exact
# rounding (and the hand-over to xmr) is exercised.
cancelling = st.lists(st.sampled_from([
    1e16, -1e16, 1.0, 0.5, 3.0, 2.0**-53, 2.0**-50, -(2.0**-50), 2.0**-104, 2.0**-110,
    -(2.0**-110), None,
]), max_size=20)


@st.composite
def on_the_cut(draw: st.DrawFn) -> Values:
    """A saw-tooth whose last jump is 3.267 x the mean moving range (to the last bit where the
    iteration settles): screening it in or out turns on the rounding of that mean."""
    size = draw(st.integers(6, 24))
    step = draw(st.integers(1, 999)) / draw(st.sampled_from([10, 100, 1000]))
    jump = 3.267 * (size - 1) * step / (size - 3.267)
    for _ in range(5):
        jump = 3.267 * (math.fsum([step] * (size - 1) + [jump]) / size)
    base = draw(st.integers(-500, 500)) / 100
    teeth = [base + step * (i % 2) for i in range(size)]
    return [*teeth, teeth[-1] + draw(st.sampled_from([jump, -jump]))]


one_series = st.one_of(shaped(), constant, ties, raw, cancelling, on_the_cut())
charted = st.tuples(
    one_series,
    st.sampled_from(IMPROVEMENTS),
    st.one_of(st.none(), st.floats(-600, 600), st.integers(-600, 600).map(float)),
)


def _matrix(batch: list[Values], extra: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-aligned rows, NaN for missing values and for padding, `extra` spare columns."""
    width = max((len(values) for values in batch), default=0) + extra
    matrix = np.full((len(batch), width), np.nan)
    for row, values in enumerate(batch):
        if values:
            matrix[row, width - len(values):] = [math.nan if v is None else v for v in values]
    return matrix, np.array([len(values) for values in batch])


@settings(max_examples=300, deadline=None)
@given(st.lists(charted, min_size=1, max_size=12), st.integers(0, 3), st.booleans())
def test_batch_icons_equal_xmr_for_every_series_and_point(
    batch: list[tuple[Values, str, float | None]], extra: int, screen: bool
) -> None:
    series = [values for values, _, _ in batch]
    matrix, lengths = _matrix(series, extra)
    improvements = [improvement for _, improvement, _ in batch]
    targets = [math.nan if target is None else target for _, _, target in batch]

    full = xmr_icons(matrix, improvements, targets, lengths=lengths, screen_outliers=screen,
                     point_types=True)
    quick = xmr_icons(matrix, improvements, targets, lengths=lengths, screen_outliers=screen)

    for row, (values, improvement, target) in enumerate(batch):
        chart = xmr(values, improvement=improvement, target=target, screen_outliers=screen)
        assert full.variation_icon[row] == quick.variation_icon[row] == chart.variation_icon
        assert full.assurance[row] == quick.assurance[row] == chart.assurance_type
        types = full.point_types[row, matrix.shape[1] - len(values):].tolist() if values else []
        assert types == [point.point_type for point in chart.points]
        assert all(t is None for t in full.point_types[row, : matrix.shape[1] - len(values)])


def test_means_are_exactly_rounded_where_a_plain_sum_is_not() -> None:
    values = np.array([[1e16, 1.0, -1e16, 1.0], [0.1, 0.2, 0.3, 0.4]])

    means, proven = exact_row_means(values)

    assert proven.all()
    assert means.tolist() == [math.fsum(row) / 4 for row in values.tolist()]
    assert values.sum(axis=1)[0] / 4 != means[0]  # the naive sum loses the ones


def test_a_sum_on_an_exact_tie_rounds_to_even_as_fsum_does() -> None:
    values = np.array([[0.5, 0.25, 0.25, 2.0**-53, 0.0, 0.0, 0.0, 0.5]])  # 1.5 + 2**-53: a tie

    means, proven = exact_row_means(values)

    assert proven.all()
    assert means[0] == math.fsum(values[0]) / values.shape[1]


def test_a_point_on_its_mean_is_judged_with_exactly_rounded_limits() -> None:
    values = [0.1, 0.2, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2]  # points sit on the mean: too close to call

    icons = xmr_icons(np.array([values]), "increase", point_types=True)

    assert icons.exact_rows == 1
    assert icons.fallbacks == 0
    assert icons.point_types[0].tolist() == [p.point_type for p in xmr(values).points]


def test_a_series_whose_rounding_cannot_be_proven_is_left_to_xmr_and_still_agrees() -> None:
    # A point too close to its mean for plain sums, whose exactly rounded sum the batch cannot
    # prove either (the errors of its errors cancel on a rounding boundary).
    values = [2.0**-50, 3.0, 1.0, 1.0, -(2.0**-104), 0.0, -(2.0**-104), 3.0]

    icons = xmr_icons(np.array([values]), "increase", 2.0, point_types=True)
    chart = xmr(values, target=2.0)

    assert (icons.exact_rows, icons.fallbacks) == (1, 1)
    assert icons.variation_icon[0] == chart.variation_icon
    assert icons.assurance[0] == chart.assurance_type
    assert icons.point_types[0].tolist() == [p.point_type for p in chart.points]


def test_a_moving_range_on_the_screening_cut_is_screened_as_xmr_screens_it() -> None:
    # The last range is 3.267 x the mean moving range to the last bit, so whether it is
    # screened out depends on how that mean is rounded.
    values = [0.11, 5.21] * 6 + [-15.776911714187559]

    icons = xmr_icons(np.array([values]), "increase", point_types=True)

    assert icons.exact_rows == 1
    assert icons.point_types[0].tolist() == [p.point_type for p in xmr(values).points]


def test_plain_sums_decide_a_typical_batch_without_exact_rounding() -> None:
    rng = np.random.default_rng(3)
    values = np.round(rng.normal(0.8, 0.05, (500, 60)), 4)

    icons = xmr_icons(values, "increase", 0.9)

    assert icons.exact_rows < 5
    assert icons.fallbacks == 0


def test_an_empty_series_has_no_icon_and_an_all_missing_one_is_common_cause() -> None:
    matrix = np.full((2, 3), np.nan)

    icons = xmr_icons(matrix, "decrease", [0.5, 0.5], lengths=[0, 3])

    assert icons.variation_icon.tolist() == [None, "common_cause"]
    assert icons.assurance.tolist() == [None, "inconsistent"]


def test_values_left_of_a_series_length_are_ignored() -> None:
    padded = np.array([[100.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]])

    icons = xmr_icons(padded, "increase", lengths=[7])

    assert icons.variation_icon[0] == xmr([1.0, 2, 3, 4, 5, 6, 7]).variation_icon


@pytest.mark.parametrize(("values", "improvement", "target", "message"), [
    ([[1.0, math.inf]], "increase", None, "finite"),
    ([[1.0, 2.0]], "upwards", None, "improvement"),
    ([[1.0, 2.0]], "increase", math.inf, "target"),
    ([1.0, 2.0], "increase", None, "2-D"),
])
def test_what_xmr_refuses_the_batch_refuses(values, improvement, target, message) -> None:
    with pytest.raises(ValueError, match=message):
        xmr_icons(np.array(values), improvement, target)


def test_a_batch_split_across_threads_equals_xmr_series_by_series() -> None:
    rng = np.random.default_rng(5)
    rows = 2 * PARALLEL_MIN_ROWS + 7
    values = np.round(rng.normal(0.8, 0.05, (rows, 30)).cumsum(axis=1) / 10, 3)
    values[rng.random(values.shape) < 0.05] = np.nan
    lengths = rng.integers(0, 31, rows)
    improvements = rng.choice(list(IMPROVEMENTS), rows)
    targets = np.where(rng.random(rows) < 0.5, 2.0, np.nan)

    icons = xmr_icons(values, improvements, targets, lengths=lengths)

    for row in range(rows):
        size = int(lengths[row])
        chart = xmr(values[row, 30 - size:].tolist() if size else [],
                    improvement=str(improvements[row]),
                    target=None if np.isnan(targets[row]) else float(targets[row]))
        assert icons.variation_icon[row] == chart.variation_icon, row
        assert icons.assurance[row] == chart.assurance_type, row
