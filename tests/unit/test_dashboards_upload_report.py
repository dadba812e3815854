"""The upload page's logic: API answers read as reports, receipts, table rows and button states."""

from __future__ import annotations

from typing import Any

import pytest

from dashboards.upload_report import (
    ApiAnswer,
    after_submit,
    check_view,
    checked_state,
    count_cards,
    diff_rows,
    error_outcome,
    period_label,
    problem_rows,
    problems_title,
    receipt_view,
    submit_readiness,
)

MEASURES = {
    "ae_4hr_performance": {"name": "A&E 4-hour performance", "kind": "proportion", "unit": "%"},
    "ae_attendances": {"name": "A&E attendances", "kind": "count", "unit": "attendances"},
}
WARNING = {"row": 0, "column": "measure_code", "code": "missing_measures",
           "message": "16 of the 18 measures expected are missing", "severity": "warning"}


def dry_run(*, new: int = 2, changed: int = 0, unchanged: int = 0, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "accepted": False, "dry_run": True, "replayed": False,
        "message": f"dry run: {new} new, {changed} changed, {unchanged} unchanged values; "
                   "nothing recorded",
        "counts": {"rows": new + changed + unchanged, "new": new, "changed": changed,
                   "unchanged": unchanged},
        "warnings": [], "returns": [], "position": None, "needs_reason": changed > 0,
        "diff": [
            {"row": 2, "org_code": "RTX", "measure_code": "ae_4hr_performance",
             "period": "2026-10", "change": "new", "previous_value": None, "value": 0.9,
             "previous_numerator": None, "numerator": 900.0, "previous_denominator": None,
             "denominator": 1000.0},
        ],
        "diff_truncated": False,
    }
    return {**body, **extra}


def receipt(**extra: Any) -> dict[str, Any]:
    body = {
        "accepted": True, "dry_run": False, "replayed": False, "position": 17,
        "message": "accepted: 2 new, 0 changed, 0 unchanged values in 1 returns",
        "counts": {"rows": 2, "new": 2, "changed": 0, "unchanged": 0}, "warnings": [WARNING],
        "returns": [{"return_id": "r-1", "org_code": "RTX", "period": "2026-10", "version": 1,
                     "new": 2, "changed": 0, "unchanged": 0}],
        "diff": [], "needs_reason": False,
    }
    return {**body, **extra}


REJECTED = ApiAnswer(422, {
    "status": 422, "code": "upload_rejected",
    "detail": "upload rejected: 1 problems in 1 rows; nothing was recorded",
    "issues": [WARNING, {"row": 2, "column": "numerator", "code": "numerator_exceeds_denominator",
                         "message": "numerator 1200 is greater than the denominator 1000",
                         "severity": "error"}],
})


def test_new_and_changed_values_are_both_named() -> None:
    view = check_view(ApiAnswer(200, dry_run(new=2, changed=3)), MEASURES)
    assert view.outcome.headline == "Check passed: 2 new and 3 changed values would be recorded"


def test_a_clean_dry_run_is_ready_to_submit_and_says_what_would_be_recorded() -> None:
    view = check_view(ApiAnswer(200, dry_run()), MEASURES)

    assert view.ready and not view.needs_reason
    assert view.outcome.tone == "ok"
    assert view.outcome.headline == "Check passed: 2 new values would be recorded"
    assert view.outcome.detail.startswith("Dry run: 2 new, 0 changed, 0 unchanged values")
    assert count_cards(view.counts or {})[0] == ("New values", "2")


def test_a_restatement_needs_a_reason_and_is_flagged() -> None:
    view = check_view(ApiAnswer(200, dry_run(new=0, changed=1, unchanged=2)), MEASURES)

    assert view.ready and view.needs_reason
    assert view.outcome.tone == "warning"
    assert view.outcome.headline == "Check passed: 1 changed value would be recorded"
    assert "reason for the restatement below" in view.outcome.detail


def test_a_file_identical_to_what_is_held_has_nothing_to_submit() -> None:
    view = check_view(ApiAnswer(200, dry_run(new=0, unchanged=3, diff=[])), MEASURES)

    assert not view.ready
    assert view.outcome.headline.startswith("Nothing to submit")
    assert "already held" in checked_state(view, key="k")["why_not"]


def test_a_rejection_lists_every_problem_errors_first_and_says_nothing_was_recorded() -> None:
    view = check_view(REJECTED, MEASURES)

    assert not view.ready
    assert view.outcome.tone == "error"
    assert view.outcome.headline == "Rejected: nothing was recorded"
    assert view.outcome.detail.startswith("Upload rejected: 1 problems in 1 rows")
    first, second = view.problems
    assert (first["severity_label"], first["row"], first["column"], first["code"]) == (
        "Error", "2", "numerator", "numerator_exceeds_denominator")
    assert (second["severity"], second["row"]) == ("warning", "File")
    assert problems_title(view.problems) == "Problems found: 1 error, 1 warning"


def test_warnings_alone_do_not_block_a_submission() -> None:
    rows = problem_rows([WARNING])
    assert problems_title(rows) == "Problems found: 1 warning (the file can still be submitted)"


def test_diff_rows_read_values_as_their_measures_do() -> None:
    entry = {"row": 3, "org_code": "RTX", "measure_code": "ae_attendances", "period": "2026-10",
             "change": "changed", "previous_value": 1000.0, "value": 1250.0}
    unknown = {**entry, "measure_code": "retired_measure", "previous_value": None,
               "value": 2.5, "change": "new"}

    rows = diff_rows(dry_run()["diff"] + [entry, unknown], MEASURES)

    assert rows[0]["measure"] == "A&E 4-hour performance"
    assert (rows[0]["from"], rows[0]["to"]) == ("—", "90% (900 / 1,000)")
    assert rows[0]["period"] == "Oct 2026"
    assert (rows[1]["from"], rows[1]["to"], rows[1]["change_label"]) == (
        "1,000 attendances", "1,250 attendances", "Changed")
    assert (rows[2]["measure"], rows[2]["to"]) == ("retired_measure", "2.5")


@pytest.mark.parametrize(("status", "headline"), [
    (401, "Your API token was not accepted"),
    (403, "This token may not submit this return"),
    (409, "The return changed while you were working"),
    (413, "The file is too large for the server"),
    (500, "The server could not process the upload (HTTP 500)"),
    (404, "The upload was refused (HTTP 404)"),
])
def test_http_errors_read_as_sentences_not_stack_traces(status: int, headline: str) -> None:
    answer = ApiAnswer(status, {"title": "Error", "detail": "something specific"})

    view = check_view(answer, MEASURES)

    assert view.outcome.headline == headline
    assert view.outcome.tone == "error" and not view.ready
    assert "Nothing was recorded." in view.outcome.detail


def test_an_api_that_cannot_be_reached_is_explained() -> None:
    answer = ApiAnswer.local("The returns API could not be reached (ConnectionError).")

    assert check_view(answer, MEASURES).outcome.headline.startswith("The returns API could not")
    submitted = error_outcome(answer, submitting=True)
    assert "may not have been recorded" in submitted.detail


def test_a_receipt_gives_the_log_position_returns_and_warnings() -> None:
    view = receipt_view(ApiAnswer(200, receipt()))

    assert view.outcome.headline == "Accepted: recorded at log position 17"
    assert view.outcome.detail == "Accepted: 2 new, 0 changed, 0 unchanged values in 1 returns."
    assert view.returns == [{"member": "RTX", "period": "Oct 2026", "version": "1", "new": "2",
                             "changed": "0", "unchanged": "0"}]
    assert view.warnings[0]["code"] == "missing_measures"


def test_a_replayed_receipt_says_nothing_was_recorded_twice() -> None:
    view = receipt_view(ApiAnswer(200, receipt(replayed=True)))
    assert "nothing was recorded twice" in view.outcome.detail


def test_a_no_change_receipt_has_no_position() -> None:
    view = receipt_view(ApiAnswer(200, receipt(position=None, returns=[], message="no change")))
    assert view.outcome.headline == "Accepted: nothing new to record"


def test_a_rejected_submission_lists_its_problems() -> None:
    view = receipt_view(REJECTED)
    assert view.outcome.headline == "Rejected: nothing was recorded"
    assert len(view.problems) == 2


def test_confirm_is_enabled_only_after_a_passing_check_and_with_a_needed_reason() -> None:
    passed = checked_state(check_view(ApiAnswer(200, dry_run()), MEASURES), key="k-1")
    restating = checked_state(check_view(ApiAnswer(200, dry_run(changed=1)), MEASURES), key="k")
    rejected = checked_state(check_view(REJECTED, MEASURES), key="k-3")

    assert not submit_readiness(None, None).enabled
    assert submit_readiness(passed, None) == submit_readiness(passed, "ignored")
    assert submit_readiness(passed, None).enabled
    assert passed["key"] == "k-1" and rejected["key"] is None
    assert not submit_readiness(rejected, "why").enabled
    assert "Fix the problems" in submit_readiness(rejected, None).hint
    waiting = submit_readiness(restating, "  ")
    assert (waiting.enabled, waiting.show_reason) == (False, True)
    assert submit_readiness(restating, "coding corrected").enabled


def test_after_a_receipt_confirm_is_disabled_and_a_conflict_asks_for_a_new_check() -> None:
    passed = checked_state(check_view(ApiAnswer(200, dry_run()), MEASURES), key="k-1")

    done = after_submit(passed, ApiAnswer(200, receipt()))
    stale = after_submit(passed, ApiAnswer(409, {"detail": "changed meanwhile"}))
    unreachable = after_submit(passed, ApiAnswer.local("down"))

    assert not submit_readiness(done, None).enabled
    assert "Submitted" in submit_readiness(done, None).hint
    assert not submit_readiness(stale, None).enabled
    assert submit_readiness(unreachable, None).enabled  # a retry reuses the key: safe
    assert unreachable["key"] == "k-1"


def test_period_labels_read_as_months() -> None:
    assert period_label("2026-03") == "Mar 2026"
    assert period_label("2019/01") == "2019/01"
    assert period_label(None) == "—"
