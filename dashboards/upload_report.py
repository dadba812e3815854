"""How the returns API's answers read on the upload page; pure, no Dash.

Pure functions from an answer (its status and JSON body) to summaries, table rows and
which buttons are enabled, so the page's behaviour is testable without a browser or server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dashboards.formatting import NO_VALUE, format_count, format_period, format_value

PERIOD_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
NOTHING_RECORDED = "Nothing was recorded."


@dataclass(frozen=True)
class ApiAnswer:
    """What the returns API said: its HTTP status (0 if never reached) and its JSON body."""

    status: int
    body: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def local(cls, detail: str) -> ApiAnswer:
        """A problem found before anything was sent."""
        return cls(status=0, body={"detail": detail})


@dataclass(frozen=True)
class Outcome:
    tone: str  # "ok", "warning" or "error": how the page colours it
    headline: str
    detail: str = ""


@dataclass(frozen=True)
class CheckView:
    """The validation report of a dry run, ready to draw."""

    outcome: Outcome
    counts: Mapping[str, int] | None = None
    problems: list[dict[str, str]] = field(default_factory=list)
    diff: list[dict[str, str]] = field(default_factory=list)
    diff_truncated: bool = False
    needs_reason: bool = False
    ready: bool = False  # the file may be submitted as checked


@dataclass(frozen=True)
class ReceiptView:
    """What a real submission answered: the receipt, or why nothing was recorded."""

    outcome: Outcome
    position: int | None = None
    returns: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Readiness:
    enabled: bool
    show_reason: bool
    hint: str


# --- the check (dry run) ----------------------------------------------------------------------


def check_view(answer: ApiAnswer, measures: Mapping[str, Mapping[str, Any]]) -> CheckView:
    """The dry run's answer as the page shows it; ``measures`` by code name the diff's rows."""
    body = answer.body
    if answer.status == 422:
        return CheckView(outcome=rejected_outcome(body), problems=problem_rows(body.get("issues")))
    if answer.status != 200:
        return CheckView(outcome=error_outcome(answer))
    counts = {key: int(body.get("counts", {}).get(key, 0))
              for key in ("rows", "new", "changed", "unchanged")}
    needs_reason = bool(body.get("needs_reason"))
    warnings = problem_rows(body.get("warnings"))
    moving = counts["new"] + counts["changed"]
    message = _sentence(str(body.get("message", "")))
    if not moving:
        outcome = Outcome("ok", "Nothing to submit: every value in the file is already held",
                          message)
    else:
        detail = message + (" Give the reason for the restatement below, then confirm."
                            if needs_reason else " Confirm below to record them.")
        tone = "warning" if warnings or needs_reason else "ok"
        outcome = Outcome(tone, f"Check passed: {_change_sentence(counts)}", detail)
    return CheckView(
        outcome=outcome, counts=counts, problems=warnings,
        diff=diff_rows(body.get("diff") or [], measures),
        diff_truncated=bool(body.get("diff_truncated")), needs_reason=needs_reason,
        ready=moving > 0,
    )


def _change_sentence(counts: Mapping[str, int]) -> str:
    parts = [f"{counts[kind]:,} {kind}" for kind in ("new", "changed") if counts[kind]]
    noun = "value" if counts["new"] + counts["changed"] == 1 else "values"
    return f"{' and '.join(parts)} {noun} would be recorded"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def count_cards(counts: Mapping[str, int]) -> list[tuple[str, str]]:
    return [("New values", format_count(counts["new"])),
            ("Changed values", format_count(counts["changed"])),
            ("Unchanged values", format_count(counts["unchanged"])),
            ("Rows read", format_count(counts["rows"]))]


def problem_rows(issues: Sequence[Mapping[str, Any]] | None) -> list[dict[str, str]]:
    """Issues as table rows: errors (what blocks the upload) first, each kind in file order."""
    ordered = sorted(issues or [], key=lambda i: (i.get("severity") == "warning",
                                                  int(i.get("row") or 0)))
    rows = []
    for issue in ordered:
        severity = "warning" if issue.get("severity") == "warning" else "error"
        rows.append({"severity": severity, "severity_label": severity.capitalize(),
                     "row": str(issue["row"]) if issue.get("row") else "File",
                     "column": str(issue.get("column") or NO_VALUE),
                     "code": str(issue.get("code") or ""),
                     "message": str(issue.get("message") or "")})
    return rows


def problems_title(rows: Sequence[Mapping[str, str]]) -> str:
    errors = sum(row["severity"] == "error" for row in rows)
    warnings = len(rows) - errors
    parts = [f"{n:,} {word}{'' if n == 1 else 's'}"
             for n, word in ((errors, "error"), (warnings, "warning")) if n]
    suffix = "" if errors else " (the file can still be submitted)"
    return f"Problems found: {', '.join(parts)}{suffix}"


def diff_rows(
    diff: Sequence[Mapping[str, Any]], measures: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, str]]:
    """Value-level changes (from → to), each value as its measure is read."""
    rows = []
    for entry in diff:
        code = str(entry.get("measure_code", ""))
        measure = measures.get(code, {})
        kind, unit = str(measure.get("kind") or ""), str(measure.get("unit") or "")
        change = str(entry.get("change", ""))
        rows.append({
            "row": str(entry.get("row", "")),
            "member": str(entry.get("org_code", "")),
            "measure": str(measure.get("name") or code),
            "measure_code": code,
            "period": period_label(entry.get("period")),
            "from": _value_text(entry, "previous_", kind, unit),
            "to": _value_text(entry, "", kind, unit),
            "change": change,
            "change_label": change.capitalize(),
        })
    return rows


def _value_text(entry: Mapping[str, Any], prefix: str, kind: str, unit: str) -> str:
    value = entry.get(f"{prefix}value")
    if value is None:
        return NO_VALUE
    text = format_value(float(value), kind, unit)
    numerator, denominator = entry.get(f"{prefix}numerator"), entry.get(f"{prefix}denominator")
    if numerator is not None and denominator is not None:
        text += f" ({_number(numerator)} / {_number(denominator)})"
    return text


def _number(value: float) -> str:
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.4g}"


def period_label(period: Any) -> str:
    text = str(period or "")
    if not PERIOD_PATTERN.match(text):
        return text or NO_VALUE
    return format_period(date(int(text[:4]), int(text[5:7]), 1))


# --- outcomes ---------------------------------------------------------------------------------


def rejected_outcome(body: Mapping[str, Any]) -> Outcome:
    detail = _detail(body) or "The upload was rejected."
    if body.get("issues"):
        detail += " Fix the rows listed below in your file, then check it again."
    return Outcome("error", "Rejected: nothing was recorded", detail)


def error_outcome(answer: ApiAnswer, *, submitting: bool = False) -> Outcome:
    """A readable explanation of any answer other than a report (never a stack trace)."""
    status, detail = answer.status, _detail(answer.body)
    unsure = ("It may not have been recorded: check again or confirm again (a repeated "
              "confirmation of the same check is recorded only once).")
    if status == 0:
        if not submitting or detail.startswith("Choose"):
            return Outcome("error", detail or "The returns API could not be reached.",
                           NOTHING_RECORDED)
        return Outcome("error", "The returns API could not be reached", f"{detail} {unsure}")
    headlines = {
        401: ("Your API token was not accepted",
              "Paste your personal API token above (the alliance office issues them)."),
        403: ("This token may not submit this return",
              "Submitters send their own member's returns; administrators choose a member."),
        409: ("The return changed while you were working", "Check the file again."),
        413: ("The file is too large for the server", "Split it by month or by member."),
    }
    if status in headlines:
        headline, advice = headlines[status]
        return Outcome("error", headline, " ".join(p for p in (detail, advice, NOTHING_RECORDED)
                                                     if p))
    if status >= 500:
        return Outcome("error", f"The server could not process the upload (HTTP {status})",
                       unsure if submitting else NOTHING_RECORDED)
    return Outcome("error", f"The upload was refused (HTTP {status})",
                   f"{detail} {NOTHING_RECORDED}".strip())


def _detail(body: Mapping[str, Any]) -> str:
    return _sentence(str(body.get("detail") or body.get("title") or ""))


# --- the receipt ------------------------------------------------------------------------------


def receipt_view(answer: ApiAnswer) -> ReceiptView:
    body = answer.body
    if answer.status == 422:
        return ReceiptView(outcome=rejected_outcome(body),
                           problems=problem_rows(body.get("issues")))
    if answer.status != 200 or not body.get("accepted"):
        return ReceiptView(outcome=error_outcome(answer, submitting=True))
    position = body.get("position")
    message = _sentence(str(body.get("message", "")))
    if body.get("replayed"):
        message += (" This check had already been submitted: this is its original receipt, "
                    "and nothing was recorded twice.")
    headline = (f"Accepted: recorded at log position {position}" if position
                else "Accepted: nothing new to record")
    returns = [
        {"member": str(r.get("org_code", "")), "period": period_label(r.get("period")),
         "version": str(r.get("version", "")), "new": format_count(r.get("new")),
         "changed": format_count(r.get("changed")), "unchanged": format_count(r.get("unchanged"))}
        for r in body.get("returns") or []
    ]
    return ReceiptView(outcome=Outcome("ok", headline, message), position=position,
                       returns=returns, warnings=problem_rows(body.get("warnings")))


# --- the confirm button ----------------------------------------------------------------------


def checked_state(view: CheckView, key: str) -> dict[str, Any]:
    """What the page remembers about the last check (``key`` makes a confirmation idempotent)."""
    if view.ready:
        why_not = ""
    elif view.counts is not None:
        why_not = "Nothing to submit: every value in the file is already held."
    else:
        why_not = "Fix the problems the check found, then check the file again."
    return {"ready": view.ready, "needs_reason": view.needs_reason,
            "key": key if view.ready else None, "submitted": False, "why_not": why_not}


def after_submit(checked: Mapping[str, Any], answer: ApiAnswer) -> dict[str, Any]:
    if answer.status == 200 and answer.body.get("accepted"):
        return {**checked, "submitted": True}
    if answer.status in (409, 422):
        return {**checked, "ready": False,
                "why_not": "Something changed since the check: check the file again."}
    return dict(checked)


def submit_readiness(checked: Mapping[str, Any] | None, reason: str | None) -> Readiness:
    """Whether "Confirm and submit" is enabled, and whether the reason field shows."""
    if not checked:
        return Readiness(False, False, "Check a file first: you can submit once the check passes.")
    if checked.get("submitted"):
        return Readiness(False, False, "Submitted. Choose another file to send more values.")
    if not checked.get("ready"):
        return Readiness(False, False, str(checked.get("why_not") or "Check the file again."))
    needs_reason = bool(checked.get("needs_reason"))
    if needs_reason and not (reason or "").strip():
        return Readiness(False, True, "Give a reason for the restatement to submit.")
    return Readiness(True, needs_reason, "Ready: submitting records these values in the log.")
