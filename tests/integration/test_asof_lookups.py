"""The one-row lookups every view starts with (which position, judged at which moment) leave
the connection ready for the view's own queries: DuckDB 2.0 refuses a connection's next
``sql()`` while a result read with ``fetchone`` is still open."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warehouse.asof import moment_of, resolve_position
from warehouse.db import Warehouse


def test_a_view_can_query_right_after_resolving_its_position_and_moment(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "analytics.duckdb")
    warehouse.migrate()
    try:
        with warehouse.reading() as cur:
            assert resolve_position(cur, None) == 0
            assert cur.sql("SELECT 1").fetchall() == [(1,)]
            assert resolve_position(cur, datetime(2024, 1, 1, tzinfo=UTC)) == 0
            assert cur.sql("SELECT 2").fetchall() == [(2,)]
            assert moment_of(cur, 0).tzinfo is not None
            assert cur.sql("SELECT 3").fetchall() == [(3,)]
    finally:
        warehouse.close()

