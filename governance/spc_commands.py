"""Use cases: record an SPC decision (rebase, withdraw it, fix or release a baseline).

Each checks the actor's right, the measure and member against the catalogue in force, and
appends one event to the measure's ``SpcSettings`` for that scope (created on first use).
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.spc_decisions import SpcSettings, spc_settings_id
from ingest.catalogue.model import Catalogue
from ingest.identity.policy import Action, require
from ingest.log.actor import Actor
from ingest.log.errors import NotFound
from ingest.log.store import EventLog


@dataclass(frozen=True)
class SpcDecision:
    """Who decided what, for which chart, why, and at which meeting."""

    actor: Actor
    measure_code: str
    org_code: str | None  # None: every member's chart of the measure
    reason: str
    meeting: str


@dataclass(frozen=True)
class DecisionRecorded:
    position: int
    message: str


def record_rebase(log: EventLog, catalogue: Catalogue, decision: SpcDecision,
                  period: str) -> DecisionRecorded:
    """Start a new segment at ``period``: the mean and limits are recalculated from there."""
    settings = _settings(log, catalogue, decision)
    settings.rebase(actor=decision.actor.id, period=period, reason=decision.reason,
                    meeting=decision.meeting)
    return _append(log, settings, f"{decision.measure_code} rebased at {period}")


def withdraw_rebase(log: EventLog, catalogue: Catalogue, decision: SpcDecision,
                    period: str) -> DecisionRecorded:
    """The rebase at ``period`` stops applying; the record of it stays."""
    settings = _settings(log, catalogue, decision)
    settings.withdraw_rebase(actor=decision.actor.id, period=period, reason=decision.reason,
                             meeting=decision.meeting)
    return _append(log, settings, f"{decision.measure_code} rebase at {period} withdrawn")


def fix_baseline(log: EventLog, catalogue: Catalogue, decision: SpcDecision,
                 n_points: int) -> DecisionRecorded:
    """Freeze each segment's limits on its first ``n_points`` points (at least 12)."""
    settings = _settings(log, catalogue, decision)
    settings.fix_baseline(actor=decision.actor.id, n_points=n_points, reason=decision.reason,
                          meeting=decision.meeting)
    return _append(log, settings, f"{decision.measure_code} baseline fixed at {n_points} points")


def release_baseline(log: EventLog, catalogue: Catalogue,
                     decision: SpcDecision) -> DecisionRecorded:
    """Let each segment's limits use all of its points again."""
    settings = _settings(log, catalogue, decision)
    settings.release_baseline(actor=decision.actor.id, reason=decision.reason,
                              meeting=decision.meeting)
    return _append(log, settings, f"{decision.measure_code} baseline released")


def _settings(log: EventLog, catalogue: Catalogue, decision: SpcDecision) -> SpcSettings:
    """The record for this measure and scope, once the actor and the names are checked."""
    require(decision.actor, Action.MANAGE_GOVERNANCE)
    if decision.measure_code not in {m.code for m in catalogue.measures}:
        raise NotFound(f"no measure {decision.measure_code!r} in the catalogue")
    org = decision.org_code
    if org is not None and org not in {m.code for m in catalogue.alliance.members}:
        raise NotFound(f"no member {org!r} in the catalogue")
    record_id = spc_settings_id(decision.measure_code, org)
    if log.exists(record_id):
        return log.load(record_id)  # type: ignore[no-any-return]
    return SpcSettings(actor=decision.actor.id, org_code=org,
                       measure_code=decision.measure_code)


def _append(log: EventLog, settings: SpcSettings, message: str) -> DecisionRecorded:
    scope = settings.org_code or "alliance-wide"
    return DecisionRecorded(log.append(settings), f"{message} ({scope})")
