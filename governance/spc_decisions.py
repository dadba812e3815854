"""How a measure's SPC charts are drawn, as decided by the board: rebases and frozen baselines.

Moving a chart's mean and limits changes which points count as special cause, so it is a
governance decision with a reason and a meeting, never something Concord does by itself.
One ``SpcSettings`` record per measure and scope: a member, or the whole alliance (``None``).
A member's chart uses the alliance-wide rebases and its own; its own frozen baseline, where it
has one, overrides the alliance-wide one.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ingest.log.errors import Conflict, Invalid
from ingest.log.events import ConcordAggregate
from ingest.log.ids import natural_id
from ingest.returns.periods import parse_period

MIN_BASELINE_POINTS = 12
"""NHSRplotthedots refuses to fix limits on fewer than 12 points; so do we."""


def spc_settings_id(measure_code: str, org_code: str | None) -> UUID:
    """One record per (measure, member); ``None`` is the alliance-wide record."""
    return natural_id("spc-settings", measure_code, org_code or "*")


def scope_label(org_code: str | None) -> str:
    return org_code if org_code else "the whole alliance"


def required_text(value: str | None, field: str) -> str:
    """Reason and meeting are what make a decision accountable: both must be given."""
    text = (value or "").strip()
    if not text:
        raise Invalid(f"an SPC decision needs a {field}", field=field)
    return text


def month_text(period: str) -> str:
    """``YYYY-MM`` as given, once it is known to be a month."""
    return parse_period(period).strftime("%Y-%m")


class SpcSettings(ConcordAggregate):
    """The rebases and the frozen baseline in force for one measure and scope."""

    TOPIC = "concord:SpcSettings"

    class Created(ConcordAggregate.Created):
        """Version 1: the record exists; stored as ``SpcSettingsOpened``. No decision yet."""

        TOPIC = "concord:SpcSettingsOpened"
        measure_code: str

    class Rebased(ConcordAggregate.Event):
        """Version 1: a new segment (mean and limits) starts at ``period`` (YYYY-MM)."""

        TOPIC = "concord:SpcRebased"
        measure_code: str
        period: str
        reason: str
        meeting: str

    class RebaseWithdrawn(ConcordAggregate.Event):
        """Version 1: the rebase at ``period`` no longer applies (it stays in the history)."""

        TOPIC = "concord:SpcRebaseWithdrawn"
        measure_code: str
        period: str
        reason: str
        meeting: str

    class BaselineFixed(ConcordAggregate.Event):
        """Version 1: each segment's limits come from its first ``n_points`` points."""

        TOPIC = "concord:SpcBaselineFixed"
        measure_code: str
        n_points: int
        reason: str
        meeting: str

    class BaselineReleased(ConcordAggregate.Event):
        """Version 1: limits come from every point of a segment again."""

        TOPIC = "concord:SpcBaselineReleased"
        measure_code: str
        reason: str
        meeting: str

    @staticmethod
    def create_id(*, measure_code: str, org_code: str | None, **_: Any) -> UUID:
        return spc_settings_id(measure_code, org_code)

    @event(Created)
    def __init__(self, *, actor: str, org_code: str | None, measure_code: str) -> None:
        self.org_code = org_code
        self.measure_code = measure_code
        self.rebase_periods: set[str] = set()
        self.fixed_points: int | None = None

    def rebase(self, *, actor: str, period: str, reason: str, meeting: str) -> None:
        month = month_text(period)
        if month in self.rebase_periods:
            raise Conflict(f"{self.measure_code} is already rebased at {month} for "
                           f"{scope_label(self.org_code)}")
        self._rebase(actor=actor, org_code=self.org_code, measure_code=self.measure_code,
                     period=month, reason=required_text(reason, "reason"),
                     meeting=required_text(meeting, "meeting"))

    def withdraw_rebase(self, *, actor: str, period: str, reason: str, meeting: str) -> None:
        month = month_text(period)
        if month not in self.rebase_periods:
            raise Conflict(f"{self.measure_code} has no rebase at {month} for "
                           f"{scope_label(self.org_code)} to withdraw")
        self._withdraw(actor=actor, org_code=self.org_code, measure_code=self.measure_code,
                       period=month, reason=required_text(reason, "reason"),
                       meeting=required_text(meeting, "meeting"))

    def fix_baseline(self, *, actor: str, n_points: int, reason: str, meeting: str) -> None:
        if isinstance(n_points, bool) or not isinstance(n_points, int) \
                or n_points < MIN_BASELINE_POINTS:
            raise Invalid(f"a baseline needs at least {MIN_BASELINE_POINTS} points, "
                          f"got {n_points!r}", field="n_points")
        if self.fixed_points == n_points:
            raise Conflict(f"{self.measure_code}'s baseline is already fixed at {n_points} "
                           f"points for {scope_label(self.org_code)}")
        self._fix(actor=actor, org_code=self.org_code, measure_code=self.measure_code,
                  n_points=n_points, reason=required_text(reason, "reason"),
                  meeting=required_text(meeting, "meeting"))

    def release_baseline(self, *, actor: str, reason: str, meeting: str) -> None:
        if self.fixed_points is None:
            raise Conflict(f"{self.measure_code} has no fixed baseline for "
                           f"{scope_label(self.org_code)} to release")
        self._release(actor=actor, org_code=self.org_code, measure_code=self.measure_code,
                      reason=required_text(reason, "reason"),
                      meeting=required_text(meeting, "meeting"))

    # Mutators: they only apply a decision already checked, so replaying the log never fails.
    @event(Rebased)
    def _rebase(self, *, actor: str, org_code: str | None, measure_code: str, period: str,
                reason: str, meeting: str) -> None:
        self.rebase_periods.add(period)

    @event(RebaseWithdrawn)
    def _withdraw(self, *, actor: str, org_code: str | None, measure_code: str, period: str,
                  reason: str, meeting: str) -> None:
        self.rebase_periods.discard(period)

    @event(BaselineFixed)
    def _fix(self, *, actor: str, org_code: str | None, measure_code: str, n_points: int,
             reason: str, meeting: str) -> None:
        self.fixed_points = n_points

    @event(BaselineReleased)
    def _release(self, *, actor: str, org_code: str | None, measure_code: str, reason: str,
                 meeting: str) -> None:
        self.fixed_points = None


SPC_DECISION_TOPICS = frozenset({
    "concord:SpcRebased", "concord:SpcRebaseWithdrawn", "concord:SpcBaselineFixed",
    "concord:SpcBaselineReleased",
})
