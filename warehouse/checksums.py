"""Per-table checksums, so a live warehouse can be compared with a fresh rebuild."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.db import Warehouse
from warehouse.projector import POSITION_SQL
from warehouse.sqlfiles import first_row, query


@dataclass(frozen=True)
class Checksums:
    position: int
    tables: dict[str, str]


def table_checksums(warehouse: Warehouse) -> Checksums:
    """Checksums of every read-model table, read in one transaction with the position."""
    with warehouse.transaction() as cur:
        position = int(first_row(cur, POSITION_SQL)[0])  # type: ignore[index]
        tables = [r[0] for r in cur.execute(query("checksums.sql", "read_model_tables")).fetchall()]
        return Checksums(position, {t: _checksum(cur, t) for t in tables})


def _checksum(cur: duckdb.DuckDBPyConnection, table: str) -> str:
    # ``table`` comes from duckdb_tables(), never from user input.
    row = first_row(cur, query("checksums.sql", "table_checksum").format(table=table))
    assert row is not None
    return f"{row[0]}:{row[1]:x}:{row[2]:x}"


def differing_tables(live: Checksums, rebuilt: Checksums) -> list[str]:
    """Names of tables whose content differs, or that exist on one side only."""
    names = sorted(set(live.tables) | set(rebuilt.tables))
    return [n for n in names if live.tables.get(n) != rebuilt.tables.get(n)]
