"""The board overview's million shared values as a grid of the catalogue's cells, small numbers
masked.

overview.sql's values query returns each shared value by its integer series key (migration
010) and leaves the rest here: turning keys into cells and masking small numbers cost DuckDB
more, as a join to ten thousand series and a CASE over a million rows plus the wider result,
than the work here (docs/benchmarks.md, fourth round). One compiled pass (numba) turns keys
into cells, masks small numbers and scatters each value onto a month × cell grid, noting each
cell's latest month and row as it goes: the numpy passes it replaces (gathers, the mask, the
index arithmetic, the scatter, then finding the latest rows among a million) took 22-38 ms
where it takes 17-27 (docs/benchmarks.md, sixth round). The small-number rule stays in SQL
(definitions/40_small_numbers.sql): the catalogue query gives each measure the halves of its
rule, a test holds `small_number_mask` to the rule itself (`is_below_small_number_cuts`), and
another holds the compiled pass to `small_number_mask`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def cells_of_series(series: pa.Table, measures: list[dict[str, Any]],
                    members: list[dict[str, Any]]) -> np.ndarray:
    """Each series key's cell (measure index × members + member index, in catalogue order),
    indexed by key; -1 for a series whose member or measure is not in the catalogue.
    `series`: overview_series (series_key, org_code, measure_code)."""
    member_index = pc.index_in(series.column("org_code"),
                               value_set=pa.array([m["org_code"] for m in members], pa.string()))
    measure_index = pc.index_in(series.column("measure_code"), value_set=pa.array(
        [m["measure_code"] for m in measures], pa.string()))
    cell = pc.fill_null(pc.add(pc.multiply(measure_index, len(members)), member_index), -1)
    keys = series.column("series_key")
    largest = pc.max(keys).as_py()
    cell_of_key = np.full(0 if largest is None else largest + 1, -1, dtype=np.int64)
    cell_of_key[keys.to_numpy()] = cell.to_numpy()
    return cell_of_key


READ_COLUMNS = ("series_key", "month_index", "value", "denominator")
"""The columns of overview_values the grid is made of (numerators are read for the latest
cells only)."""


@dataclass(frozen=True)
class SharedGrid:
    """The values read as a month × cell grid (cells in catalogue order, months from
    `first_month`), each value NaN where it is a small number, and per cell the latest month
    with a value read (small numbers included) and the row of the table read that holds it
    (both -1 where the cell has none). Series outside the catalogue are left out."""

    by_month: np.ndarray
    first_month: int
    latest_month: np.ndarray
    latest_row: np.ndarray


def shared_grid(values: pa.Table, cell_of_key: np.ndarray, measures: list[dict[str, Any]],
                n_members: int) -> SharedGrid:
    """Scatter the values read (overview_values: series_key, month_index, value, numerator,
    denominator; at most one row per series and month) onto the catalogue's cells, masking
    small numbers (`small_number_mask`) on the way.

    The grid is month-major: values arrive a return at a time (one member's month of every
    measure), so each return's writes stay within one month's row instead of touching a page
    per series; `month_grid_matrix` transposes it to series rows."""
    n_cells = len(measures) * n_members
    latest_month = np.full(n_cells, -1, dtype=np.int64)
    latest_row = np.full(n_cells, -1, dtype=np.int64)
    bounds = pc.min_max(values.column("month_index")).as_py()
    if bounds["min"] is None:
        return SharedGrid(np.zeros((0, n_cells)), 0, latest_month, latest_row)
    first = int(bounds["min"])
    by_month = np.full((int(bounds["max"]) - first + 1, n_cells), np.nan)
    value_below = _thresholds(measures, "value_below")
    denominator_below = _thresholds(measures, "denominator_below")
    scatter = _compiled_scatter()
    offset = 0
    for batch in values.select(list(READ_COLUMNS)).to_batches():
        key, month, value, denominator = (batch.column(i).to_numpy(zero_copy_only=False)
                                          for i in range(len(READ_COLUMNS)))
        scatter(key, month, value, denominator, cell_of_key, value_below, denominator_below,
                max(n_members, 1), first, by_month, latest_month, latest_row, offset)
        offset += batch.num_rows
    return SharedGrid(by_month, first, latest_month, latest_row)


def _scatter(key: Any, month: Any, value: Any, denominator: Any, cell_of_key: Any,
             value_below: Any, denominator_below: Any, n_members: int, first: int,
             by_month: Any, latest_month: Any, latest_row: Any,
             offset: int) -> None:  # pragma: no cover - compiled by numba
    for row in range(key.size):
        series = key[row]
        if series < 0 or series >= cell_of_key.size:
            raise IndexError("a value's series key is not among the series keys read")
        cell = cell_of_key[series]
        if cell < 0:
            continue  # its member or measure is not in the catalogue at the position
        at = month[row] - first
        # compiled code checks no bounds: a wrong cell or month must fail, not write astray
        if cell >= by_month.shape[1] or at < 0 or at >= by_month.shape[0]:
            raise IndexError("a value's cell or month lies outside the grid")
        measure = cell // n_members
        shown = value[row]
        # small_number_mask: a comparison with NaN (no value, no threshold) is false
        if shown < value_below[measure] or denominator[row] < denominator_below[measure]:
            shown = np.nan
        by_month[at, cell] = shown
        if month[row] > latest_month[cell]:
            latest_month[cell] = month[row]
            latest_row[cell] = offset + row


@cache
def _compiled_scatter() -> Any:
    import numba  # heavy (LLVM); only the overview needs it here

    return numba.njit(nogil=True, cache=True)(_scatter)


def warm_scatter() -> None:
    """Run the compiled pass once on two values read as the overview reads them (Arrow
    columns of the same types, a count's missing denominator included, so numpy gets the same
    array flags and numba the same signature), so that numba and its cached machine code are
    loaded before the first overview (concord.warm_up)."""
    values = pa.table({
        "series_key": pa.array([0, 0], pa.int32()), "month_index": pa.array([0, 1], pa.int32()),
        "value": pa.array([1.0, 2.0]), "numerator": pa.array([None, 3.0], pa.float64()),
        "denominator": pa.array([None, 4.0], pa.float64())})
    shared_grid(values, np.zeros(1, dtype=np.int64),
                [{"value_below": None, "denominator_below": None}], 1)


def _thresholds(measures: list[dict[str, Any]], key: str) -> np.ndarray:
    return np.array([np.nan if m[key] is None else m[key] for m in measures], dtype=float)


def small_number_mask(value: np.ndarray, value_below: np.ndarray, denominator: np.ndarray,
                      denominator_below: np.ndarray) -> np.ndarray:
    """The small-number rule (`is_below_small_number_cuts`, definitions/40_small_numbers.sql)
    as a mask over arrays, NaN for NULL: the value, or NaN where it is below `value_below` or
    its denominator below `denominator_below`. A comparison with NaN is false, as the rule's
    coalesces take a NULL comparison; tests/unit/test_benchmarks_rules.py holds the two equal
    in every case."""
    with np.errstate(invalid="ignore"):
        small = (value < value_below) | (denominator < denominator_below)
    return np.where(small, np.nan, value)
