"""The warehouse's answer to what the write side asks before accepting a submission."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb
import pyarrow as pa

from ingest.validation.contracts import HELD_SCHEMA, UNLOCKED_SCHEMA
from warehouse.sqlfiles import first_row, query


class WarehouseHeldReturns:
    """Implements ``ingest.returns.reader.HeldReturns`` over the DuckDB read models."""

    def __init__(self, cursor: Callable[[], duckdb.DuckDBPyConnection]) -> None:
        self._cursor = cursor

    def _arrow(self, name: str, params: list[object], schema: pa.Schema) -> pa.Table:
        cur = self._cursor()
        try:
            table = cur.sql(query("held.sql", name), params=params).to_arrow_table()
        finally:
            cur.close()
        return table.cast(schema)

    def held_values(self, org_codes: Sequence[str]) -> pa.Table:
        return self._arrow("held_values", [list(org_codes)], HELD_SCHEMA)

    def unlocked(self, org_codes: Sequence[str]) -> pa.Table:
        return self._arrow("unlocked", [list(org_codes)], UNLOCKED_SCHEMA)

    def return_versions(self, org_codes: Sequence[str]) -> dict[tuple[str, str], int]:
        cur = self._cursor()
        try:
            rows = cur.execute(query("held.sql", "return_versions"), [list(org_codes)]).fetchall()
        finally:
            cur.close()
        return {(org, period): version for org, period, version in rows}

    def submission_position(self, submission_id: str) -> int | None:
        cur = self._cursor()
        try:
            row = first_row(cur, query("held.sql", "submission_position"), [submission_id])
        finally:
            cur.close()
        return int(row[0]) if row else None

    def position(self) -> int:
        cur = self._cursor()
        try:
            row = first_row(cur, "SELECT position FROM projection_position")
        finally:
            cur.close()
        return int(row[0]) if row else 0
