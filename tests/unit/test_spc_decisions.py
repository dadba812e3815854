"""SPC decisions as facts: who rebased or froze a chart, why, at which meeting."""

from __future__ import annotations

import pytest

from concord.services import Services
from governance.spc_commands import (
    SpcDecision,
    fix_baseline,
    record_rebase,
    release_baseline,
    withdraw_rebase,
)
from governance.spc_decisions import SpcSettings, spc_settings_id
from ingest.log.actor import Actor, Role
from ingest.log.errors import Conflict, Forbidden, Invalid, NotFound

EXECUTIVE = Actor(id="user:eve", role=Role.EXECUTIVE)
BOARD = Actor(id="user:bella", role=Role.BOARD)
SUBMITTER = Actor(id="user:rita", role=Role.SUBMITTER, member_code="RTX")


def settings(org: str | None = "RTX") -> SpcSettings:
    return SpcSettings(actor="user:eve", org_code=org, measure_code="ae_4hr_performance")


def decision(actor: Actor = EXECUTIVE, org: str | None = "RTX", measure: str =
             "ae_4hr_performance") -> SpcDecision:
    return SpcDecision(actor, measure, org, "new triage model", "Board 2019-02-12, item 4")


def test_a_rebase_needs_a_reason_and_a_meeting() -> None:
    record = settings()
    with pytest.raises(Invalid, match="reason"):
        record.rebase(actor="user:eve", period="2018-01", reason=" ", meeting="Board")
    with pytest.raises(Invalid, match="meeting"):
        record.rebase(actor="user:eve", period="2018-01", reason="why", meeting="")
    assert record.rebase_periods == set()


def test_a_rebase_period_must_be_a_month() -> None:
    with pytest.raises(Invalid, match="YYYY-MM"):
        settings().rebase(actor="user:eve", period="2018-1", reason="why", meeting="Board")


def test_the_same_rebase_twice_conflicts_and_only_a_rebase_in_force_can_be_withdrawn() -> None:
    record = settings()
    record.rebase(actor="user:eve", period="2018-01", reason="why", meeting="Board")

    with pytest.raises(Conflict, match="already rebased at 2018-01 for RTX"):
        record.rebase(actor="user:eve", period="2018-01", reason="why", meeting="Board")
    with pytest.raises(Conflict, match="no rebase at 2018-02"):
        record.withdraw_rebase(actor="user:eve", period="2018-02", reason="why", meeting="Board")
    record.withdraw_rebase(actor="user:eve", period="2018-01", reason="undo", meeting="Board")
    assert record.rebase_periods == set()


def test_a_baseline_is_fixed_on_at_least_twelve_points() -> None:
    record = settings(org=None)
    for bad in (11, 0, True, 12.5):
        with pytest.raises(Invalid, match="at least 12"):
            record.fix_baseline(actor="user:eve", n_points=bad, reason="why", meeting="Board")
    with pytest.raises(Conflict, match="no fixed baseline for the whole alliance"):
        record.release_baseline(actor="user:eve", reason="why", meeting="Board")

    record.fix_baseline(actor="user:eve", n_points=12, reason="stable year", meeting="Board")

    assert record.fixed_points == 12


def test_every_decision_event_names_actor_member_measure_reason_and_meeting() -> None:
    record = settings()
    record.rebase(actor="user:eve", period="2018-01", reason="why", meeting="Board")
    record.fix_baseline(actor="user:eve", n_points=18, reason="why", meeting="Board")

    opened, rebased, fixed = record.collect_events()

    assert opened.measure_code == "ae_4hr_performance"
    for event in (rebased, fixed):
        assert (event.actor, event.org_code, event.measure_code) == (
            "user:eve", "RTX", "ae_4hr_performance")
        assert (event.reason, event.meeting) == ("why", "Board")
    assert (rebased.period, fixed.n_points) == ("2018-01", 18)


def test_alliance_wide_and_member_settings_are_separate_records() -> None:
    assert spc_settings_id("shmi", None) != spc_settings_id("shmi", "RTX")
    assert settings(None).id == spc_settings_id("ae_4hr_performance", None)


def test_only_executives_and_admins_record_decisions(catalogued: Services) -> None:
    catalogue = catalogued.catalogue()
    for actor in (BOARD, SUBMITTER):
        with pytest.raises(Forbidden):
            record_rebase(catalogued.log, catalogue, decision(actor), "2018-01")

    recorded = record_rebase(catalogued.log, catalogue, decision(), "2018-01")

    assert recorded.position == catalogued.log.head()
    stored = catalogued.log.load(spc_settings_id("ae_4hr_performance", "RTX"))
    assert stored.rebase_periods == {"2018-01"}


def test_decisions_on_unknown_measures_or_members_are_refused(catalogued: Services) -> None:
    catalogue = catalogued.catalogue()
    with pytest.raises(NotFound, match="no measure"):
        record_rebase(catalogued.log, catalogue, decision(measure="nope"), "2018-01")
    with pytest.raises(NotFound, match="no member"):
        fix_baseline(catalogued.log, catalogue, decision(org="NOPE"), 12)


def test_decisions_build_on_the_stored_record(catalogued: Services) -> None:
    log, catalogue = catalogued.log, catalogued.catalogue()
    record_rebase(log, catalogue, decision(org=None), "2018-01")
    fix_baseline(log, catalogue, decision(org=None), 12)

    withdraw_rebase(log, catalogue, decision(org=None), "2018-01")
    release_baseline(log, catalogue, decision(org=None))

    stored = log.load(spc_settings_id("ae_4hr_performance", None))
    assert (stored.rebase_periods, stored.fixed_points, stored.version) == (set(), None, 5)
