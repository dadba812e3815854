"""Warnings: accepted but flagged — missing measures, outliers, large restatements."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.catalogue.model import Catalogue
from ingest.returns.issues import FILE_ROW
from ingest.validation import validate
from ingest.validation.sqlfiles import statement
from tests.unit.test_validation_support import (
    OPEN,
    context,
    held,
    keys,
    months_before,
    only,
    ratio,
    raw,
    row,
)

# Two years of R0A's attendances around 12,000: median 12000, MAD 100.
STEADY = [11900.0, 12000.0, 12100.0] * 8


def history(values: list[float], measure: str = "ae_attendances",
            before: str = OPEN) -> list[tuple[Any, ...]]:
    months = months_before(before, len(values))
    return [("R0A", measure, month, value, None, None)
            for month, value in zip(months, values, strict=True)]


def codes(issues: Any) -> list[str]:
    return [issue.code for issue in issues]


def test_missing_measures_is_one_warning_per_member_and_month(demo_catalogue: Catalogue) -> None:
    upload = raw(row(), row(measure_code="pressure_ulcers", value="4"),
                 row(period="2024-04"))
    already = held(("R0A", "shmi", OPEN, 1.0, 10.0, 10.0))
    result = validate(upload, context(demo_catalogue, held=already))
    assert result.ok
    assert keys(result.warnings) == [(FILE_ROW, "measure_code", "missing_measures")] * 2
    may, april = sorted(result.warnings, key=lambda w: w.period or "", reverse=True)
    assert (may.org_code, may.period) == ("R0A", "2024-05")
    assert may.message.startswith("R0A 2024-05: 15 of the 18 measures expected from R0A are "
                                  "neither in this upload nor already held: ae_4hr_performance")
    for present in ("ae_attendances", "pressure_ulcers", "shmi"):
        assert present not in may.message
    assert "17 of the 18" in april.message and "shmi" in april.message


def test_missing_measures_only_lists_measures_expected_from_the_members_type(
    demo_catalogue: Catalogue,
) -> None:
    # AAH is a community provider: only the A&E measures apply to it.
    result = validate(raw(row(org_code="AAH")), context(demo_catalogue))
    warning = only(result.warnings, "missing_measures")
    assert "2 of the 3 measures expected from AAH" in warning.message
    assert warning.message.count(",") == 1  # ae_4hr_performance, ae_admission_share


def test_a_repeated_or_inapplicable_row_does_not_stand_in_for_a_missing_measure(
    demo_catalogue: Catalogue,
) -> None:
    # AAH owes three A&E measures; it sends attendances twice and a measure not asked of it.
    upload = raw(row(org_code="AAH"), row(org_code="AAH", value="12001"),
                 row(org_code="AAH", measure_code="pressure_ulcers", value="4"),
                 ratio(measure="ae_admission_share", org_code="AAH"))
    result = validate(upload, context(demo_catalogue))
    warning = only(result.warnings, "missing_measures")
    assert "1 of the 3 measures expected from AAH" in warning.message
    assert warning.message.endswith("already held: ae_4hr_performance; add them in a later "
                                    "upload when they are available")


def test_a_complete_return_has_no_missing_measures(demo_catalogue: Catalogue) -> None:
    already = held(*[("R0A", m.code, OPEN, 1.0, 1.0, 1.0) for m in demo_catalogue.measures
                     if m.code != "ae_attendances"])
    result = validate(raw(row()), context(demo_catalogue, held=already))
    assert "missing_measures" not in codes(result.warnings)


def test_value_far_from_the_members_history_is_an_outlier(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(value="30000")),
                      context(demo_catalogue, held=held(*history(STEADY))))
    issue = only(result.warnings, "outlier")
    assert (issue.row, issue.column, issue.severity) == (2, "value", "warning")
    assert issue.message == (
        "value 30000 is unusual for R0A's ae_attendances: robust z-score 121.4 > 3.5 against "
        "this member's last 24 months (median 12000, 24 values held); check it, and explain "
        "it in comment if it is right"
    )
    assert (issue.org_code, issue.measure_code, issue.period) == ("R0A", "ae_attendances", OPEN)


def test_value_within_the_usual_spread_is_not_an_outlier(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(value="12400")),
                      context(demo_catalogue, held=held(*history(STEADY))))
    assert "outlier" not in codes(result.warnings)


def test_only_the_window_of_recent_months_counts_as_history(demo_catalogue: Catalogue) -> None:
    months = months_before(OPEN, 40)  # the last 24 are the window
    outside = [("R0A", "ae_attendances", m, 12000.0, None, None) for m in months[:16]]
    inside = [("R0A", "ae_attendances", m, 12000.0, None, None) for m in months[-6:]]
    upload = raw(row(value="90000"))
    # 16 old months plus 5 recent: fewer than outlier_min_history (6) in the window.
    too_few = validate(upload, context(demo_catalogue, held=held(*outside, *inside[1:])))
    enough = validate(upload, context(demo_catalogue, held=held(*outside, *inside)))
    assert "outlier" not in codes(too_few.warnings)
    assert "the 6 values held" in only(enough.warnings, "outlier").message


def test_with_no_spread_any_other_value_is_an_outlier(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(value="12001"), row(measure_code="shmi", value=None,
                                                  numerator="10", denominator="10")),
                      context(demo_catalogue, held=held(*history([12000.0] * 8),
                                                        *history([1.0] * 8, "shmi"))))
    issue = only(result.warnings, "outlier")
    assert issue.row == 2
    assert "it differs from the median 12000 of this member's last 24 months" in issue.message


def test_a_ratio_is_judged_on_its_derived_value(demo_catalogue: Catalogue) -> None:
    steady = [0.9, 0.91, 0.92] * 4
    result = validate(raw(ratio(numerator="500", denominator="1000")),
                      context(demo_catalogue,
                              held=held(*history(steady, "ae_4hr_performance"))))
    issue = only(result.warnings, "outlier")
    assert "value 0.5 is unusual for R0A's ae_4hr_performance" in issue.message
    assert "(median 0.91, 12 values held)" in issue.message


def test_an_unchanged_value_is_not_flagged_again(demo_catalogue: Catalogue) -> None:
    already = held(*history(STEADY), ("R0A", "ae_attendances", OPEN, 30000.0, None, None))
    result = validate(raw(row(value="30000")), context(demo_catalogue, held=already))
    assert "outlier" not in codes(result.warnings)
    assert result.rows["change"].to_pylist() == ["unchanged"]


def test_a_restatement_moving_more_than_the_share_is_a_large_change(
    demo_catalogue: Catalogue,
) -> None:
    already = held(("R0A", "ae_attendances", OPEN, 12000.0, None, None),
                   ("R0A", "pressure_ulcers", OPEN, 10.0, None, None))
    result = validate(raw(row(value="4000"), row(measure_code="pressure_ulcers", value="14")),
                      context(demo_catalogue, held=already))
    issue = only(result.warnings, "large_change")
    assert (issue.row, issue.column) == (2, "value")
    assert issue.message == (
        "ae_attendances for R0A 2024-05 changes from 12000 to 4000 (-66.7%), more than the 50% "
        "change that is flagged: check this is the correction you meant"
    )


def test_warnings_do_not_block_the_return(demo_catalogue: Catalogue) -> None:
    already = held(*history(STEADY), ("R0A", "ae_attendances", OPEN, 12000.0, None, None))
    result = validate(raw(row(value="30000")), context(demo_catalogue, held=already))
    assert result.ok and result.errors == []
    assert set(codes(result.warnings)) == {"missing_measures", "outlier", "large_change"}
    assert result.rows.num_rows == 1
    assert result.rows["change"].to_pylist() == ["changed"]


def test_rows_with_errors_get_no_outlier_or_change_warning(demo_catalogue: Catalogue) -> None:
    already = held(*history(STEADY), ("R0A", "ae_attendances", OPEN, 12000.0, None, None))
    result = validate(raw(row(value="30000", comment="=1+1")),
                      context(demo_catalogue, held=already))
    assert codes(result.errors) == ["formula_cell"]
    assert codes(result.warnings) == ["missing_measures"]
    assert result.rows.num_rows == 0


def test_warnings_alone_are_listed_as_the_full_message_query_lists_them(
    demo_catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Warnings write their own messages, so their report skips the query that writes errors'
    messages; both must give the same list, in the same order."""
    upload = raw(row(value="30000"), row(period="2024-04"),
                 ratio("shmi", numerator="9", denominator="10"))
    ctx = context(demo_catalogue, held=held(*history(STEADY)))
    quick = validate(upload, ctx)
    monkeypatch.setattr("ingest.validation.validator.statement",
                        lambda file, name: statement(file, name.replace("_written", "")))
    full = validate(upload, ctx)

    assert quick.ok and not quick.errors
    assert sorted(codes(quick.warnings)) == ["missing_measures", "missing_measures", "outlier"]
    assert quick.warnings == full.warnings
    assert quick.issue_counts == full.issue_counts


def test_a_large_upload_checked_in_parts_gets_the_same_outliers_as_in_one(
    demo_catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Uploads over validator.ROWS_PER_PART rows check outliers one part of their series at a
    time, to bound memory; the warnings must not depend on it."""
    already = held(*history(STEADY), *history([10.0, 11.0, 12.0] * 8, "pressure_ulcers"),
                   *history([0.9, 0.91, 0.92] * 4, "ae_4hr_performance"))
    upload = raw(row(value="30000"), row(measure_code="pressure_ulcers", value="11"),
                 row(measure_code="pressure_ulcers", value="40", period="2024-04"),
                 ratio(numerator="500", denominator="1000"), row(value="12050"))
    whole = validate(upload, context(demo_catalogue, held=already))
    monkeypatch.setattr("ingest.validation.validator.ROWS_PER_PART", 1)
    parted = validate(upload, context(demo_catalogue, held=already))

    assert sorted(issue.row for issue in whole.warnings if issue.code == "outlier") == [2, 4, 5]
    assert parted.warnings == whole.warnings
    assert parted.issue_counts == whole.issue_counts
