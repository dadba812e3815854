"""What validate() hands back: every problem at once, bounded reports, the diff, the summary."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ingest.catalogue.model import Catalogue
from ingest.returns.issues import FILE_ROW
from ingest.validation import validate, validation_summary
from ingest.validation.contracts import CHECKED_SCHEMA
from ingest.validation.validator import MORE_ISSUES
from tests.unit.test_validation_support import (
    LOCKED,
    OPEN,
    context,
    first_day,
    held,
    keys,
    ratio,
    raw,
    row,
)


def test_every_problem_in_a_file_is_reported_at_once(demo_catalogue: Catalogue) -> None:
    upload = raw(
        row(org_code=None),                                         # 2
        row(org_code="RXT", measure_code="pressure_ulcers"),        # 3
        row(measure_code="ae_attendence"),                          # 4
        row(period="03/2024", measure_code="shmi", value=None,
            numerator="1", denominator="1"),                        # 5
        row(period="2024-07", measure_code="cost_per_wau"),         # 6
        row(period=LOCKED, measure_code="length_of_stay_mean", value="5"),  # 7
        row(value="12,5", measure_code="staff_engagement_score"),   # 8
        row(value="NaN", measure_code="length_of_stay_mean"),       # 9
        ratio(value="95", numerator="95", denominator="100"),       # 10
        row(measure_code="pressure_ulcers", value="-1", org_code="RTX"),  # 11
        ratio("ae_admission_share", numerator="20", denominator="0"),     # 12
        ratio("rtt_18wk_performance", numerator="30", denominator="20"),  # 13
        ratio("diagnostic_6wk_wait", value="0.5", numerator=None),        # 14
        ratio("cancer_62day_performance", value="0.5"),             # 15
        row(comment="=HYPERLINK(\"http://x\",\"click\")",
            measure_code="patient_falls_rate", value=None,
            numerator="1", denominator="100"),                      # 16
        row(org_code="RTX", measure_code="pressure_ulcers", value="2"),   # 17: repeats 11
    )
    result = validate(upload, context(demo_catalogue))
    assert keys(result.errors) == [
        (2, "org_code", "missing_org"),
        (3, "org_code", "unknown_member"),
        (4, "measure_code", "unknown_measure"),
        (5, "period", "bad_period"),
        (6, "period", "future_period"),
        (7, "period", "locked_period"),
        (8, "value", "not_a_number"),
        (9, "value", "not_finite"),
        (10, "value", "out_of_range"),
        (11, "value", "negative_count"),
        (12, "denominator", "zero_denominator"),
        (13, "numerator", "numerator_exceeds_denominator"),
        (14, "numerator", "missing_numerator"),
        (15, "value", "value_mismatch"),
        (16, "comment", "formula_cell"),
        (17, None, "duplicate_row"),
    ]
    assert result.rows.num_rows == 0
    assert all(issue.severity == "error" for issue in result.errors)


def test_issues_say_which_member_measure_and_month_they_are_about(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(row(value="n/a"), row(period="Mar 2024")), context(demo_catalogue))
    first, second = result.errors
    assert (first.org_code, first.measure_code, first.period) == ("R0A", "ae_attendances", OPEN)
    assert (second.org_code, second.measure_code, second.period) == ("R0A", "ae_attendances",
                                                                     None)


def test_rows_are_new_changed_or_unchanged_against_what_is_held(
    demo_catalogue: Catalogue,
) -> None:
    already = held(
        ("R0A", "ae_attendances", OPEN, 12000.0, None, None),
        ("R0A", "pressure_ulcers", OPEN, 4.0, None, None),
        ("R0A", "ae_4hr_performance", OPEN, 0.95, 950.0, 1000.0),
        ("R0A", "shmi", OPEN, 1.0, 100.0, 100.0),
    )
    upload = raw(
        row(),                                                  # same value: unchanged
        row(measure_code="pressure_ulcers", value="5"),         # changed
        ratio(),                                                # same parts: unchanged
        ratio("shmi", numerator="101", denominator="101"),      # same value, new parts: changed
        row(measure_code="length_of_stay_mean", value="4.5", comment="first time"),  # new
    )
    result = validate(upload, context(demo_catalogue, held=already))
    assert result.errors == []
    assert result.rows.schema == CHECKED_SCHEMA
    assert result.rows.select(["row", "change", "value", "previous_value"]).to_pylist() == [
        {"row": 2, "change": "unchanged", "value": 12000.0, "previous_value": 12000.0},
        {"row": 3, "change": "changed", "value": 5.0, "previous_value": 4.0},
        {"row": 4, "change": "unchanged", "value": 0.95, "previous_value": 0.95},
        {"row": 5, "change": "changed", "value": 1.0, "previous_value": 1.0},
        {"row": 6, "change": "new", "value": 4.5, "previous_value": None},
    ]
    shmi = result.rows.slice(3, 1).to_pylist()[0]
    assert (shmi["previous_numerator"], shmi["previous_denominator"]) == (100.0, 100.0)
    assert result.rows["period"].to_pylist() == [first_day(OPEN)] * 5
    assert result.rows["comment"].to_pylist()[-1] == "first time"


def test_a_long_list_is_cut_with_an_issue_saying_how_many_more(
    demo_catalogue: Catalogue,
) -> None:
    upload = raw(*[row(value="n/a", measure_code=code) for code in
                   ("ae_attendances", "pressure_ulcers", "cost_per_wau", "length_of_stay_mean",
                    "staff_engagement_score")])
    result = validate(upload, context(demo_catalogue), max_per_code=2)
    assert keys(result.errors) == [(2, "value", "not_a_number"), (3, "value", "not_a_number"),
                                   (FILE_ROW, None, MORE_ISSUES)]
    assert result.errors[-1].message.startswith(
        "3 more 'not_a_number' problems are not listed (5 in all; only the first 2 are shown)")
    assert result.issue_counts["not_a_number"] == 5


def test_summary_counts_every_issue_found_by_code_and_severity(
    demo_catalogue: Catalogue,
) -> None:
    upload = raw(*[row(value="n/a", measure_code=code) for code in
                   ("ae_attendances", "pressure_ulcers", "cost_per_wau")], row(period="2030-01"))
    summary = validation_summary(validate(upload, context(demo_catalogue), max_per_code=2))
    assert summary == {
        "ok": False, "rows": 0, "errors": 4, "warnings": 1,
        "by_code": {
            "future_period": {"severity": "error", "count": 1, "listed": 1},
            "not_a_number": {"severity": "error", "count": 3, "listed": 2},
            "missing_measures": {"severity": "warning", "count": 1, "listed": 1},
        },
    }


def test_an_upload_without_rows_is_refused(demo_catalogue: Catalogue) -> None:
    result = validate(raw(), context(demo_catalogue))
    assert keys(result.errors) == [(FILE_ROW, None, "no_rows")]


def test_a_table_missing_a_raw_column_is_a_caller_bug(demo_catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="comment"):
        validate(raw(row()).drop_columns(["comment"]), context(demo_catalogue))


def test_validation_leaves_its_inputs_untouched(demo_catalogue: Catalogue) -> None:
    upload = raw(row(value=" 5 "))
    before = pa.table(upload.columns, schema=upload.schema)
    validate(upload, context(demo_catalogue))
    assert upload.equals(before)


def test_validations_running_at_once_each_see_only_their_own_upload(
    demo_catalogue: Catalogue,
) -> None:
    """Uploads share one in-memory database for its macros; their tables must not mix."""
    from concurrent.futures import ThreadPoolExecutor

    uploads = [raw(row(value=str(12000 + n * 100))) for n in range(6)]
    uploads += [raw(row(value="12,5"), row(org_code="NOPE")) for _ in range(6)]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda u: validate(u, context(demo_catalogue)), uploads * 3))

    for index, result in enumerate(results):
        if index % 12 < 6:
            assert result.ok
            assert result.rows.column("value").to_pylist() == [12000 + (index % 12) * 100]
        else:
            assert sorted(e.code for e in result.errors) == ["not_a_number", "unknown_member"]
