"""Variation and assurance icons of thousands of XmR series at once, for the board overview.

The overview shows an SPC icon for every member × measure (50 × 200 = 10,000 series); calling
`xmr` per series takes seconds, this takes milliseconds, and it agrees with `xmr` exactly (a
property test holds it to that): limits come from plain sums wherever every comparison an
answer depends on is provably clear of their rounding, from exactly rounded sums (as `xmr`'s
math.fsum) where one is not, and from `xmr` itself in the rare rows where even that rounding
cannot be proven (spc_batch_limits, spc_batch_sums). It covers what the overview needs: one
segment per series, limits from every point, outlier screening on or off. Series with a
rebase or a frozen baseline (governance decisions) are not batched: chart those with
`spc.xmr` (the overview does, through the SPC endpoint's own `spc_series.chart`).

Large batches are cut into row blocks computed on a small thread pool (numpy releases the
GIL); rows never depend on each other, so the answer is the same however they are cut.

Series are rows of a matrix, aligned on their LATEST point (last column); a row's earlier
columns before its first point are padding. Leading missing values change no point of an XmR
chart (no mean, no moving range, no window includes them), so padding is NaN too, and only
`lengths` tells an empty series (no icon) from an all-missing one (common cause).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from warehouse.analytics.spc import IMPROVEMENTS, XmrResult, xmr
from warehouse.analytics.spc_batch_limits import (
    approximate_limits,
    clear_of_lines,
    clear_target,
    exact_limits,
)
from warehouse.analytics.spc_batch_rules import all_sides, latest_sides, point_flags
from warehouse.analytics.spc_rules import RUN_LENGTH, FloatArray, IntArray

ObjectArray = npt.NDArray[np.object_]
PARALLEL_MIN_ROWS = 2048
"""Below this many series per block, splitting costs more than it saves."""
MAX_THREADS = 4
_DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}
_TYPES = np.array([
    "special_cause_concern", "common_cause", "special_cause_improvement",
    "special_cause_neutral_low", "common_cause", "special_cause_neutral_high",
], dtype=object)


@dataclass(frozen=True)
class BatchIcons:
    """Per series: the latest point's variation icon and the assurance against the target
    (None where `xmr` gives None), and with `point_types=True` every point's type (None in
    padding). `exact_rows` counts series whose limits had to be exactly rounded (a comparison
    was too close to call with plain sums); `fallbacks` those handed to `xmr` itself because
    even that rounding could not be proven."""

    variation_icon: ObjectArray
    assurance: ObjectArray
    point_types: ObjectArray | None
    exact_rows: int
    fallbacks: int


def _directions(improvement: str | Sequence[str] | npt.ArrayLike, rows: int) -> IntArray:
    names = np.broadcast_to(np.asarray(improvement, dtype=object), (rows,))
    increase, decrease = names == "increase", names == "decrease"
    known = increase | decrease | (names == "neutral")
    if not known.all():
        unknown = set(names[~known].tolist())
        raise ValueError(f"improvement must be one of {IMPROVEMENTS}, got {sorted(unknown)}")
    return increase.astype(np.int64) - decrease


def _checked(values: npt.ArrayLike, target: npt.ArrayLike | None, lengths: npt.ArrayLike | None
             ) -> tuple[FloatArray, FloatArray, IntArray]:
    """Values (padded on the left to RUN_LENGTH columns), targets and lengths; refuses what
    `xmr` refuses (infinities), and lengths beyond the matrix."""
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("values must be a 2-D array: one row per series")
    rows, width = matrix.shape
    if np.isinf(matrix).any():
        raise ValueError("values must be finite numbers or NaN")
    goals = np.full(rows, np.nan) if target is None else np.broadcast_to(
        np.asarray(target, dtype=np.float64), (rows,))
    if np.isinf(goals).any():
        raise ValueError("target must be a finite number or NaN (no target)")
    sizes = np.full(rows, width, dtype=np.int64) if lengths is None else np.broadcast_to(
        np.asarray(lengths, dtype=np.int64), (rows,))
    if ((sizes < 0) | (sizes > width)).any():
        raise ValueError(f"lengths must be between 0 and {width}")
    if lengths is not None:  # without lengths every column belongs to its row
        padding = np.arange(width)[None, :] < (width - sizes)[:, None]
        matrix = np.where(padding, np.nan, matrix)
    if width < RUN_LENGTH:
        matrix = np.concatenate((np.full((rows, RUN_LENGTH - width), np.nan), matrix), axis=1)
    return matrix, goals, sizes


_ICON_NAMES = np.array(["common_cause", "improvement_high", "improvement_low", "concern_high",
                        "concern_low", "neutral_high", "neutral_low", None], dtype=object)
_ASSURANCE_NAMES = np.array(["inconsistent", "consistent_pass", "consistent_fail", None],
                            dtype=object)


def _icons(sides: FloatArray, directions: IntArray, sizes: IntArray) -> ObjectArray:
    """ptd_get_icons: high/low for improvement and concern follow the improvement direction;
    neutral names the side; None for an empty series. Chosen as codes into _ICON_NAMES:
    choosing among the names themselves took six times as long."""
    oriented = sides * np.where(directions == 0, 1, directions)
    good = np.where(directions == 1, 1, 2)  # improvement_high, improvement_low
    bad = np.where(directions == 1, 4, 3)  # concern_low, concern_high
    neutral = np.where(sides > 0, 5, 6)
    code = np.select([sides == 0, directions == 0, oriented > 0], [0, neutral, good],
                     default=bad)
    code[sizes == 0] = 7
    return _ICON_NAMES[code]


def _assurance(limits_upl: FloatArray, limits_lpl: FloatArray, goals: FloatArray,
               directions: IntArray, sizes: IntArray) -> ObjectArray:
    """Target beyond the latest limits on the good side passes, on the bad side fails, else
    hit and miss (also when the limits are undefined); None without a target or direction.
    Chosen as codes into _ASSURANCE_NAMES, as the icons are."""
    with np.errstate(invalid="ignore"):
        above, below = goals > limits_upl, goals < limits_lpl
    increasing = directions == 1
    code = np.select([above, below], [np.where(increasing, 2, 1), np.where(increasing, 1, 2)],
                     default=0)
    code[np.isnan(goals) | (directions == 0) | (sizes == 0)] = 3
    return _ASSURANCE_NAMES[code]


def _point_types(sides: FloatArray, directions: IntArray, sizes: IntArray) -> ObjectArray:
    """Type names per point (spc._point_types); None in each row's padding."""
    oriented = sides * np.where(directions == 0, 1, directions)[:, None]
    index = (oriented + 1).astype(np.int64) + 3 * (directions == 0)[:, None]
    types = _TYPES[index]
    width = sides.shape[1]
    types[np.arange(width)[None, :] < (width - sizes)[:, None]] = None
    return types


def xmr_icons(
    values: npt.ArrayLike,
    improvement: str | Sequence[str] | npt.ArrayLike,
    target: npt.ArrayLike | None = None,
    *,
    lengths: npt.ArrayLike | None = None,
    screen_outliers: bool = True,
    point_types: bool = False,
) -> BatchIcons:
    """Icons of every row of `values` (series × points, latest point last, NaN missing), each
    equal to `xmr(row[-length:], improvement=…, target=…, screen_outliers=…)`.

    `improvement` and `target` are per series or one for all; a NaN target means none.
    `lengths` (default: every column) says how many trailing columns belong to each series.
    """
    matrix, goals, sizes = _checked(values, target, lengths)
    directions = _directions(improvement, matrix.shape[0])
    chunks = _chunks(matrix.shape[0])
    if len(chunks) == 1:
        result = _batch(matrix, goals, sizes, directions, screen_outliers, point_types)
    else:  # numpy releases the GIL, so row blocks run on every core
        parts = list(_executor().map(
            lambda rows: _batch(matrix[rows], goals[rows], sizes[rows], directions[rows],
                                screen_outliers, point_types), chunks))
        result = _joined(parts)
    if result.point_types is not None:  # drop the columns added to reach RUN_LENGTH
        width = np.shape(values)[1]
        result = replace(result, point_types=result.point_types[:, result.point_types.shape[1]
                                                                 - width :])
    return result


def _batch(matrix: FloatArray, goals: FloatArray, sizes: IntArray, directions: IntArray,
           screen_outliers: bool, point_types: bool) -> BatchIcons:
    """Icons of a block of rows (validated, padded to RUN_LENGTH columns): limits from plain
    sums where every comparison the answer depends on is clear of their error, exactly rounded
    ones elsewhere, and `xmr` itself where even those cannot be proven."""
    # The latest point's signal depends on the last RUN_LENGTH columns only.
    judged = matrix if point_types else matrix[:, -RUN_LENGTH:]
    limits = approximate_limits(matrix, screen_outliers)
    sure = (limits.settled & clear_of_lines(judged, limits)
            & (clear_target(goals, limits) | (directions == 0)))
    unsure = np.flatnonzero(~sure)
    if unsure.size:
        limits = limits.replaced(unsure, exact_limits(matrix[unsure], screen_outliers))
    unproven = np.zeros(matrix.shape[0], dtype=bool)
    unproven[unsure] = ~limits.settled[unsure]
    side, outside, close = point_flags(judged, limits)
    sides = all_sides(judged, side, outside, close) if point_types else None
    last = sides[:, -1] if sides is not None else latest_sides(judged, side, outside, close)
    result = BatchIcons(
        variation_icon=_icons(last, directions, sizes),
        assurance=_assurance(limits.upl, limits.lpl, goals, directions, sizes),
        point_types=None if sides is None else _point_types(sides, directions, sizes),
        exact_rows=int(unsure.size), fallbacks=int(unproven.sum()),
    )
    _fall_back(result, matrix, goals, sizes, directions, screen_outliers, unproven)
    return result


def _chunks(rows: int) -> list[slice]:
    """Row blocks of at least PARALLEL_MIN_ROWS, one per core at most."""
    blocks = max(1, min(os.cpu_count() or 1, MAX_THREADS, rows // PARALLEL_MIN_ROWS))
    bounds = np.linspace(0, rows, blocks + 1).round().astype(int).tolist()
    return [slice(start, stop) for start, stop in pairwise(bounds)]


@cache
def _executor() -> ThreadPoolExecutor:
    """One small pool per process, made on first use (nothing happens at import)."""
    return ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix="spc-batch")


def _joined(parts: list[BatchIcons]) -> BatchIcons:
    def stacked(name: str) -> Any:
        return np.concatenate([getattr(part, name) for part in parts])

    return BatchIcons(
        variation_icon=stacked("variation_icon"), assurance=stacked("assurance"),
        point_types=None if parts[0].point_types is None else stacked("point_types"),
        exact_rows=sum(part.exact_rows for part in parts),
        fallbacks=sum(part.fallbacks for part in parts),
    )


def _fall_back(result: BatchIcons, matrix: FloatArray, goals: FloatArray, sizes: IntArray,
               directions: IntArray, screen_outliers: bool, rows: npt.NDArray[np.bool_]) -> None:
    """Chart the unproven rows with `xmr` itself and write its answers in place."""
    names = {d: name for name, d in _DIRECTION.items()}
    width = matrix.shape[1]
    for row in np.flatnonzero(rows).tolist():
        size = int(sizes[row])
        goal = None if np.isnan(goals[row]) else float(goals[row])
        chart: XmrResult = xmr(matrix[row, width - size :].tolist(),
                               improvement=names[int(directions[row])], target=goal,
                               screen_outliers=screen_outliers)
        result.variation_icon[row] = chart.variation_icon
        result.assurance[row] = chart.assurance_type
        if result.point_types is not None:
            result.point_types[row, width - size :] = [p.point_type for p in chart.points]
