"""Signals for governance: special-cause concerns and consistently failing assurance.

After each batch, every (member, measure) series the batch could have changed is charted
again from all its current values, with the SPC decisions in force and the latest catalogue,
and its rows in ``signals`` are replaced by what it signals now. Nothing accumulates, so the
table depends only on the log, never on where batches began and ended.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from governance.spc_decisions import SPC_DECISION_TOPICS
from ingest.log.store import Recorded
from warehouse.analytics.spc_batch import xmr_icons
from warehouse.arrow_rows import insert_arrow
from warehouse.projector import topic_of
from warehouse.queries.spc_series import (
    ChartSettings,
    DecisionsInForce,
    chart,
    decisions_in_force,
    rebase_indices,
    runs,
)
from warehouse.sqlfiles import query

VALUE_TOPICS = frozenset({
    "concord:ReturnSubmitted", "concord:ValuesAdded", "concord:ValuesRestated",
    "concord:ValuesRetracted",
})
CATALOGUE_TOPIC = "concord:CatalogueApplied"
CONCERN = "special_cause_concern"
FAILING = "assurance_consistent_fail"
COLUMNS = ("org_code", "measure_code", "period", "rule", "latest_period", "latest_position")
_SCOPES = pa.schema([("measure_code", pa.string()), ("org_code", pa.string())])


class SignalsProjection:
    """Runs after the returns, catalogue and SPC decision projections in the same batch."""

    name = "signals"
    topics = VALUE_TOPICS | SPC_DECISION_TOPICS | {CATALOGUE_TOPIC}

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        cur.register("touched_series", _touched_series(cur, batch))
        try:
            cur.execute(query("signals.sql", "drop_touched_signals"))
            series = cur.sql(query("signals.sql", "touched_values")).to_arrow_table()
        finally:
            cur.unregister("touched_series")
        if series.num_rows:
            decisions = decisions_in_force(cur, batch[-1].position)
            insert_arrow(cur, "signals", COLUMNS, _signals(series, decisions))


def _touched_series(cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> pa.Table:
    """Series with new values, series of measures with new decisions, or all of them when
    the catalogue (directions, targets) changed; each numbered for this batch."""
    value_positions = [r.position for r in batch if topic_of(r.event) in VALUE_TOPICS]
    scopes = [{"measure_code": r.event.measure_code, "org_code": r.event.org_code}
              for r in batch if topic_of(r.event) in SPC_DECISION_TOPICS]
    catalogue_changed = any(topic_of(r.event) == CATALOGUE_TOPIC for r in batch)
    low, high = (min(value_positions), max(value_positions)) if value_positions else (1, 0)
    cur.register("decided_scopes", pa.Table.from_pylist(scopes, schema=_SCOPES))
    try:
        touched = cur.sql(query("signals.sql", "touched_series"),
                          params=[low, high, catalogue_changed]).to_arrow_table()
    finally:
        cur.unregister("decided_scopes")
    return touched.append_column("series", pa.array(np.arange(touched.num_rows)))


def _signals(series: pa.Table, decisions: DecisionsInForce) -> pa.Table:
    """Signal rows of every series: those the board left alone charted in one batch, those
    with a rebase or a frozen baseline in force one by one (a loop per series, not per value).
    Each finding is (row of ``series``, rule); the row names member, measure and month."""
    bounds = runs(series.column("series").to_numpy())
    starts = np.array([b[0] for b in bounds], dtype=np.int64)
    stops = np.array([b[1] for b in bounds], dtype=np.int64)
    decided = _decided(series, starts, stops, decisions)
    batched = np.ones(starts.size, dtype=bool)
    batched[list(decided)] = False
    rows, rules = _batched(series, starts[batched], stops[batched])
    for one, settings in decided.items():
        found_rows, found_rules = _one_by_one(series, int(starts[one]), int(stops[one]),
                                              settings)
        rows, rules = rows + found_rows, rules + found_rules
    return _signal_table(series, starts, stops, np.array(rows, dtype=np.int64), rules)


def _decided(series: pa.Table, starts: NDArray[np.int64], stops: NDArray[np.int64],
             decisions: DecisionsInForce) -> dict[int, ChartSettings]:
    """The series (by number) whose chart a decision in force changes: a rebase landing
    inside it, or a baseline shorter than it. Only series of decided measures are looked at."""
    if not decisions.measures:
        return {}
    first_measures = pc.take(series.column("measure_code"), pa.array(starts))
    candidates = pc.is_in(first_measures, value_set=pa.array(sorted(decisions.measures)))
    measure = series.column("measure_code")
    org = series.column("org_code")
    months = series.column("month_index").to_numpy().astype(np.int64)
    found: dict[int, ChartSettings] = {}
    for one in np.flatnonzero(candidates.to_numpy(zero_copy_only=False)).tolist():
        start, stop = int(starts[one]), int(stops[one])
        chosen = decisions.for_series(measure[start].as_py(), org[start].as_py())
        fixed = chosen.fix_after_n_points
        if rebase_indices(months[start:stop], chosen.rebase_periods) or (
                fixed is not None and fixed < stop - start):
            found[one] = chosen
    return found


def _batched(series: pa.Table, starts: NDArray[np.int64], stops: NDArray[np.int64]
             ) -> tuple[list[int], list[str]]:
    """Series right-aligned in one matrix (latest month in the last column) for xmr_icons."""
    if starts.size == 0:
        return [], []
    lengths = stops - starts
    width = int(lengths.max())
    owner = np.repeat(np.arange(starts.size), lengths)
    offset = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    rows = starts[owner] + offset
    columns = width - lengths[owner] + offset
    matrix = np.full((starts.size, width), np.nan)
    matrix[owner, columns] = series.column("value").to_numpy()[rows]
    first = pa.array(starts)
    target = pc.take(series.column("target"), first).to_numpy(zero_copy_only=False)  # NaN: none
    improvement = pc.take(series.column("improvement"), first).to_numpy(zero_copy_only=False)
    charted = xmr_icons(matrix, improvement, target, lengths=lengths, point_types=True)
    concern_series, concern_columns = np.nonzero(charted.point_types == CONCERN)
    concern_rows = starts[concern_series] + concern_columns - (width - lengths[concern_series])
    failing_rows = stops[charted.assurance == "consistent_fail"] - 1
    return ([*concern_rows.tolist(), *failing_rows.tolist()],
            [CONCERN] * concern_rows.size + [FAILING] * failing_rows.size)


def _one_by_one(series: pa.Table, start: int, stop: int, settings: ChartSettings
                ) -> tuple[list[int], list[str]]:
    """A series with decisions in force, charted with ``xmr`` and its rebases."""
    part = series.slice(start, stop - start)
    result, _ = chart(part.column("value").to_pylist(),
                      part.column("month_index").to_numpy().astype(np.int64), settings,
                      improvement=part.column("improvement")[0].as_py(),
                      target=part.column("target")[0].as_py())
    rows = [start + i for i, p in enumerate(result.points) if p.point_type == CONCERN]
    rules = [CONCERN] * len(rows)
    if result.assurance_type == "consistent_fail":
        rows, rules = [*rows, stop - 1], [*rules, FAILING]
    return rows, rules


def _signal_table(series: pa.Table, starts: NDArray[np.int64], stops: NDArray[np.int64],
                  rows: NDArray[np.int64], rules: list[str]) -> pa.Table:
    """One signal per finding, with its series' latest month and latest log position."""
    owner = np.searchsorted(starts, rows, side="right") - 1
    positions = series.column("position").to_numpy()
    latest_position = np.maximum.reduceat(positions, starts) if starts.size else positions
    found = series.take(pa.array(rows, type=pa.int64()))
    return pa.table({
        "org_code": found.column("org_code"),
        "measure_code": found.column("measure_code"),
        "period": found.column("period"),
        "rule": pa.array(rules, type=pa.string()),
        "latest_period": series.column("period").take(pa.array(stops[owner] - 1)),
        "latest_position": pa.array(latest_position[owner], type=pa.int64()),
    })
