"""Series keys (migration 010): each (member, measure) series gets an integer key when its
first value is projected, in order of first appearance, so that large shared views join
integers instead of codes. A rebuild must give the same keys whatever its batch size, and a
warehouse made before the keys existed gets the same ones when it migrates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from concord.services import Services
from tests.support.rebuild import rebuilt_checksums
from tests.support.returns import submit
from warehouse.checksums import differing_tables, table_checksums
from warehouse.db import Warehouse

FOUR_HOUR = "ae_4hr_performance"
ATTENDANCES = "ae_attendances"


def _history(services: Services) -> None:
    """Two uploads a month apart, the second bringing a new member and a restatement."""
    submit(services, [("RXF", ATTENDANCES, "2024-01", 200, None, None),
                      ("RTX", FOUR_HOUR, "2024-01", None, 900, 1000),
                      ("RTX", ATTENDANCES, "2024-01", 100, None, None)],
           at=datetime(2024, 2, 3, 9, tzinfo=UTC))
    submit(services, [("RJ1", ATTENDANCES, "2024-02", 50, None, None),
                      ("RTX", ATTENDANCES, "2024-02", 110, None, None)],
           at=datetime(2024, 3, 3, 9, tzinfo=UTC))
    submit(services, [("RTX", ATTENDANCES, "2024-01", 101, None, None)],
           at=datetime(2024, 3, 10, 9, tzinfo=UTC), reason="corrected count")


def _keys(warehouse: Warehouse) -> list[tuple[int, str, str]]:
    with warehouse.reading() as cur:
        return cur.sql("SELECT series_key, org_code, measure_code FROM series_keys "
                       "ORDER BY series_key").fetchall()


def test_keys_follow_first_appearance_and_every_current_value_carries_its_own(
    catalogued: Services,
) -> None:
    _history(catalogued)

    assert _keys(catalogued.warehouse) == [
        (0, "RTX", FOUR_HOUR), (1, "RTX", ATTENDANCES),  # one return: by code
        (2, "RXF", ATTENDANCES),  # the upload's next return
        (3, "RJ1", ATTENDANCES)]  # first seen a month later
    with catalogued.warehouse.reading() as cur:
        rows = cur.sql("SELECT c.org_code, c.measure_code, strftime(c.period, '%Y-%m'), "
                       "c.month_index, c.series_key = k.series_key FROM current_values AS c "
                       "JOIN series_keys AS k USING (org_code, measure_code) "
                       "ORDER BY ALL").fetchall()
    assert rows == [
        ("RJ1", ATTENDANCES, "2024-02", 2024 * 12 + 1, True),
        ("RTX", FOUR_HOUR, "2024-01", 2024 * 12, True),
        ("RTX", ATTENDANCES, "2024-01", 2024 * 12, True),
        ("RTX", ATTENDANCES, "2024-02", 2024 * 12 + 1, True),
        ("RXF", ATTENDANCES, "2024-01", 2024 * 12, True)]


def test_a_rebuild_gives_the_same_keys_whatever_its_batch_size(
    catalogued: Services, tmp_path: Path,
) -> None:
    _history(catalogued)
    live = table_checksums(catalogued.warehouse)

    for batch_size in (1, 3, 1000):
        rebuilt = rebuilt_checksums(catalogued, tmp_path / f"rebuilt-{batch_size}.duckdb",
                                    batch_size=batch_size)
        assert differing_tables(live, rebuilt) == [], batch_size
    assert "series_keys" in live.tables


def test_a_warehouse_from_before_the_keys_gets_the_same_keys_when_it_migrates(
    catalogued: Services,
) -> None:
    _history(catalogued)
    keyed = table_checksums(catalogued.warehouse)
    with catalogued.warehouse.transaction() as cur:  # back to schema 9, data kept
        cur.execute("DROP TABLE series_keys")
        cur.execute("ALTER TABLE current_values DROP COLUMN series_key")
        cur.execute("ALTER TABLE current_values DROP COLUMN month_index")
        cur.execute("DROP MACRO TABLE new_series_keys")
        cur.execute("DROP MACRO month_index_of")
        cur.execute("DELETE FROM schema_migrations WHERE version >= 10")

    assert catalogued.warehouse.migrate() >= 10

    assert differing_tables(keyed, table_checksums(catalogued.warehouse)) == []
