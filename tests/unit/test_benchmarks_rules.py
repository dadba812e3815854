"""The small-number and peer-cell rules, as the SQL macros every benchmark query uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import numpy as np
import pytest

from warehouse.db import Warehouse
from warehouse.queries.overview_values import small_number_mask


@pytest.fixture(scope="module")
def cur() -> Iterator[duckdb.DuckDBPyConnection]:
    warehouse = Warehouse(":memory:")
    warehouse.migrate()
    with warehouse.reading() as cursor:
        yield cursor
    warehouse.close()


def _scalar(cur: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> Any:
    return cur.execute(f"SELECT {sql}", list(params)).fetchone()[0]  # type: ignore[index]


@pytest.mark.parametrize(("kind", "threshold", "value", "denominator", "small"), [
    ("proportion", 30, 0.5, 29, True),
    ("proportion", 30, 0.5, 30, False),  # at the threshold is not below it
    ("rate", 20, 100.0, 5, True),
    ("ratio", 20, 1.1, 25, False),
    ("count", 10, 9, None, True),
    ("count", 10, 10, None, False),
    ("proportion", None, 0.5, 1, False),  # no threshold, nothing is small
    ("mean", 30, 2.0, None, False),  # only ratio kinds and counts have small numbers
    ("proportion", 30, None, None, False),
])
def test_a_small_number_is_a_ratio_denominator_or_a_count_below_the_threshold(
    cur, kind: str, threshold: int | None, value: float | None, denominator: float | None,
    small: bool,
) -> None:
    assert _scalar(cur, "is_small_number(?, ?, ?, ?)", kind, threshold, value,
                   denominator) is small


@pytest.mark.parametrize(("org", "viewer", "sees_all", "suppressed"), [
    ("RRK", "RTX", False, True),
    ("RRK", None, False, True),  # the board
    ("RRK", "RRK", False, False),  # its own member
    ("RRK", None, True, False),  # admins
])
def test_only_its_member_and_admins_see_a_small_number(
    cur, org: str, viewer: str | None, sees_all: bool, suppressed: bool,
) -> None:
    assert _scalar(cur, "is_suppressed(true, ?, ?, ?)", org, viewer, sees_all) is suppressed
    assert _scalar(cur, "is_suppressed(false, ?, ?, ?)", org, viewer, sees_all) is False


def test_a_peer_cell_below_the_minimum_size_is_blank_with_the_reason(cur) -> None:
    assert _scalar(cur, "peer_cell_blank_reason(2, 3)") == "fewer than 3 members reported"
    assert _scalar(cur, "peer_cell_blank_reason(NULL, 3)") == "fewer than 3 members reported"
    assert _scalar(cur, "peer_cell_blank_reason(3, 3)") is None


def test_the_reason_names_the_threshold_never_the_value(cur) -> None:
    reason = _scalar(cur, "small_number_reason('proportion', 30)")

    assert reason.startswith("denominator below the small-number threshold of 30")
    assert _scalar(cur, "small_number_reason('count', 5)").startswith("count below")


def test_others_read_a_fixed_text_for_a_warning_that_quotes_values(cur) -> None:
    message = "diagnostic_6wk_wait for RXF 2024-03 changes from 0.005 to 0.015"
    sql = "shared_warning_message('large_change', ?, 'RXF', ?, ?)"

    assert _scalar(cur, sql, message, "RXF", False) == message
    assert _scalar(cur, sql, message, None, True) == message
    assert "0.015" not in _scalar(cur, sql, message, "RTX", False)


def test_the_overviews_mask_hides_exactly_the_values_the_rule_calls_small(cur) -> None:
    """board_overview masks its million values in numpy (small_number_mask, NaN for NULL):
    it hides exactly what is_below_small_number_cuts calls small, over every mix of missing
    cuts, missing values and values below, at and above their cut."""
    cases = cur.execute("""
        WITH cases AS (
            SELECT CAST(value_below AS DOUBLE) AS value_below,
                   CAST(denominator_below AS DOUBLE) AS denominator_below,
                   CAST(value AS DOUBLE) AS value, CAST(denominator AS DOUBLE) AS denominator
            FROM (VALUES (NULL), (10.0)) AS a(value_below),
                 (VALUES (NULL), (30.0)) AS b(denominator_below),
                 (VALUES (NULL), (5.0), (10.0), (15.0)) AS c(value),
                 (VALUES (NULL), (29.0), (30.0), (31.0)) AS d(denominator)
        )
        SELECT value_below, denominator_below, value, denominator,
               CASE WHEN is_below_small_number_cuts(value_below, denominator_below, value,
                                                    denominator)
                    THEN NULL ELSE value END
        FROM cases
    """).fetchall()
    columns = np.array([[np.nan if x is None else x for x in row] for row in cases]).T

    masked = small_number_mask(columns[2], columns[0], columns[3], columns[1])

    np.testing.assert_array_equal(masked, columns[4])  # NaN == NaN here
    assert len(cases) == 2 * 2 * 4 * 4
