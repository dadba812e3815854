"""SPC decisions (rebases, frozen baselines) as a history the charts read "as of" any position."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb

from ingest.log.store import Recorded
from warehouse.arrow_rows import insert_records
from warehouse.projector import topic_of

DECISIONS = {
    "concord:SpcRebased": "rebased",
    "concord:SpcRebaseWithdrawn": "rebase_withdrawn",
    "concord:SpcBaselineFixed": "baseline_fixed",
    "concord:SpcBaselineReleased": "baseline_released",
}
COLUMNS = ("position", "measure_code", "org_code", "decision", "period", "n_points", "reason",
           "meeting", "actor", "recorded_at")


class SpcDecisionsProjection:
    name = "spc_decisions"
    topics = frozenset(DECISIONS)

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        insert_records(cur, "spc_decisions", COLUMNS, [_row(r) for r in batch])


def _row(recorded: Recorded) -> dict[str, Any]:
    event = recorded.event
    period = getattr(event, "period", None)
    return {
        "position": recorded.position,
        "measure_code": event.measure_code,
        "org_code": event.org_code,
        "decision": DECISIONS[topic_of(event)],
        "period": date(int(period[:4]), int(period[5:7]), 1) if period else None,
        "n_points": getattr(event, "n_points", None),
        "reason": event.reason,
        "meeting": event.meeting,
        "actor": event.actor,
        "recorded_at": event.timestamp,
    }
