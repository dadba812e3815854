"""An index of every event: position, time, topic, actor, member (not the payload)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from ingest.log.store import Recorded
from warehouse.arrow_rows import insert_records
from warehouse.projector import topic_of

COLUMNS = (
    "position", "recorded_at", "topic", "originator_id", "originator_version", "actor",
    "org_code",
)


class EventIndexProjection:
    name = "event_index"
    topics = None

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        insert_records(cur, "event_index", COLUMNS, [
            {
                "position": r.position,
                "recorded_at": r.event.timestamp,
                "topic": topic_of(r.event),
                "originator_id": str(r.event.originator_id),
                "originator_version": r.event.originator_version,
                "actor": r.event.actor,
                "org_code": r.event.org_code,
            }
            for r in batch
        ])
