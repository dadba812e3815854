"""Macros and views are definitions, not migrations: every time the warehouse opens they are
replaced by the text in warehouse/sql/definitions, so a warehouse made by any earlier version
answers with today's rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warehouse.db import Warehouse


def test_a_stale_rule_left_in_an_old_warehouse_is_replaced_when_it_opens(
    tmp_path: Path,
) -> None:
    path = tmp_path / "analytics.duckdb"
    first = Warehouse(path)
    first.migrate()
    with first.reading() as cur:  # as if an earlier release had defined them differently
        cur.execute("CREATE OR REPLACE MACRO end_of_day(day) AS NULL")
        cur.execute("CREATE OR REPLACE VIEW periods AS SELECT 1 AS stale")
    first.close()

    reopened = Warehouse(path)
    try:
        reopened.migrate()
        with reopened.reading() as cur:
            ended = cur.sql("SELECT end_of_day(DATE '2024-01-31')").fetchall()[0][0]
            columns = [c[0] for c in cur.sql("SELECT * FROM periods").description]
    finally:
        reopened.close()

    assert ended == datetime(2024, 2, 1, tzinfo=UTC)
    assert columns == ["period", "due_date", "locks_on"]


MACROS = ("SELECT function_name, macro_definition FROM duckdb_functions() "
          "WHERE function_type IN ('macro', 'table_macro') "
          "AND database_name = current_database() ORDER BY ALL")


def _macros(warehouse: Warehouse) -> list[tuple[str, str]]:
    with warehouse.reading() as cur:
        return cur.sql(MACROS).fetchall()


def test_opening_twice_changes_nothing(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "analytics.duckdb")
    try:
        version = warehouse.migrate()
        before = _macros(warehouse)
        assert warehouse.migrate() == version
        after = _macros(warehouse)
    finally:
        warehouse.close()
    assert after == before
    assert {name for name, _ in before} >= {"visible_to_all", "visible_values", "is_small_number",
                                           "due_date_of", "new_series_keys"}


def test_a_retired_rule_left_in_an_old_warehouse_is_dropped_when_it_opens(
    tmp_path: Path,
) -> None:
    """value_unless_small_number, the overview's SQL mask before it moved to numpy, is gone
    from a warehouse that had it, so nothing can read the mask that no test holds any more."""
    path = tmp_path / "analytics.duckdb"
    first = Warehouse(path)
    first.migrate()
    with first.reading() as cur:
        cur.execute("CREATE OR REPLACE MACRO value_unless_small_number(a, b, c, d) AS c")
    first.close()

    reopened = Warehouse(path)
    try:
        reopened.migrate()
        names = {name for name, _ in _macros(reopened)}
    finally:
        reopened.close()

    assert "value_unless_small_number" not in names
    assert "is_below_small_number_cuts" in names
