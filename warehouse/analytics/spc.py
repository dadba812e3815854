"""XmR statistical process control as NHS England's Making Data Count draws it.

Boards read a KPI by its variation and assurance icons, so the numbers must agree with the NHS-R
reference package NHSRplotthedots (0.2.2) point for point. This module is pure: values in time
order in, frozen results out; no plotting and no I/O. docs/spc.md has the method and the places
where we had to choose.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from warehouse.analytics.spc_limits import (
    SegmentFlags,
    SegmentLimits,
    segment_flags,
    segment_limits,
)
from warehouse.analytics.spc_rules import FloatArray, special_cause_sides

IMPROVEMENTS = ("increase", "decrease", "neutral")
SHORT_GROUP_THRESHOLD = 13
"""A segment with fewer rows than this gets a short-group (trial limits) warning."""
MIN_FIX_AFTER_N_POINTS = 12
_DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}
POINT_FIELDS = ("value", "mean", "lpl", "upl", "relative_to_mean", "outside_limits",
                "close_to_limits", "special_cause_flag", "point_type")
"""XmrPoint's fields, in order: the keys of `XmrColumns.columns`."""


@dataclass(frozen=True, slots=True)
class XmrPoint:
    """One period. Limits are None where the package leaves them NA (e.g. a single point)."""

    value: float | None
    mean: float | None
    lpl: float | None
    upl: float | None
    relative_to_mean: int
    outside_limits: bool
    close_to_limits: bool
    special_cause_flag: bool
    point_type: str


@dataclass(frozen=True, slots=True)
class XmrGroup:
    """One segment between rebases; `end_index` is inclusive and `n` counts missing values too."""

    start_index: int
    end_index: int
    n: int
    mean: float | None
    lpl: float | None
    upl: float | None
    short_group_warning: bool


@dataclass(frozen=True, slots=True)
class XmrResult:
    """Points, segments, the latest point's variation icon and the assurance against a target."""

    points: tuple[XmrPoint, ...]
    groups: tuple[XmrGroup, ...]
    variation_icon: str | None
    assurance_type: str | None


@dataclass(frozen=True, slots=True)
class XmrColumns:
    """The same chart as `XmrResult`, its points column by column: `columns[field]` lists
    XmrPoint's `field` in time order. For callers that write thousands of points out (the
    SPC endpoint): building a frozen point object costs more than the rules that judge it."""

    columns: dict[str, list[Any]]
    groups: tuple[XmrGroup, ...]
    variation_icon: str | None
    assurance_type: str | None

    def points(self) -> tuple[XmrPoint, ...]:
        """The points as `xmr` returns them."""
        return tuple(map(XmrPoint, *(self.columns[name] for name in POINT_FIELDS)))

    def result(self) -> XmrResult:
        """The chart as `xmr` returns it."""
        return XmrResult(points=self.points(), groups=self.groups,
                         variation_icon=self.variation_icon, assurance_type=self.assurance_type)


def as_values(values: Sequence[float | None]) -> FloatArray:
    """Missing values (None or NaN) become NaN; infinities are refused rather than charted."""
    array = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    if np.isinf(array).any():
        raise ValueError("values must be finite numbers or None")
    return array


def _segment_starts(n: int, rebase: Sequence[int]) -> list[int]:
    """Sorted segment starts; index 0 always starts one, so rebasing at 0 changes nothing."""
    for index in rebase:
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise ValueError(f"rebase indices must be integers, got {index!r}")
        if not 0 <= index < n:
            raise ValueError(f"rebase index {index} is outside 0..{n - 1}")
    return sorted({0, *(int(i) for i in rebase)}) if n else []


def check_options(improvement: str, fix_after_n_points: int | None, target: float | None) -> None:
    """Refuse what the package refuses (fix < 12) and what it would chart as nonsense."""
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {IMPROVEMENTS}, got {improvement!r}")
    if fix_after_n_points is not None and (
        isinstance(fix_after_n_points, bool)
        or not isinstance(fix_after_n_points, int)
        or fix_after_n_points < MIN_FIX_AFTER_N_POINTS
    ):
        raise ValueError("fix_after_n_points must be an integer of at least 12, or None")
    if target is not None and not math.isfinite(target):
        raise ValueError("target must be a finite number or None")


def _number(value: float) -> float | None:
    """NaN (the package's NA) becomes None for callers."""
    return None if math.isnan(value) else float(value)


_TYPE_NAMES = {
    "directional": ("special_cause_concern", "common_cause", "special_cause_improvement"),
    "neutral": ("special_cause_neutral_low", "common_cause", "special_cause_neutral_high"),
}


def _point_types(sides: FloatArray, direction: int) -> list[str]:
    """Signal direction times improvement direction: + improvement, - concern; neutral keeps
    the side as high/low (ptd_point_type)."""
    names = _TYPE_NAMES["neutral" if direction == 0 else "directional"]
    oriented = (sides * (direction or 1)).astype(np.int64) + 1
    return [names[k] for k in oriented.tolist()]


def _segment_columns(values: FloatArray, limits: SegmentLimits, direction: int,
                     judged: tuple[SegmentFlags, FloatArray] | None = None
                     ) -> dict[str, list[Any]]:
    """Points of one segment, column by column; plain lists keep 100-point series well under
    a millisecond. `judged`: the segment's flags and signal sides, when a caller judged many
    segments at once (spc_many)."""
    if judged is None:
        flags = segment_flags(values, limits)
        sides = special_cause_sides(values, flags.side, flags.outside, flags.close)
    else:
        flags, sides = judged
    types = _point_types(sides, direction)
    size = values.size
    return {
        "value": [None if math.isnan(v) else v for v in values.tolist()],
        "mean": [_number(limits.mean)] * size,
        "lpl": [_number(limits.lpl)] * size,
        "upl": [_number(limits.upl)] * size,
        "relative_to_mean": flags.side.tolist(),
        "outside_limits": flags.outside.tolist(),
        "close_to_limits": flags.close.tolist(),
        "special_cause_flag": [t != "common_cause" for t in types],
        "point_type": types,
    }


def _group(start: int, stop: int, limits: SegmentLimits) -> XmrGroup:
    """Summary of the segment [start, stop); short when it has fewer than 13 rows."""
    return XmrGroup(
        start_index=start,
        end_index=stop - 1,
        n=stop - start,
        mean=_number(limits.mean),
        lpl=_number(limits.lpl),
        upl=_number(limits.upl),
        short_group_warning=stop - start < SHORT_GROUP_THRESHOLD,
    )


def variation_icon(point_type: str, improvement: str) -> str:
    """The icon for the latest point. High/low for improvement and concern follow the
    improvement direction, as ptd_get_icons draws them."""
    if point_type == "common_cause":
        return "common_cause"
    if point_type.startswith("special_cause_neutral_"):
        return point_type.removeprefix("special_cause_")
    good_side = "high" if improvement == "increase" else "low"
    bad_side = "low" if improvement == "increase" else "high"
    if point_type == "special_cause_improvement":
        return f"improvement_{good_side}"
    return f"concern_{bad_side}"


def assurance_type(target: float | None, latest: XmrPoint, improvement: str) -> str | None:
    """Target beyond the latest limits on the good side passes every time, on the bad side
    fails every time, otherwise it is hit and miss. Undefined limits count as hit and miss,
    as the package's case_when falls through on NA."""
    return _assurance(target, latest.lpl, latest.upl, improvement)


def _assurance(target: float | None, lpl: float | None, upl: float | None, improvement: str
               ) -> str | None:
    """`assurance_type` from the latest point's limits."""
    if target is None or improvement == "neutral":
        return None
    increasing = improvement == "increase"
    if upl is not None and target > upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if lpl is not None and target < lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def xmr(
    values: Sequence[float | None],
    *,
    improvement: str = "increase",
    target: float | None = None,
    rebase: Sequence[int] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> XmrResult:
    """XmR chart of `values` (time order, None for a missing period).

    `rebase` holds the indices where a new segment starts; each segment gets its own mean and
    limits, from its first `fix_after_n_points` points when that is set (at least 12).
    `screen_outliers` drops large moving ranges before the limits are set (package default).
    """
    return xmr_columns(values, improvement=improvement, target=target, rebase=rebase,
                       fix_after_n_points=fix_after_n_points,
                       screen_outliers=screen_outliers).result()


def xmr_columns(
    values: Sequence[float | None],
    *,
    improvement: str = "increase",
    target: float | None = None,
    rebase: Sequence[int] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> XmrColumns:
    """`xmr`, with the points column by column (same arguments, same answers)."""
    check_options(improvement, fix_after_n_points, target)
    array = as_values(values)
    starts = _segment_starts(array.size, rebase)
    columns: dict[str, list[Any]] = {name: [] for name in POINT_FIELDS}
    if not starts:
        return XmrColumns(columns, (), None, None)
    groups: list[XmrGroup] = []
    for start, stop in zip(starts, [*starts[1:], array.size], strict=True):
        segment = array[start:stop]
        limits = segment_limits(segment, fix_after_n_points, screen_outliers)
        for name, column in _segment_columns(segment, limits, _DIRECTION[improvement]).items():
            columns[name].extend(column)
        groups.append(_group(start, stop, limits))
    return _chart(columns, tuple(groups), improvement, target)


def plain_chart(values: FloatArray, limits: SegmentLimits, flags: SegmentFlags,
                sides: FloatArray, *, improvement: str, target: float | None) -> XmrColumns:
    """The chart of one series drawn as one segment (no rebase), from its limits, flags and
    signal sides as `xmr_columns` would work them out (spc_many judges many series at once)."""
    columns = _segment_columns(values, limits, _DIRECTION[improvement], (flags, sides))
    return _chart(columns, (_group(0, values.size, limits),), improvement, target)


def _chart(columns: dict[str, list[Any]], groups: tuple[XmrGroup, ...], improvement: str,
           target: float | None) -> XmrColumns:
    """A chart with points: icons from its latest point."""
    return XmrColumns(
        columns=columns,
        groups=groups,
        variation_icon=variation_icon(columns["point_type"][-1], improvement),
        assurance_type=_assurance(target, columns["lpl"][-1], columns["upl"][-1], improvement),
    )
