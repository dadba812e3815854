"""The board overview: every measure at its latest period with data, every member's value,
direction-aware rank and SPC icons, and the alliance benchmarks, as of any position.

It is a shared view (what everyone may see: `visible_to_all` of
sql/definitions/50_visibility.sql, which returns exactly what visible_values(position, moment,
NULL, false) returns) with the catalogue in force at the position. All values come out of DuckDB
in one pass (overview.sql); the variation and assurance icons of every member × measure come
from one numpy batch (`spc_batch.xmr_icons`), except series with a board decision in force
(rebase, frozen baseline), which are charted one by one exactly as the SPC endpoint charts them.
A member's series is its shared, unsuppressed values in month order (a missing month is not a
point); an icon is shown only beside a value of the measure's latest period, as it describes the
latest point. Ranks: 1 = best, ties share a rank; `increase` and `neutral` rank the highest
first, `decrease` the lowest.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from warehouse.analytics.spc_batch import xmr_icons
from warehouse.analytics.spc_batch_series import SeriesMatrix, month_grid_matrix
from warehouse.arrow_rows import registered
from warehouse.queries.overview_values import SharedGrid, cells_of_series, shared_grid
from warehouse.queries.spc_series import ChartSettings, chart, decisions_in_force
from warehouse.sqlfiles import query

SQL_FILE = "overview.sql"
RATIO_KINDS = frozenset({"proportion", "rate", "ratio"})
RANK_ORDER = {"increase": "highest is best", "decrease": "lowest is best",
              "neutral": "neutral: highest first"}
STATS = ("members_reported", "pooled", "median", "q1", "q3", "min", "max")
COLUMN_TYPES: dict[str, pa.DataType] = {
    **dict.fromkeys(("measure_code", "measure_name", "domain", "kind", "unit", "improvement"),
                    pa.string()),
    "target": pa.float64(), "period": pa.string(), "org_code": pa.string(),
    "member_name": pa.string(),
    **dict.fromkeys(("value", "numerator", "denominator"), pa.float64()),
    "suppressed": pa.bool_(), "rank": pa.int64(), "neutral": pa.bool_(),
    "rank_order": pa.string(), "variation_icon": pa.string(), "assurance": pa.string(),
    "spc_points": pa.int64(), "members_reported": pa.int64(),
    **dict.fromkeys(STATS[1:], pa.float64()),
}
COLUMNS = tuple(COLUMN_TYPES)
SIDE_THREADS = 4
PAIRWISE_CELLS = 4_000_000
"""Ranks compare every pair of members of a measure; this bounds the comparisons held at once."""


@dataclass(frozen=True)
class Overview:
    """The overview read at `position`, judged at `moment`: one row per measure × member (the
    members a measure applies to, and any other member who reported it), in COLUMNS order,
    measure by measure, best rank first."""

    position: int
    moment: datetime
    rows: pa.Table


@dataclass(frozen=True)
class Cells:
    """Measures × members (catalogue order) at each measure's latest period; NaN/False where
    the member has no shared value then."""

    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    present: np.ndarray
    suppressed: np.ndarray

    @property
    def ranked(self) -> np.ndarray:
        return self.present & ~self.suppressed


def board_overview(cur: duckdb.DuckDBPyConnection, position: int, moment: datetime) -> Overview:
    """The overview at log `position`, windows judged at `moment` (`warehouse.asof`).

    The two small queries (the catalogue, the benchmarks) run on a second cursor while this
    one reads the values and numpy charts them: each step alone keeps one of the two cores
    idle. Everything read is fixed by `position` and `moment`, so both cursors see the same
    snapshot whatever the projector commits meanwhile."""
    side = cur.cursor()
    pending: list[Future[Any]] = []
    try:
        pending.append(catalogue := _side_pool().submit(_catalogue, side, position))
        values = _arrow(cur, query(SQL_FILE, "overview_values"), [position, moment])
        measures, members, any_decision, cell_of_key = catalogue.result()
        shape = (len(measures), len(members))
        grid = shared_grid(values, cell_of_key, measures, shape[1])
        matrix = month_grid_matrix(grid.by_month, grid.first_month)
        latest = _latest_months(grid.latest_month, shape)
        cells = _cells(values, grid, _latest_cells(grid.latest_month, latest, shape[1]),
                       latest, shape)
        pending.append(stats := _side_pool().submit(_stats, side, cells, measures, members))
        icons = _icons(cur, position if any_decision else None, matrix, cells, measures,
                       members)
        columns = {**icons, "rank": _ranks(cells, measures), **stats.result()}
    finally:
        wait(pending)  # the side cursor is closed only once nothing runs on it
        side.close()
    return Overview(position, moment, _rows(measures, members, latest, cells, columns))


def _catalogue(cur: duckdb.DuckDBPyConnection, position: int
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool, np.ndarray]:
    """Measures and members in catalogue order at `position`, whether any SPC decision had
    been recorded by then, and each series key's cell (measure index × members + member
    index; -1 for a series whose member or measure is not in the catalogue then)."""
    measures, members, any_decision = cur.execute(query(SQL_FILE, "overview_catalogue"),
                                                  [position]).fetchall()[0]
    series = _arrow(cur, query(SQL_FILE, "overview_series"), [])
    return measures, members, any_decision, cells_of_series(series, measures, members)


def _arrow(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> pa.Table:
    """The rows of one SELECT as an Arrow table."""
    return cur.sql(sql, params=params).to_arrow_table()


@cache
def _side_pool() -> ThreadPoolExecutor:
    """The threads the overviews' side queries run on, made on first use (nothing happens at
    import); each overview has at most one side query running at a time."""
    return ThreadPoolExecutor(max_workers=SIDE_THREADS, thread_name_prefix="overview-side")


def _latest_months(latest_month: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Each measure's latest month with a shared value, small numbers included; -1 where
    none. `latest_month`: each cell's (SharedGrid)."""
    if shape[1] == 0:
        return np.full(shape[0], -1, dtype=np.int64)
    return latest_month.reshape(shape).max(axis=1)


def _latest_cells(latest_month: np.ndarray, latest: np.ndarray, n_members: int) -> np.ndarray:
    """The cells (in order) with a value in their measure's latest month."""
    own = np.repeat(latest, n_members)
    return np.flatnonzero((latest_month == own) & (own >= 0))


def _cells(values: pa.Table, grid: SharedGrid, at: np.ndarray, latest: np.ndarray,
           shape: tuple[int, int]) -> Cells:
    """The cells `at` (those with a value in their measure's latest month) as measures ×
    members grids. A small number's value is NaN (the grid's); its numerator and denominator
    are masked here, the only place they are read, from the rows of the table read that hold
    those values."""
    n_cells = shape[0] * shape[1]
    present = np.zeros(n_cells, dtype=bool)
    present[at] = True
    value = np.full(n_cells, np.nan)
    value[at] = grid.by_month[latest[at // max(shape[1], 1)] - grid.first_month, at]
    rows = grid.latest_row[at]
    order = np.argsort(rows)

    def read(name: str) -> np.ndarray:
        out = np.full(n_cells, np.nan)
        out[at[order]] = _taken(values, name, rows[order])
        return out.reshape(shape)

    present, value = present.reshape(shape), value.reshape(shape)
    suppressed = present & np.isnan(value)
    return Cells(value=value, numerator=np.where(suppressed, np.nan, read("numerator")),
                 denominator=np.where(suppressed, np.nan, read("denominator")),
                 present=present, suppressed=suppressed)


def _taken(values: pa.Table, name: str, rows: np.ndarray) -> np.ndarray:
    """Column `name` at sorted `rows` as floats (NaN for null), taken chunk by chunk: a take
    across the chunks of a million-row column costs several times more."""
    column = values.column(name)
    starts = np.cumsum([0, *(len(chunk) for chunk in column.chunks)])
    bounds = np.searchsorted(rows, starts)
    return np.concatenate([np.zeros(0), *(
        chunk.take(pa.array(rows[lo:hi] - start)).to_numpy(zero_copy_only=False)
        for chunk, start, lo, hi in zip(column.chunks, starts, bounds, bounds[1:], strict=False)
        if hi > lo)])


def _icons(cur: duckdb.DuckDBPyConnection, position: int | None, matrix: SeriesMatrix,
           cells: Cells, measures: list[dict[str, Any]], members: list[dict[str, Any]]
           ) -> dict[str, np.ndarray]:
    """Icons (and points charted) of each series whose latest value is an unsuppressed value
    of its measure's latest period; None elsewhere. `position` None: no SPC decision had
    been recorded, so none is looked up."""
    n_members = len(members)
    shown = np.flatnonzero(cells.ranked.ravel())  # so the series ends in the latest period
    measure_of = shown // max(n_members, 1)
    improvement = np.array([m["improvement"] for m in measures], dtype=object)
    target = np.array([np.nan if m["target"] is None else m["target"] for m in measures])
    # Rows are NaN-padded on the left and every shown series has points, so `lengths` is not
    # needed: leading NaN change no point of a chart (spc_batch), and masking a million
    # padding cells again costs more than the rest of the row's work.
    values = matrix.values if shown.size == matrix.lengths.size else matrix.values[shown]
    batch = xmr_icons(values, improvement[measure_of], target[measure_of])
    icon, assurance = batch.variation_icon, batch.assurance
    for row, series, settings in _decided(cur, position, shown, measures, members):
        measure = measures[series // n_members]
        result, _ = chart(matrix.values[series, -int(matrix.lengths[series]):].tolist(),
                          matrix.months(series), settings, improvement=measure["improvement"],
                          target=measure["target"])
        icon[row], assurance[row] = result.variation_icon, result.assurance_type
    out = {name: np.full(matrix.lengths.size, None, dtype=object)
           for name in ("variation_icon", "assurance", "spc_points")}
    out["variation_icon"][shown], out["assurance"][shown] = icon, assurance
    out["spc_points"][shown] = matrix.lengths[shown]
    return {name: column.reshape(cells.present.shape) for name, column in out.items()}


def _decided(cur: duckdb.DuckDBPyConnection, position: int | None, shown: np.ndarray,
             measures: list[dict[str, Any]], members: list[dict[str, Any]]
             ) -> list[tuple[int, int, ChartSettings]]:
    """(row in `shown`, series, chart settings) of the series a board decision (rebase,
    frozen baseline) applies to: the batch draws one plain segment, so these are charted
    alone."""
    if position is None:
        return []
    decisions = decisions_in_force(cur, position)
    if not decisions.rebases and not decisions.baselines:
        return []
    n_members = len(members)
    found = []
    for row, series in enumerate(shown.tolist()):
        settings = decisions.for_series(measures[series // n_members]["measure_code"],
                                        members[series % n_members]["org_code"])
        if settings.rebase_periods or settings.fix_after_n_points is not None:
            found.append((row, series, settings))
    return found


def _ranks(cells: Cells, measures: list[dict[str, Any]]) -> np.ndarray:
    """Competition ranks (1 = best, ties share) of the unsuppressed latest values; 0 = none.
    Counts, per value, the members strictly better: exact, whatever the floats."""
    sign = np.array([1.0 if m["improvement"] == "decrease" else -1.0 for m in measures])
    key = np.where(cells.ranked, cells.value * sign[:, None], np.nan)
    rank = np.zeros(key.shape, dtype=np.int64)
    step = max(1, PAIRWISE_CELLS // max(1, key.shape[1] ** 2))
    for start in range(0, key.shape[0], step):
        part = key[start : start + step]
        rank[start : start + step] = 1 + (part[:, None, :] < part[:, :, None]).sum(axis=2)
    return np.where(cells.ranked, rank, 0)


def _stats(cur: duckdb.DuckDBPyConnection, cells: Cells, measures: list[dict[str, Any]],
           members: list[dict[str, Any]]) -> dict[str, pa.Array]:
    """Benchmarks of each measure's ranked (shown, unsuppressed) values, one entry per measure
    (null where it has none). DuckDB computes them, as it does for the benchmark endpoints:
    its quantile_cont rounds as its build compiles it (a fused multiply-add on x86), which
    numpy cannot copy."""
    where = np.nonzero(cells.ranked)
    org_order = np.argsort(np.argsort([m["org_code"] for m in members]))
    ranked = pa.table({
        "measure_index": where[0], "org_order": org_order[where[1]],
        "value": cells.value[where], "numerator": cells.numerator[where],
        "denominator": cells.denominator[where],
        "ratio_kind": np.array([m["kind"] in RATIO_KINDS for m in measures])[where[0]],
        "multiplier": np.array([m["multiplier"] for m in measures], dtype=float)[where[0]],
    })
    with registered(cur, "overview_ranked", ranked):
        # a few hundred rows: tuples cost less than the relation API's Arrow result
        stats = {row[0]: row[1:] for row in cur.execute(query(SQL_FILE, "overview_stats"))
                 .fetchall()}
    blank = (None,) * len(STATS)
    rows = [stats.get(index, blank) for index in range(len(measures))]
    return {name: pa.array([row[k] for row in rows], type=COLUMN_TYPES[name])
            for k, name in enumerate(STATS)}


def _rows(measures: list[dict[str, Any]], members: list[dict[str, Any]], latest: np.ndarray,
          cells: Cells, columns: dict[str, Any]) -> pa.Table:
    """The grid as a table: measures × the members each applies to or who reported it.
    Every column is built with its type (COLUMN_TYPES), so the schema does not depend on the
    data (an all-null column keeps its type) and pyarrow infers nothing (its inference tried to
    import dateutil on every call, a failing import until python-dateutil became a dependency)."""
    shape = cells.present.shape
    types = np.array([m["member_type"] for m in members], dtype=object)
    applies = np.array([np.isin(types, m["applies_to"]) if m["applies_to"] else
                        np.ones(shape[1], dtype=bool) for m in measures]).reshape(shape)
    m_index, o_index = np.nonzero(applies | cells.present)
    rank = columns["rank"][m_index, o_index]
    order = np.lexsort((o_index, np.where(rank > 0, rank, np.iinfo(np.int64).max), m_index))
    m_index, o_index, rank = m_index[order], o_index[order], rank[order]
    periods = [None if month < 0 else f"{month // 12:04d}-{month % 12 + 1:02d}"
               for month in latest.tolist()]

    by_measure, by_member = pa.array(m_index), pa.array(o_index)

    def per_measure(column: str, values: list[Any] | pa.Array) -> pa.Array:
        return pa.array(values, type=COLUMN_TYPES[column]).take(by_measure)

    def per_member(column: str, key: str) -> pa.Array:
        return pa.array([m[key] for m in members], type=COLUMN_TYPES[column]).take(by_member)

    def per_cell(column: str, grid: np.ndarray) -> pa.Array:
        picked = grid[m_index, o_index]
        return pa.array(picked.tolist() if picked.dtype == object else picked,
                        type=COLUMN_TYPES[column], from_pandas=True)

    data = {
        **{column: per_measure(column, [m[key] for m in measures]) for column, key in (
            ("measure_code", "measure_code"), ("measure_name", "name"), ("domain", "domain"),
            ("kind", "kind"), ("unit", "unit"), ("improvement", "improvement"),
            ("target", "target"))},
        "period": per_measure("period", periods),
        "org_code": per_member("org_code", "org_code"),
        "member_name": per_member("member_name", "name"),
        "value": per_cell("value", cells.value),  # NaN (null) where suppressed
        "numerator": per_cell("numerator", cells.numerator),
        "denominator": per_cell("denominator", cells.denominator),
        "suppressed": per_cell("suppressed", cells.suppressed),
        "rank": pa.array(np.where(rank > 0, rank, 0), mask=rank == 0),
        "neutral": per_measure("neutral", [m["improvement"] == "neutral" for m in measures]),
        "rank_order": per_measure("rank_order",
                                  [RANK_ORDER[m["improvement"]] for m in measures]),
        **{name: per_cell(name, columns[name]) for name in ("variation_icon", "assurance",
                                                             "spc_points")},
        **{name: columns[name].take(by_measure) for name in STATS},
    }
    return pa.table({name: data[name] for name in COLUMNS})
