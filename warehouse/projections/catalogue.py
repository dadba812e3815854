"""Catalogue versions: members, peer groups, measures and calendar as of each change."""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb

from ingest.log.store import Recorded
from warehouse.arrow_rows import insert_records

CATALOGUE_COLUMNS = (
    "position", "version", "recorded_at", "actor", "content_hash", "source", "alliance_code",
    "alliance_name", "min_peer_group_size", "first_period", "due_days_after_month_end",
    "lock_days_after_due", "accountability",
)
MEMBER_COLUMNS = ("position", "org_code", "name", "member_type", "peer_groups", "ordinal")
PEER_GROUP_COLUMNS = ("position", "peer_group_code", "name", "description")
MEASURE_COLUMNS = (
    "position", "measure_code", "name", "domain", "kind", "unit", "improvement", "valid_min",
    "valid_max", "numerator_label", "denominator_label", "multiplier", "target",
    "small_number_threshold", "definition", "source", "ordinal", "applies_to",
)


class CatalogueProjection:
    name = "catalogue"
    topics = frozenset({"concord:CatalogueApplied"})

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        catalogues, members, groups, measures = [], [], [], []
        for recorded in batch:
            event, pos = recorded.event, recorded.position
            alliance = event.document["alliance"]
            calendar = alliance["calendar"]
            catalogues.append({
                "position": pos,
                "version": event.originator_version,
                "recorded_at": event.timestamp,
                "actor": event.actor,
                "content_hash": event.content_hash,
                "source": event.source,
                "alliance_code": alliance["code"],
                "alliance_name": alliance["name"],
                "min_peer_group_size": alliance["min_peer_group_size"],
                "first_period": calendar["first_period"] + "-01",
                "due_days_after_month_end": calendar["due_days_after_month_end"],
                "lock_days_after_due": calendar["lock_days_after_due"],
                "accountability": json.dumps(alliance.get("accountability", {}), sort_keys=True),
            })
            members += [
                {"position": pos, "org_code": m["code"], "name": m["name"],
                 "member_type": m["type"], "peer_groups": list(m["peer_groups"]), "ordinal": i}
                for i, m in enumerate(alliance["members"])
            ]
            groups += [
                {"position": pos, "peer_group_code": g["code"], "name": g["name"],
                 "description": g["description"]}
                for g in alliance["peer_groups"]
            ]
            measures += [
                {**m, "position": pos, "measure_code": m["code"], "ordinal": i}
                for i, m in enumerate(event.document["measures"])
            ]
        insert_records(cur, "catalogue_versions", CATALOGUE_COLUMNS, catalogues)
        insert_records(cur, "member_versions", MEMBER_COLUMNS, members)
        insert_records(cur, "peer_group_versions", PEER_GROUP_COLUMNS, groups)
        insert_records(cur, "measure_versions", MEASURE_COLUMNS, measures)
