"""Signals: what each series signals now, the same however the log was batched."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from concord.services import Services
from governance.spc_commands import SpcDecision, record_rebase
from ingest.catalogue.commands import apply_catalogue
from ingest.log.actor import Actor, Role
from ingest.log.clock import simulated_clock
from ingest.returns.lifecycle import retract_values
from tests.api.test_spc_api import (
    HISTORY,
    LOADER,
    SHIFTED,
    level_series,
    proportion_rows,
    submit_history,
)
from tests.support.rebuild import rebuilt_checksums
from warehouse.checksums import differing_tables, table_checksums

MEASURE = "ae_4hr_performance"
EXECUTIVE = Actor(id="user:eve", role=Role.EXECUTIVE)


def signals(services: Services, org: str = "RTX") -> list[tuple[str, str, str, int]]:
    with services.warehouse.reading() as cur:
        return cur.execute(
            "SELECT strftime(period, '%Y-%m'), rule, strftime(latest_period, '%Y-%m'),"
            " latest_position FROM signals WHERE org_code = ? AND measure_code = ?"
            " ORDER BY period, rule", [org, MEASURE]).fetchall()


def rebase_rtx(services: Services, period: str = "2018-01") -> int:
    decision = SpcDecision(EXECUTIVE, MEASURE, "RTX", "new triage model", "Board 2019-02")
    position = record_rebase(services.log, services.catalogue(), decision, period).position
    services.projector.catch_up()
    return position


def test_a_fall_signals_concern_and_failing_assurance_after_submission(
    catalogued: Services
) -> None:
    position = submit_history(catalogued, proportion_rows("RTX", SHIFTED))

    found = signals(catalogued)

    concerns = [row[0] for row in found if row[1] == "special_cause_concern"]
    assert concerns == HISTORY[12:]
    assert ("2018-12", "assurance_consistent_fail") in [row[:2] for row in found]
    assert {row[2] for row in found} == {"2018-12"}
    with catalogued.warehouse.reading() as cur:
        latest = cur.execute("SELECT max(position) FROM current_values WHERE org_code = 'RTX'"
                             ).fetchone()[0]
    assert {row[3] for row in found} == {latest} and latest <= position


def test_a_steady_series_and_a_neutral_measure_signal_nothing(catalogued: Services) -> None:
    steady = level_series([0.95] * 24)  # the target is within its limits: hit and miss
    submit_history(catalogued, [
        *proportion_rows("RAJ", steady),
        *proportion_rows("RAJ", SHIFTED, measure="ae_admission_share"),  # neutral
    ])

    with catalogued.warehouse.reading() as cur:
        assert cur.execute("SELECT count(*) FROM signals").fetchone()[0] == 0


def test_a_rebase_replaces_the_series_signals_instead_of_adding_to_them(
    catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))

    rebase_rtx(catalogued)

    # Each segment is stable on its own; 95% is still above the new upper limit.
    assert [row[:2] for row in signals(catalogued)] == [
        ("2018-12", "assurance_consistent_fail")]


def test_retracting_the_latest_value_moves_the_signals_back_a_month(
    catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))
    with simulated_clock(datetime(2019, 1, 12, tzinfo=UTC)):
        retract_values(catalogued.log, LOADER, "RTX", "2018-12", [MEASURE], "duplicate",
                       [MEASURE])
    catalogued.projector.catch_up()

    found = signals(catalogued)

    assert {row[2] for row in found} == {"2018-11"}
    assert "2018-12" not in {row[0] for row in found}


def test_a_new_target_in_the_catalogue_changes_assurance_signals(
    catalogued: Services, demo_catalogue
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))
    measures = tuple(m if m.code != MEASURE else m.__class__(**{**m.__dict__, "target": 0.5})
                     for m in demo_catalogue.measures)
    apply_catalogue(catalogued.log, demo_catalogue.__class__(demo_catalogue.alliance, measures),
                    Actor.operator("test"), source="lower target")
    catalogued.projector.catch_up()

    assert "assurance_consistent_fail" not in {row[1] for row in signals(catalogued)}


def test_rebuilding_in_any_batch_size_gives_the_same_signals(
    catalogued: Services, tmp_path: Path
) -> None:
    submit_history(catalogued, [*proportion_rows("RTX", SHIFTED),
                                *proportion_rows("RAJ", list(reversed(SHIFTED)))])
    rebase_rtx(catalogued)
    rebase_rtx(catalogued, "2017-07")
    live = table_checksums(catalogued.warehouse)

    for batch_size in (1, 7, 5000):
        checksums = rebuilt_checksums(catalogued, tmp_path / f"rebuilt-{batch_size}.duckdb",
                                      batch_size=batch_size)
        assert differing_tables(live, checksums) == [], batch_size
    assert {"signals", "spc_decisions"} <= set(live.tables)
    assert signals(catalogued, "RAJ")
