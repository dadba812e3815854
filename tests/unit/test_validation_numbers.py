"""Validation of the figures: readable, finite, in range, and consistent for ratio kinds."""

from __future__ import annotations

import pytest

from ingest.catalogue.model import Catalogue
from ingest.validation import validate
from tests.unit.test_validation_support import context, keys, only, ratio, raw, row


@pytest.mark.parametrize(("given", "hint"), [
    ("12,5", "use a decimal point, not a comma: 12.5"),
    ("1,234", "write 1234 for a whole number (no thousands separators) or 1.234 for a decimal"),
    ("1 234", "remove the thousands separators: 1234"),
    ("1.234.567", "use a decimal point and no thousands separators: 1234567"),
    ("n/a", "leave the cell empty rather than writing 'n/a'"),
    ("#DIV/0!", "the cell holds a spreadsheet error"),
    ("£1,234", "remove the currency sign: 1234"),
    ("twelve", "give a plain number with a decimal point"),
    ("1_000", "give a plain number"),
])
def test_unreadable_value_is_not_a_number_with_a_hint(
    demo_catalogue: Catalogue, given: str, hint: str
) -> None:
    result = validate(raw(row(value=given)), context(demo_catalogue))
    issue = only(result.errors, "not_a_number")
    assert (issue.row, issue.column) == (2, "value")
    assert f"value '{given}' is not a number: " in issue.message
    assert hint in issue.message


def test_a_percentage_for_a_proportion_is_turned_into_the_fraction_meant(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(ratio(value="95%")), context(demo_catalogue))
    issue = only(result.errors, "not_a_number")
    assert "give a fraction without the % sign (95% is 0.95)" in issue.message


@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_ratio_parts_must_be_numbers_too(demo_catalogue: Catalogue, column: str) -> None:
    result = validate(raw(ratio(**{column: "12,5"})), context(demo_catalogue))
    assert keys(result.errors) == [(2, column, "not_a_number")]


@pytest.mark.parametrize("given", ["NaN", "nan", "inf", "-inf", "+Infinity", "INF", "1e999",
                                   "-1E999"])
def test_nan_and_infinities_are_not_finite(demo_catalogue: Catalogue, given: str) -> None:
    result = validate(raw(row(value=given)), context(demo_catalogue))
    issue = only(result.errors, "not_finite")
    assert (issue.row, issue.column) == (2, "value")
    assert f"value '{given}' is not a finite number" in issue.message


def test_proportion_outside_zero_to_one_is_out_of_range_with_the_fraction_hint(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(ratio(value="1.7", numerator="17", denominator="10")),
                      context(demo_catalogue))
    issue = only(result.errors, "out_of_range")
    assert (issue.row, issue.column) == (2, "value")
    assert issue.message == (
        "value '1.7' is outside the valid range 0 to 1 for ae_4hr_performance (a proportion: "
        "give a fraction such as 0.95, not a percentage)"
    )


def test_a_huge_finite_number_in_a_proportion_is_out_of_range(demo_catalogue: Catalogue) -> None:
    result = validate(raw(ratio(value="1e308")), context(demo_catalogue))
    assert keys(result.errors) == [(2, "value", "out_of_range")]


def test_a_derived_value_outside_the_range_is_out_of_range(demo_catalogue: Catalogue) -> None:
    result = validate(raw(ratio(measure="shmi", numerator="70", denominator="10")),
                      context(demo_catalogue))
    issue = only(result.errors, "out_of_range")
    assert issue.message == (
        "the value calculated from numerator / denominator (7) is outside the valid range "
        "0 to 5 for shmi: check the numerator and denominator"
    )


def test_a_mean_above_its_maximum_is_out_of_range(demo_catalogue: Catalogue) -> None:
    issue = only(validate(raw(row(measure_code="length_of_stay_mean", value="400")),
                          context(demo_catalogue)).errors, "out_of_range")
    assert "value '400' is outside the valid range 0 to 365 for length_of_stay_mean" in (
        issue.message)


def test_a_negative_count_is_negative_count_not_out_of_range(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(measure_code="pressure_ulcers", value="-3")),
                      context(demo_catalogue))
    assert keys(result.errors) == [(2, "value", "negative_count")]
    assert "pressure_ulcers is a count and cannot be below 0" in result.errors[0].message


@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_a_negative_part_of_a_ratio_is_negative_count(demo_catalogue: Catalogue,
                                                      column: str) -> None:
    result = validate(raw(ratio(**{column: "-5"})), context(demo_catalogue))
    issue = only(result.errors, "negative_count")
    assert (issue.row, issue.column) == (2, column)
    assert f"{column} '-5' (" in issue.message


def test_numerator_above_denominator_in_a_proportion_is_refused(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(ratio(numerator="1200", denominator="1000")), context(demo_catalogue))
    assert keys(result.errors) == [(2, "numerator", "numerator_exceeds_denominator")]
    assert ("numerator 1200 (Attendances seen within 4 hours) is greater than the denominator "
            "1000 (A&E attendances)") in result.errors[0].message


def test_numerator_above_denominator_is_fine_for_a_ratio(demo_catalogue: Catalogue) -> None:
    result = validate(raw(ratio(measure="shmi", numerator="110", denominator="100")),
                      context(demo_catalogue))
    assert result.errors == []
    assert result.rows["value"].to_pylist() == [pytest.approx(1.1)]


@pytest.mark.parametrize("zero", ["0", "0.0", "-0"])
def test_a_zero_denominator_is_refused(demo_catalogue: Catalogue, zero: str) -> None:
    result = validate(raw(ratio(numerator="0", denominator=zero)), context(demo_catalogue))
    assert keys(result.errors) == [(2, "denominator", "zero_denominator")]
    assert "denominator (A&E attendances) is 0" in result.errors[0].message


@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_a_ratio_kind_needs_both_parts(demo_catalogue: Catalogue, column: str) -> None:
    result = validate(raw(ratio(value="0.95", **{column: None})), context(demo_catalogue))
    issue = only(result.errors, f"missing_{column}")
    assert (issue.row, issue.column) == (2, column)
    assert "(Attendances seen within 4 hours) and the denominator (A&E attendances)" in (
        issue.message)


def test_a_count_needs_a_value(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(value="")), context(demo_catalogue))
    assert keys(result.errors) == [(2, "value", "missing_value")]
    assert "ae_attendances is a count measure and needs a value" in result.errors[0].message


def test_a_given_value_must_match_numerator_over_denominator(demo_catalogue: Catalogue) -> None:
    result = validate(raw(ratio(value="0.9")), context(demo_catalogue))
    issue = only(result.errors, "value_mismatch")
    assert (issue.row, issue.column) == (2, "value")
    assert "value '0.9' does not match numerator / denominator = 950 / 1000 = 0.95" in (
        issue.message)


def test_a_rate_is_checked_with_its_multiplier(demo_catalogue: Catalogue) -> None:
    result = validate(raw(ratio(measure="c_difficile_rate", value="3", numerator="3",
                                denominator="45000")), context(demo_catalogue))
    issue = only(result.errors, "value_mismatch")
    assert "× 10000 = 3 / 45000 × 10000 = 0.666667" in issue.message


def test_a_rounded_value_within_tolerance_is_accepted_and_the_exact_one_stored(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(ratio(value="0.667", numerator="2", denominator="3")),
                      context(demo_catalogue))
    assert result.errors == []
    assert result.rows["value"].to_pylist() == [2 / 3]


def test_the_value_of_a_ratio_kind_is_derived_when_not_given(demo_catalogue: Catalogue) -> None:
    result = validate(raw(ratio(measure="c_difficile_rate", numerator="3", denominator="45000")),
                      context(demo_catalogue))
    assert result.errors == []
    assert result.rows["value"].to_pylist() == [pytest.approx(3 / 45000 * 10000)]
    assert result.rows["numerator"].to_pylist() == [3.0]


@pytest.mark.parametrize("zero", ["-0", "-0.0", "-0e3"])
def test_negative_zero_is_a_valid_zero(demo_catalogue: Catalogue, zero: str) -> None:
    result = validate(raw(row(measure_code="pressure_ulcers", value=zero),
                          ratio(numerator=zero)), context(demo_catalogue))
    assert result.errors == []
    values = result.rows["value"].to_pylist() + result.rows["numerator"].to_pylist()[1:]
    assert values == [0.0, 0.0, 0.0]
    assert all(str(v) == "0.0" for v in values)  # not -0.0


@pytest.mark.parametrize("given", ["1e3", "+5", ".5", "5.", "0.95E0"])
def test_plain_decimal_and_exponent_forms_are_numbers(demo_catalogue: Catalogue,
                                                      given: str) -> None:
    result = validate(raw(row(measure_code="length_of_stay_mean", value=given)),
                      context(demo_catalogue))
    assert [e for e in result.errors if e.code == "not_a_number"] == []
