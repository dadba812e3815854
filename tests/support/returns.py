"""Record monthly returns the way an upload records them, for tests of shared views.

Shared views show a value only once its return is signed off and its submission window has
closed, so tests arrange data through the log (submit, sign off, retract, then project) with a
simulated clock rather than writing warehouse rows by hand, which would skip those rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa

from concord.demo.long_format import LONG_SCHEMA, to_raw
from concord.demo.replay import DEMO_LOADER
from concord.services import Services
from ingest.log.clock import simulated_clock
from ingest.returns.commands import Submission, submit_returns
from ingest.returns.lifecycle import retract_values, sign_off_return
from warehouse.queries.returns import held_measure_codes

# (org_code, measure_code, period 'YYYY-MM', value, numerator, denominator)
Row = tuple[str, str, str, float | None, float | None, float | None]


def long_rows(rows: Sequence[Row]) -> pa.Table:
    """``rows`` as the long return table the upload path reads (no comments)."""
    names = LONG_SCHEMA.names[:6]
    return pa.Table.from_pylist(
        [dict(zip(names, row, strict=True)) | {"comment": None} for row in rows],
        schema=LONG_SCHEMA,
    )


def submit(services: Services, rows: Sequence[Row], *, at: datetime, signed_off: bool = True,
           reason: str | None = None) -> int:
    """Record ``rows`` as one admin upload made at ``at`` and project it.

    Each touched return is signed off at the same moment unless ``signed_off`` is false.
    Returns the log position of the last event written.
    """
    with simulated_clock(at):
        report = submit_returns(
            services.log, services.catalogue(), services.held_returns(),
            Submission(raw=to_raw(long_rows(rows)), actor=DEMO_LOADER, source="test",
                       reason=reason),
            today=at.date(),
        )
        position = report.position or services.log.head()
        if signed_off:
            for receipt in report.returns:
                position = sign_off(services, receipt.org_code, receipt.period, at=at)
    services.projector.catch_up()
    return position


def sign_off(services: Services, org_code: str, period: str, *, at: datetime) -> int:
    """Sign one return off as it stands at ``at``; the log position of the sign-off."""
    with simulated_clock(at):
        result = sign_off_return(services.log, DEMO_LOADER, org_code, period, note="test")
    services.projector.catch_up()
    return result.position


def retract(services: Services, org_code: str, period: str, measure_codes: Sequence[str], *,
            at: datetime) -> int:
    """Withdraw held values at ``at`` for a test reason; the log position of the retraction."""
    services.projector.catch_up()
    with services.warehouse.reading() as cur:
        held = held_measure_codes(cur, org_code, period)
    with simulated_clock(at):
        result = retract_values(services.log, DEMO_LOADER, org_code, period, measure_codes,
                                "test retraction", held)
    services.projector.catch_up()
    return result.position
