"""Counts of a validation's issues, for upload reports, logs and the CLI."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ingest.validation.contracts import ValidationResult
from ingest.validation.validator import MORE_ISSUES


def validation_summary(result: ValidationResult) -> dict[str, Any]:
    """``{ok, rows, errors, warnings, by_code: {code: {severity, count, listed}}}``.

    ``count`` is the full number found (from ``issue_counts``), ``listed`` how many of them the
    result lists, so a report on a garbage file still says how many problems it had.
    """
    by_code: dict[str, dict[str, Any]] = {}
    totals = Counter[str]()
    for severity, issues in (("error", result.errors), ("warning", result.warnings)):
        listed = Counter(issue.code for issue in issues if issue.code != MORE_ISSUES)
        for code, count in sorted(listed.items()):
            found = result.issue_counts.get(code, count)
            by_code[code] = {"severity": severity, "count": found, "listed": count}
            totals[severity] += found
    return {
        "ok": result.ok,
        "rows": result.rows.num_rows,
        "errors": totals["error"],
        "warnings": totals["warning"],
        "by_code": by_code,
    }
