"""Returns: every version of every value, current values, return state, warnings, receipts.

Values arrive as columnar lists in each event; they are concatenated per batch into one
Arrow table and written with set-based SQL, never a statement per value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from ingest.log.store import Recorded
from warehouse.arrow_rows import insert_arrow, insert_records
from warehouse.projector import topic_of
from warehouse.sqlfiles import query

EVENT_TYPES = {
    "concord:ReturnOpened": "opened",
    "concord:ReturnSubmitted": "submitted",
    "concord:ValuesRestated": "restated",
    "concord:ValuesRetracted": "retracted",
    "concord:PeriodUnlocked": "unlocked",
    "concord:ReturnSignedOff": "signed_off",
}
VALUE_VERSION_COLUMNS = (
    "position", "return_id", "return_version", "org_code", "measure_code", "period", "value",
    "numerator", "denominator", "status", "recorded_at", "actor", "reason", "comment",
)
EVENT_COLUMNS = (
    "position", "return_id", "org_code", "period", "event_type", "version", "recorded_at",
    "actor", "reason", "value_count", "submission_id", "source", "covers_version",
    "unlocked_until",
)
WARNING_COLUMNS = ("position", "org_code", "measure_code", "period", "row", "code", "message")
STATUS = {"submitted": "submitted", "restated": "restated", "retracted": "retracted"}


def month(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), 1)


class ReturnsProjection:
    name = "returns"
    topics = frozenset(EVENT_TYPES)

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        events = [_event_row(r) for r in batch]
        insert_records(cur, "return_events", EVENT_COLUMNS, events)
        values = _value_rows(batch)
        if values.num_rows:
            insert_arrow(cur, "value_versions", VALUE_VERSION_COLUMNS, values)
            cur.register("incoming_values", values)
            cur.execute(query("returns_projection.sql", "upsert_current_values"))
            cur.unregister("incoming_values")
        insert_records(cur, "value_warnings", WARNING_COLUMNS, _warning_rows(batch))
        cur.register("incoming_events", pa.Table.from_pylist(
            [{"return_id": e["return_id"]} for e in events]))
        cur.execute(query("returns_projection.sql", "recompute_returns"))
        cur.unregister("incoming_events")


def _event_row(recorded: Recorded) -> dict[str, Any]:
    event = recorded.event
    kind = EVENT_TYPES[topic_of(event)]
    values = getattr(event, "values", None)
    count = len(values["measure_code"]) if values else len(getattr(event, "measure_codes", []))
    until = getattr(event, "until", None)
    return {
        "position": recorded.position, "return_id": str(event.originator_id),
        "org_code": event.org_code, "period": month(event.period), "event_type": kind,
        "version": event.originator_version, "recorded_at": event.timestamp,
        "actor": event.actor, "reason": getattr(event, "reason", None), "value_count": count,
        "submission_id": getattr(event, "submission_id", None),
        "source": getattr(event, "source", None),
        "covers_version": getattr(event, "covers_version", None),
        "unlocked_until": date.fromisoformat(until) if until else None,
    }


def _value_rows(batch: Sequence[Recorded]) -> pa.Table:
    """Concatenate the columnar payloads of a batch; scalars repeat per value (C-level)."""
    columns: dict[str, list[Any]] = {name: [] for name in VALUE_VERSION_COLUMNS}
    for recorded in batch:
        event = recorded.event
        status = STATUS.get(EVENT_TYPES[topic_of(event)])
        if status is None:
            continue
        if status == "retracted":
            codes = event.measure_codes
            payload = {"measure_code": codes, "value": [None] * len(codes),
                       "numerator": [None] * len(codes), "denominator": [None] * len(codes),
                       "comment": [None] * len(codes)}
        else:
            payload = event.values
        n = len(payload["measure_code"])
        for name in ("measure_code", "value", "numerator", "denominator", "comment"):
            columns[name].extend(payload[name])
        scalars = {
            "position": recorded.position, "return_id": str(event.originator_id),
            "return_version": event.originator_version, "org_code": event.org_code,
            "period": month(event.period), "status": status, "recorded_at": event.timestamp,
            "actor": event.actor, "reason": getattr(event, "reason", None),
        }
        for name, scalar in scalars.items():
            columns[name].extend([scalar] * n)
    return pa.table({
        name: pa.array(columns[name], type=_TYPES.get(name)) for name in VALUE_VERSION_COLUMNS
    })


_TYPES = {
    "position": pa.int64(), "return_version": pa.int32(), "value": pa.float64(),
    "numerator": pa.float64(), "denominator": pa.float64(), "period": pa.date32(),
    "measure_code": pa.string(), "org_code": pa.string(), "status": pa.string(),
    "actor": pa.string(), "reason": pa.string(), "comment": pa.string(),
    "return_id": pa.string(), "recorded_at": pa.timestamp("us", tz="UTC"),
}


def _warning_rows(batch: Sequence[Recorded]) -> list[dict[str, Any]]:
    rows = []
    for recorded in batch:
        event = recorded.event
        for warning in getattr(event, "warnings", None) or []:
            rows.append({
                "position": recorded.position, "org_code": event.org_code,
                "measure_code": warning.get("measure_code"), "period": month(event.period),
                "row": warning.get("row"), "code": warning["code"],
                "message": warning["message"],
            })
    return rows


class SubmissionsProjection:
    """Receipts of accepted uploads and early publications of periods."""

    name = "submissions"
    topics = frozenset({"concord:SubmissionAccepted", "concord:PeriodPublished"})

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        receipts, publications = [], []
        for recorded in batch:
            event = recorded.event
            if topic_of(event) == "concord:PeriodPublished":
                publications.append({
                    "period": month(event.period), "position": recorded.position,
                    "recorded_at": event.timestamp, "actor": event.actor,
                    "reason": event.reason})
                continue
            receipts.append({
                "submission_id": event.submission_id, "position": recorded.position,
                "recorded_at": event.timestamp, "actor": event.actor,
                "org_code": event.org_code, "idempotency_key": event.idempotency_key,
                "source": event.source, "receipt": json.dumps(event.receipt, sort_keys=True),
            })
        insert_records(cur, "submissions", (
            "submission_id", "position", "recorded_at", "actor", "org_code",
            "idempotency_key", "source", "receipt"), receipts)
        insert_records(cur, "period_publications", (
            "period", "position", "recorded_at", "actor", "reason"), publications)
