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
import numpy as np
import pyarrow as pa

from ingest.log.store import Recorded
from warehouse.arrow_rows import insert_arrow, insert_records
from warehouse.projector import topic_of
from warehouse.sqlfiles import query

EVENT_TYPES = {
    "concord:ReturnOpened": "opened",
    "concord:ReturnSubmitted": "submitted",
    "concord:ValuesAdded": "submitted",
    "concord:ValuesRestated": "restated",
    "concord:ValuesRetracted": "retracted",
    "concord:PeriodUnlocked": "unlocked",
    "concord:ReturnSignedOff": "signed_off",
}
FIRST_SUBMISSION = "concord:ReturnSubmitted"
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
SPAN_CHANGES = frozenset({"signed_off", "retracted"})
"""Event types that can change what everyone sees of a value (only these: a new version is
seen by others once a sign-off covers it)."""


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
            positions = [batch[0].position, batch[-1].position]
            cur.execute(query("returns_projection.sql", "key_new_series"), positions)
            if all(topic_of(r.event) == FIRST_SUBMISSION for r in batch):
                # First values replace nothing and are unique per key: a plain append.
                cur.execute(query("returns_projection.sql", "append_first_current_values"),
                            positions)
            else:
                cur.execute(query("returns_projection.sql", "drop_replaced_current_values"))
                cur.execute(query("returns_projection.sql", "insert_current_values"), positions)
            cur.unregister("incoming_values")
        if any(e["event_type"] in SPAN_CHANGES for e in events):
            _replace_shared_spans(cur, [batch[0].position, batch[-1].position])
        insert_records(cur, "value_warnings", WARNING_COLUMNS, _warning_rows(batch))
        cur.register("incoming_events", pa.Table.from_pylist(
            [{"return_id": e["return_id"]} for e in events]))
        cur.execute(query("returns_projection.sql", "recompute_returns"))
        cur.unregister("incoming_events")


def _replace_shared_spans(cur: duckdb.DuckDBPyConnection, positions: list[int]) -> None:
    """What everyone sees of the returns signed off or retracted in the batch, recomputed
    from their whole history (definitions/55_shared_spans.sql): their open spans replaced,
    the spans that ended in the batch appended."""
    cur.execute(query("returns_projection.sql", "compute_changed_spans"), positions)
    cur.execute(query("returns_projection.sql", "drop_changed_shared_current"), positions)
    cur.execute(query("returns_projection.sql", "insert_changed_shared_current"))
    cur.execute(query("returns_projection.sql", "append_closed_spans"), positions[:1])
    cur.execute(query("returns_projection.sql", "drop_changed_spans"))


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
    """Concatenate the columnar payloads of a batch.

    Value columns are joined list by list; per-event columns (position, actor, time…) are
    built once per event and repeated with ``take``, so no Python object is made per value.
    """
    values: dict[str, list[Any]] = {name: [] for name in VALUE_COLUMNS}
    scalars: dict[str, list[Any]] = {name: [] for name in SCALAR_COLUMNS}
    counts: list[int] = []
    for recorded in batch:
        event = recorded.event
        status = STATUS.get(EVENT_TYPES[topic_of(event)])
        if status is None:
            continue
        payload = _retraction_payload(event) if status == "retracted" else event.values
        for name in VALUE_COLUMNS:
            values[name].extend(payload[name])
        counts.append(len(payload["measure_code"]))
        for name, scalar in zip(SCALAR_COLUMNS, (
            recorded.position, str(event.originator_id), event.originator_version,
            event.org_code, month(event.period), status, event.timestamp, event.actor,
            getattr(event, "reason", None)), strict=True):
            scalars[name].append(scalar)
    per_event = pa.table({n: pa.array(scalars[n], type=_TYPES[n]) for n in SCALAR_COLUMNS})
    repeated = per_event.take(np.repeat(np.arange(len(counts)), counts))
    columns = {n: pa.array(values[n], type=_TYPES[n]) for n in VALUE_COLUMNS}
    columns |= {n: repeated.column(n) for n in SCALAR_COLUMNS}
    return pa.table({n: columns[n] for n in VALUE_VERSION_COLUMNS})


VALUE_COLUMNS = ("measure_code", "value", "numerator", "denominator", "comment")
SCALAR_COLUMNS = ("position", "return_id", "return_version", "org_code", "period", "status",
                  "recorded_at", "actor", "reason")


_TYPES = {
    "position": pa.int64(), "return_version": pa.int32(), "value": pa.float64(),
    "numerator": pa.float64(), "denominator": pa.float64(), "period": pa.date32(),
    "measure_code": pa.string(), "org_code": pa.string(), "status": pa.string(),
    "actor": pa.string(), "reason": pa.string(), "comment": pa.string(),
    "return_id": pa.string(), "recorded_at": pa.timestamp("us", tz="UTC"),
}


def _retraction_payload(event: Any) -> dict[str, list[Any]]:
    blank = [None] * len(event.measure_codes)
    return {"measure_code": event.measure_codes, "value": blank, "numerator": blank,
            "denominator": blank, "comment": blank}


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
