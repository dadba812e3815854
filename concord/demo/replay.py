"""Replay the demo history through the same submission path a member's upload takes.

Each batch is validated and recorded as if at its simulated moment (``simulated_clock``), so
the demo shows returns that were on time, late, missing and restated. Every return is then
signed off by a demo approver at the same moment. Real NHS values are never altered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from concord.demo.long_format import to_raw
from concord.demo.timeline import DemoBatch
from concord.services import Services
from ingest.log.actor import Actor, Role
from ingest.log.clock import simulated_clock
from ingest.returns.aggregate import return_id
from ingest.returns.commands import Submission, submit_returns

DEMO_LOADER = Actor(id="system:demo-loader", role=Role.ADMIN)
DEMO_APPROVER = Actor(id="system:demo-approver", role=Role.ADMIN)


@dataclass
class ReplaySummary:
    batches: int = 0
    values: int = 0
    restated: int = 0
    warnings: int = 0
    signed_off: int = 0


def replay(services: Services, batches: list[DemoBatch],
           progress: Callable[[int], None] | None = None) -> ReplaySummary:
    summary = ReplaySummary()
    catalogue = services.catalogue()
    for batch in batches:
        with simulated_clock(batch.recorded_at):
            report = submit_returns(
                services.log, catalogue, services.held_returns(),
                Submission(raw=to_raw(batch.rows), actor=DEMO_LOADER,
                           source=f"demo:{batch.label}", reason=batch.reason),
                today=batch.recorded_at.date(),
            )
            _sign_off(services, [(r.org_code, r.period) for r in report.returns])
        summary.batches += 1
        summary.values += report.counts["new"]
        summary.restated += report.counts["changed"]
        summary.warnings += len(report.warnings)
        summary.signed_off += len(report.returns)
        if progress:
            progress(1)
    services.projector.catch_up()
    return summary


def _sign_off(services: Services, keys: list[tuple[str, str]]) -> None:
    returns = list(services.log.load_many([return_id(org, period) for org, period in keys])
                   .values())
    for ret in returns:
        ret.sign_off(actor=DEMO_APPROVER.id, org_code=ret.org_code,
                     covers_version=ret.values_version, note="demo sign-off")
    if returns:
        services.log.append(*returns)
