"""Use case: submit (or restate) monthly returns from one upload, atomically.

Everything in an upload is validated first; if anything is wrong nothing is written. The
accepted upload becomes, per (member, period), one ``ReturnSubmitted`` for values not held
before and one ``ValuesRestated`` for values that change, all appended in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import pyarrow as pa
import pyarrow.compute as pc

from ingest.catalogue.model import Catalogue
from ingest.identity.policy import Action, require
from ingest.log.actor import Actor, Role
from ingest.log.errors import Conflict
from ingest.log.store import EventLog
from ingest.returns.aggregate import (
    MemberReturn,
    SubmissionRecord,
    return_id,
    submission_record_id,
)
from ingest.returns.grouping import ReturnChanges, group_changes
from ingest.returns.issues import Issue, UploadRejected
from ingest.returns.reader import HeldReturns
from ingest.returns.report import ReturnReceipt, SubmissionReport, change_counts, value_diff
from ingest.validation.contracts import ValidationContext
from ingest.validation.validator import validate


@dataclass(frozen=True)
class Submission:
    raw: pa.Table  # RAW_SCHEMA
    actor: Actor
    source: str  # e.g. "upload:march.csv", "api:json", "cli:/path/file.xlsx"
    on_behalf_of: str | None = None  # CLI --as; a submitter is always bound to their member
    reason: str | None = None  # required when any held value changes
    idempotency_key: str | None = None
    dry_run: bool = False


def submit_returns(
    log: EventLog, catalogue: Catalogue, held: HeldReturns, submission: Submission, *,
    today: date,
) -> SubmissionReport:
    actor = submission.actor
    member = _bound_member(submission)
    require(actor, Action.SUBMIT_RETURN, member)
    if submission.idempotency_key and not submission.dry_run:
        earlier = _earlier_receipt(log, held, actor, submission.idempotency_key)
        if earlier is not None:
            return earlier
    try:
        return _validate_and_append(log, catalogue, held, submission, member, today=today)
    except Conflict:
        # A concurrent retry under the same key (a double click, a client retrying on a
        # timeout) may have won the race, in the check of held versions or in the append.
        earlier = submission.idempotency_key and _earlier_receipt(
            log, held, actor, submission.idempotency_key)
        if earlier:
            return earlier
        raise


def _validate_and_append(
    log: EventLog, catalogue: Catalogue, held: HeldReturns, submission: Submission,
    member: str | None, *, today: date,
) -> SubmissionReport:
    actor = submission.actor
    orgs = _org_codes(submission.raw, member)
    context = ValidationContext(
        catalogue=catalogue, actor=actor, today=today, on_behalf_of=member,
        held=held.held_values(orgs), unlocked=held.unlocked(orgs),
    )
    result = validate(submission.raw, context)
    if result.errors:
        raise UploadRejected(_rejection(result.errors), result.errors + result.warnings)
    checked = result.rows
    changes = group_changes(checked)
    counts = change_counts(checked)
    report = SubmissionReport(
        accepted=False, dry_run=submission.dry_run, message="", counts=counts,
        submission_id=str(uuid.uuid4()), warnings=result.warnings,
        needs_reason=counts["changed"] > 0,
    )
    if submission.dry_run:
        report.diff, report.diff_truncated = value_diff(checked)
        report.message = _dry_run_message(counts, submission.reason)
        return report
    if counts["changed"] and not (submission.reason or "").strip():
        raise UploadRejected(_REASON_MESSAGE, _reason_issues(checked))
    if not counts["new"] and not counts["changed"]:
        report.accepted = True
        report.message = "no change: every value is identical to what is held; nothing recorded"
        return report
    versions = held.return_versions(orgs)
    touched = _touched(changes)
    held_returns = log.load_many([return_id(c.org_code, c.period) for c in touched
                                  if (c.org_code, c.period) in versions])
    warnings = _warnings_by_return(result.warnings)
    aggregates = [
        _apply(change, versions.get((change.org_code, change.period)), held_returns,
               submission, report, warnings.get((change.org_code, change.period), []))
        for change in touched
    ]
    report.accepted = True
    report.returns = [_receipt(a, c) for a, c in zip(aggregates, touched, strict=True)]
    report.message = (f"accepted: {counts['new']} new, {counts['changed']} changed, "
                      f"{counts['unchanged']} unchanged values in {len(aggregates)} returns")
    record = SubmissionRecord(
        actor=actor.id, org_code=member, submission_id=report.submission_id,
        idempotency_key=submission.idempotency_key, source=submission.source,
        receipt=_stored_receipt(report),
    )
    report.position = log.append(*aggregates, record)
    return report


_REASON_MESSAGE = "this upload changes values already held; a restatement needs a reason"


def _bound_member(submission: Submission) -> str | None:
    actor = submission.actor
    if actor.role == Role.SUBMITTER:
        return actor.member_code
    return submission.on_behalf_of


def _org_codes(raw: pa.Table, member: str | None) -> list[str]:
    codes = {c for c in pc.unique(raw["org_code"]).to_pylist() if c}
    if member:
        codes.add(member)
    return sorted(codes)


def _apply(
    change: ReturnChanges, held_version: int | None, held_returns: dict[UUID, MemberReturn],
    submission: Submission, report: SubmissionReport, warnings: list[dict[str, Any]],
) -> MemberReturn:
    actor = submission.actor
    common = {"actor": actor.id, "org_code": change.org_code,
              "submission_id": report.submission_id, "source": submission.source}
    if held_version is None:
        if change.changed:  # the warehouse says nothing is held, yet values would change
            raise Conflict(f"the return {change.org_code} {change.period} is out of step; "
                           "send it again")
        return MemberReturn.first_submission(period=change.period, values=change.new,
                                             warnings=warnings, **common)
    else:
        aggregate = held_returns.get(return_id(change.org_code, change.period))
        if aggregate is None or aggregate.version != held_version:
            raise Conflict(
                f"the return {change.org_code} {change.period} changed while this upload was "
                "being checked; send it again"
            )
    if change.new:
        aggregate.submit(values=change.new, warnings=warnings, **common)
        warnings = []
    if change.changed:
        aggregate.restate(values=change.changed, reason=(submission.reason or "").strip(),
                          warnings=warnings, **common)
    return aggregate


def _touched(changes: Sequence[ReturnChanges]) -> list[ReturnChanges]:
    return [c for c in changes if c.new_count or c.changed_count]


def _receipt(aggregate: MemberReturn, change: ReturnChanges) -> ReturnReceipt:
    return ReturnReceipt(str(aggregate.id), change.org_code, change.period, aggregate.version,
                         change.new_count, change.changed_count, change.unchanged)


def _warnings_by_return(warnings: list[Issue]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Each return's warnings, as they go into its event (one pass, not one per return)."""
    by_return: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for warning in warnings:
        if warning.org_code is not None and warning.period is not None:
            by_return.setdefault((warning.org_code, warning.period), []).append(
                warning.to_dict())
    return by_return


def _reason_issues(checked: pa.Table) -> list[Issue]:
    changed = checked.filter(pc.equal(checked["change"], "changed")).slice(0, 1000)
    return [
        Issue(r["row"], "value", "reason_required",
              f"{r['measure_code']} for {r['org_code']} {r['period']:%Y-%m} would change from "
              f"{r['previous_value']} to {r['value']}: give a reason for the restatement")
        for r in changed.select(["row", "org_code", "measure_code", "period", "previous_value",
                                 "value"]).to_pylist()
    ]


def _rejection(errors: list[Issue]) -> str:
    rows = len({e.row for e in errors})
    return f"upload rejected: {len(errors)} problems in {rows} rows; nothing was recorded"


def _dry_run_message(counts: dict[str, int], reason: str | None) -> str:
    text = (f"dry run: {counts['new']} new, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged values; nothing recorded")
    if counts["changed"] and not reason:
        text += "; submitting it will need a reason for the restatement"
    return text


def _stored_receipt(report: SubmissionReport) -> dict[str, Any]:
    body = report.to_dict()
    for transient in ("diff", "diff_truncated", "position", "replayed", "dry_run"):
        body.pop(transient)
    return body


def _earlier_receipt(
    log: EventLog, held: HeldReturns, actor: Actor, key: str
) -> SubmissionReport | None:
    record_id = submission_record_id(actor.id, key, "")
    if not log.exists(record_id):
        return None
    record: SubmissionRecord = log.load(record_id)
    stored = dict(record.receipt)
    report = SubmissionReport(
        **{k: v for k, v in stored.items() if k not in ("warnings", "returns")},
        dry_run=False, replayed=True,
    )
    report.warnings = [Issue(**w) for w in stored.get("warnings", [])]
    report.returns = [ReturnReceipt(**r) for r in stored.get("returns", [])]
    report.message = "already accepted with this Idempotency-Key: " + report.message
    report.position = held.submission_position(report.submission_id)
    return report
