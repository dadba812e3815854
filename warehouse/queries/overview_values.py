"""The board overview's million shared values as cells of the catalogue, small numbers masked.

overview.sql's values query returns each shared value by its integer series key (migration
010) and leaves the rest here: turning keys into cells and masking small numbers cost DuckDB
more, as a join to ten thousand series and a CASE over a million rows plus the wider result,
than the gathers below cost numpy (docs/benchmarks.md, fourth round). The small-number rule
stays in SQL (definitions/40_small_numbers.sql): the catalogue query gives each measure the
halves of its rule, and a test holds `small_number_mask` to the rule itself
(`is_below_small_number_cuts`).
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class SharedValues:
    """overview_values as cells of the catalogue at the position: `cell`, `month` and `value`
    (NaN where the value is a small number) per row kept; `kept` maps them back to rows of
    the table read, None when every row was kept (every series in the catalogue)."""

    cell: np.ndarray
    month: np.ndarray
    value: np.ndarray
    kept: np.ndarray | None

    def rows_read(self, rows: np.ndarray) -> np.ndarray:
        """Rows of the table read behind the given rows of these arrays."""
        return rows if self.kept is None else self.kept[rows]


def shared_values(values: pa.Table, cell_of_key: np.ndarray, measures: list[dict[str, Any]],
                  n_members: int) -> SharedValues:
    """Cells of the values read, series outside the catalogue left out, small numbers masked
    (`small_number_mask`)."""
    key = values.column("series_key").to_numpy()
    # np.take, not cell_of_key[key]: indexing by int32 keys goes through a slow path
    # (6.8 ms for a million keys against 3.0 ms, measured).
    cell = np.take(cell_of_key, key)
    month = values.column("month_index").to_numpy()
    value = _masked(values, key, cell_of_key, measures, n_members)
    kept = None
    if cell.size and cell.min() < 0:
        kept = np.flatnonzero(cell >= 0)
        cell, month, value = cell[kept], month[kept], value[kept]
    return SharedValues(cell, month, value, kept)


def _masked(values: pa.Table, key: np.ndarray, cell_of_key: np.ndarray,
            measures: list[dict[str, Any]], n_members: int) -> np.ndarray:
    """The values read, NaN where a small number. Only values below the largest threshold of
    their kind can be small, so those few are the only ones whose own measure's thresholds
    are looked up: a lookup for each of a million values cost more than the whole mask."""
    value = values.column("value").to_numpy(zero_copy_only=False)
    value_below = _thresholds(measures, "value_below")
    denominator_below = _thresholds(measures, "denominator_below")
    if np.isnan(value_below).all() and np.isnan(denominator_below).all():
        return value
    denominator = values.column("denominator").to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        candidates = np.flatnonzero((value < _largest(value_below))
                                    | (denominator < _largest(denominator_below)))
    if candidates.size == 0:
        return value
    measure = np.maximum(cell_of_key[key[candidates]], 0) // max(n_members, 1)
    masked = value if value.flags.writeable else value.copy()  # a fresh array unless zero-copy
    masked[candidates] = small_number_mask(value[candidates], value_below[measure],
                                           denominator[candidates], denominator_below[measure])
    return masked


def _largest(thresholds: np.ndarray) -> float:
    """The largest threshold given (NaN: none), or -inf where none is."""
    given = thresholds[~np.isnan(thresholds)]
    return float(given.max()) if given.size else -np.inf


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
