"""What a submission answers: the receipt, or for a dry run the report and value-level diff."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ingest.returns.issues import Issue

DIFF_LIMIT = 10_000  # value-level diff entries returned; counts are always complete


@dataclass(frozen=True)
class ReturnReceipt:
    return_id: str
    org_code: str
    period: str
    version: int
    new: int
    changed: int
    unchanged: int


@dataclass
class SubmissionReport:
    accepted: bool
    dry_run: bool
    message: str
    submission_id: str
    counts: dict[str, int]
    warnings: list[Issue] = field(default_factory=list)
    returns: list[ReturnReceipt] = field(default_factory=list)
    diff: list[dict[str, Any]] = field(default_factory=list)
    diff_truncated: bool = False
    position: int | None = None
    needs_reason: bool = False
    replayed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Shallow on purpose: ``asdict`` deep-copies thousands of receipts and diff rows."""
        body = {f.name: getattr(self, f.name) for f in fields(self)}
        body["warnings"] = [w.to_dict() for w in self.warnings]
        body["returns"] = [r.__dict__ for r in self.returns]
        return body


def change_counts(checked: pa.Table) -> dict[str, int]:
    counts = {"rows": checked.num_rows, "new": 0, "changed": 0, "unchanged": 0}
    if checked.num_rows:
        for item in pc.value_counts(checked["change"]).to_pylist():
            counts[item["values"]] = item["counts"]
    return counts


def value_diff(checked: pa.Table, limit: int = DIFF_LIMIT) -> tuple[list[dict[str, Any]], bool]:
    """New and changed values (from → to), in file order; unchanged ones are only counted."""
    moving = checked.filter(pc.not_equal(checked["change"], "unchanged"))
    columns = ["row", "org_code", "measure_code", "period", "change", "previous_value", "value",
               "previous_numerator", "numerator", "previous_denominator", "denominator"]
    head = moving.select(columns).slice(0, limit)
    rows = head.to_pylist()
    for row in rows:
        row["period"] = row["period"].strftime("%Y-%m")
    return rows, moving.num_rows > limit
