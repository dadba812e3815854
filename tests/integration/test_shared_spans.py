"""The shared-view read model (migration 011): the spans of log positions over which each
value is what everyone sees once its month is open. visible_to_all reads it, and
tests/api/test_overview_api.py holds that to visible_values at every position; here: the spans
themselves, that any batch size and the migration's backfill give the same tables as the live
projection, and that a retraction or a sign-off moves the span at its own position."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from concord.services import Services
from tests.support.rebuild import rebuilt_checksums
from tests.support.returns import retract, sign_off, submit
from tests.support.tangled import attendances, judgements, tangled_history, when
from warehouse.checksums import differing_tables, table_checksums

SPAN_TABLES = ("shared_closed", "shared_current")
FOUR_HOUR_CODE = "ae_4hr_performance"


def _spans(services: Services, org: str, period: str) -> list[tuple]:
    """(value, version position, shared_from, shared_until) of one attendances value, oldest
    first; shared_until None while it is still shown."""
    with services.warehouse.reading() as cur:
        return cur.execute(
            "SELECT value, position, shared_from, NULL FROM shared_current"
            " WHERE org_code = ? AND measure_code = 'ae_attendances'"
            " AND strftime(period, '%Y-%m') = ?"
            " UNION ALL SELECT value, position, shared_from, shared_until FROM shared_closed"
            " WHERE org_code = ? AND measure_code = 'ae_attendances'"
            " AND strftime(period, '%Y-%m') = ? ORDER BY 3",
            [org, period, org, period]).fetchall()


def _recorded_at(services: Services, org: str, period: str, value: float) -> int:
    """The log position of the version of an attendances value with `value`."""
    with services.warehouse.reading() as cur:
        return cur.execute(
            "SELECT position FROM value_versions WHERE org_code = ?"
            " AND measure_code = 'ae_attendances' AND strftime(period, '%Y-%m') = ?"
            " AND value = ?", [org, period, value]).fetchall()[0][0]


def test_a_value_is_shared_from_its_sign_off_until_a_signed_restatement_or_a_retraction(
    catalogued: Services,
) -> None:
    p1 = "2024-01"
    submit(catalogued, [attendances("RTX", p1, 100)], at=when(p1), signed_off=False)
    assert _spans(catalogued, "RTX", p1) == []  # not signed off: nobody else sees it
    first = sign_off(catalogued, "RTX", p1, at=when(p1, 4))
    v100 = _recorded_at(catalogued, "RTX", p1, 100)
    assert _spans(catalogued, "RTX", p1) == [(100, v100, first, None)]

    submit(catalogued, [attendances("RTX", p1, 101)], at=when(p1, 5), signed_off=False,
           reason="restated")
    assert _spans(catalogued, "RTX", p1) == [(100, v100, first, None)]  # awaits sign-off
    second = sign_off(catalogued, "RTX", p1, at=when(p1, 6))
    v101 = _recorded_at(catalogued, "RTX", p1, 101)
    assert _spans(catalogued, "RTX", p1) == [(100, v100, first, second),
                                              (101, v101, second, None)]

    withdrawn = retract(catalogued, "RTX", p1, ["ae_attendances"], at=when(p1, 7))
    assert _spans(catalogued, "RTX", p1) == [(100, v100, first, second),
                                              (101, v101, second, withdrawn)]


@pytest.mark.parametrize("batch_size", [1, 4, 1000])
def test_any_batch_size_gives_the_spans_of_the_live_projection(
    catalogued: Services, tmp_path: Path, batch_size: int,
) -> None:
    tangled_history(catalogued)
    live = table_checksums(catalogued.warehouse)
    with catalogued.warehouse.reading() as cur:
        closed = cur.execute("SELECT count(*) FROM shared_closed").fetchall()[0][0]
    assert closed > 0  # the history ends spans, so both tables are compared with content

    rebuilt = rebuilt_checksums(catalogued, tmp_path / "rebuilt.duckdb", batch_size=batch_size)

    assert differing_tables(live, rebuilt) == []
    assert set(SPAN_TABLES) <= set(live.tables)


def test_a_warehouse_made_before_the_spans_gets_them_when_it_migrates(
    catalogued: Services,
) -> None:
    tangled_history(catalogued)
    live = table_checksums(catalogued.warehouse)
    cur = catalogued.warehouse.cursor()
    try:  # the warehouse as migration 010 left it
        for table in SPAN_TABLES:
            cur.execute(f"DROP TABLE {table}")
        cur.execute("DELETE FROM schema_migrations WHERE version = 11")
    finally:
        cur.close()

    assert catalogued.warehouse.migrate() >= 11

    assert differing_tables(live, table_checksums(catalogued.warehouse)) == []


def test_a_backfill_cut_short_runs_again_and_is_recorded_with_it(
    catalogued: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """The migration is recorded with its backfill, in one transaction: if the backfill
    fails, the next start applies both again instead of leaving the tables empty."""
    from warehouse import db

    tangled_history(catalogued)
    live = table_checksums(catalogued.warehouse)
    cur = catalogued.warehouse.cursor()
    try:
        for table in SPAN_TABLES:
            cur.execute(f"DELETE FROM {table}")
        cur.execute("DELETE FROM schema_migrations WHERE version = 11")
    finally:
        cur.close()
    real = db.BACKFILLS_DIR / "011_shared_spans.sql"
    (tmp_path / real.name).write_text(  # fills the tables, then fails
        real.read_text(encoding="utf-8") + "\nSELECT * FROM no_such_table;\n",
        encoding="utf-8")
    monkeypatch.setattr(db, "BACKFILLS_DIR", tmp_path)

    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        catalogued.warehouse.migrate()
    with catalogued.warehouse.reading() as cur:
        assert cur.execute("SELECT count(*) FROM schema_migrations WHERE version = 11"
                           ).fetchall() == [(0,)]

    monkeypatch.undo()
    catalogued.warehouse.migrate()
    assert differing_tables(live, table_checksums(catalogued.warehouse)) == []


def test_no_span_starts_before_its_value_or_ends_where_it_starts(catalogued: Services) -> None:
    """At the head, an open span holds each value shown once its month is open, and no span
    of a value starts before the value was recorded or ends where it starts."""
    tangled_history(catalogued)
    with catalogued.warehouse.reading() as cur:
        bad = cur.execute(
            "SELECT * FROM shared_closed WHERE shared_until <= shared_from"
            " OR shared_from < position").fetchall()
        early = cur.execute("SELECT * FROM shared_current WHERE shared_from < position"
                            ).fetchall()
        doubled = cur.execute(
            "SELECT org_code, measure_code, period FROM shared_current GROUP BY ALL"
            " HAVING count(*) > 1").fetchall()
    assert bad == [] and early == [] and doubled == []
    assert _spans(catalogued, "RXF", "2024-02") == []  # never signed off
    assert datetime.now(UTC) > when("2024-03")  # every window of the history has closed


# --- visible_to_member (definitions/50_visibility.sql) = visible_values(pos, moment, viewer,
# false): a member's own values at once, everyone else's as everyone sees them

MEMBER_COLUMNS = "org_code, measure_code, period, value, numerator, denominator, position"


def test_a_member_sees_exactly_what_visible_values_shows_it_at_every_position(
    catalogued: Services,
) -> None:
    tangled_history(catalogued)
    head = catalogued.log.head()
    now = datetime.now(UTC)
    with catalogued.warehouse.reading() as cur:
        for position, judged_at in judgements(catalogued):
            for viewer in ("RTX", "RXF", "RJ1", None):  # RJ1 has no values; None: the board
                for measure in (None, "ae_4hr_performance"):
                    expected = set(cur.execute(
                        f"SELECT {MEMBER_COLUMNS} FROM visible_values(?, ?, ?, false)"
                        " WHERE ? IS NULL OR measure_code = ?",
                        [position, judged_at, viewer, measure, measure]).fetchall())
                    got = cur.execute(
                        f"SELECT {MEMBER_COLUMNS} FROM visible_to_member(?, ?, ?, ?)",
                        [position, judged_at, viewer, measure]).fetchall()
                    assert len(got) == len(set(got))
                    assert set(got) == expected, (position, viewer, judged_at, measure)
        final = {(r[0], r[1], str(r[2])[:7]): r[3] for r in cur.execute(
            f"SELECT {MEMBER_COLUMNS} FROM visible_to_member(?, ?, 'RTX', NULL)",
            [head, now]).fetchall()}
    assert final[("RTX", "ae_attendances", "2024-01")] == 102  # its own, unsigned
    assert final[("RTX", FOUR_HOUR_CODE, "2024-03")] == 0.92  # resubmitted, unsigned
    assert ("RXF", "ae_attendances", "2024-02") not in final  # another's, never signed off
