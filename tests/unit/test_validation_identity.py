"""Validation of who and what a row is for: member, measure, duplicates, formula cells."""

from __future__ import annotations

import pytest

from ingest.catalogue.model import Catalogue
from ingest.validation import validate
from tests.unit.test_validation_support import context, keys, only, ratio, raw, row


def test_a_valid_row_is_accepted(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row()), context(demo_catalogue))
    assert result.ok and result.errors == []
    assert result.rows["org_code"].to_pylist() == ["R0A"]


def test_missing_org_is_an_error_without_a_bound_member(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(org_code=None)), context(demo_catalogue))
    issue = only(result.errors, "missing_org")
    assert (issue.row, issue.column) == (2, "org_code")
    assert "give the code of the member" in issue.message
    assert result.rows.num_rows == 0


def test_bound_member_fills_an_empty_org_code(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(org_code=None), row(org_code="", measure_code="pressure_ulcers",
                                                  value="3")),
                      context(demo_catalogue, on_behalf_of="RTX"))
    assert result.errors == []
    assert result.rows["org_code"].to_pylist() == ["RTX", "RTX"]


def test_row_for_another_member_than_the_bound_one_is_wrong_member(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(row(org_code="RTX"), row(org_code="R0A", measure_code="pressure_ulcers")),
                      context(demo_catalogue, on_behalf_of="RTX"))
    issue = only(result.errors, "wrong_member")
    assert (issue.row, issue.column) == (3, "org_code")
    assert "'R0A' is not the member this upload is for (RTX)" in issue.message


def test_unknown_member_suggests_the_closest_codes(demo_catalogue: Catalogue) -> None:
    upload = raw(row(org_code="R0B"), row(org_code="8J94", measure_code="pressure_ulcers"))
    result = validate(upload, context(demo_catalogue))
    assert keys(result.errors) == [(2, "org_code", "unknown_member"),
                                   (3, "org_code", "unknown_member")]
    first, second = result.errors
    assert "'R0B' is not a member of this alliance; did you mean 'R0A'" in first.message
    assert second.message.endswith("did you mean '8J094'?")


def test_a_swapped_pair_of_letters_is_suggested_first(demo_catalogue: Catalogue) -> None:
    issue = only(validate(raw(row(org_code="RXT")), context(demo_catalogue)).errors,
                 "unknown_member")
    assert "did you mean 'RTX'," in issue.message


def test_a_wild_member_code_gets_no_guess(demo_catalogue: Catalogue) -> None:
    issue = only(validate(raw(row(org_code="Hospital A")), context(demo_catalogue)).errors,
                 "unknown_member")
    assert "did you mean" not in issue.message
    assert "member list" in issue.message


def test_unknown_measure_suggests_the_closest_code(demo_catalogue: Catalogue) -> None:
    result = validate(raw(ratio(measure="ae_4hr_perfomance")), context(demo_catalogue))
    issue = only(result.errors, "unknown_measure")
    assert (issue.row, issue.column) == (2, "measure_code")
    assert issue.message == (
        "measure_code 'ae_4hr_perfomance' is not in the alliance's KPI catalogue; "
        "did you mean 'ae_4hr_performance'?"
    )


def test_measure_code_in_capitals_is_unknown_but_the_fix_is_named(
    demo_catalogue: Catalogue,
) -> None:
    issue = only(validate(raw(row(measure_code="AE_ATTENDANCES")),
                          context(demo_catalogue)).errors, "unknown_measure")
    assert "did you mean 'ae_attendances'?" in issue.message


def test_empty_measure_code_is_missing_measure(demo_catalogue: Catalogue) -> None:
    issue = only(validate(raw(row(measure_code="")), context(demo_catalogue)).errors,
                 "missing_measure")
    assert (issue.row, issue.column) == (2, "measure_code")


def test_cells_padded_with_spaces_are_read_trimmed(demo_catalogue: Catalogue) -> None:
    from ingest.parsing import parse_upload

    padded = ("org_code,measure_code,period,value\n"
              " R0A\u00a0,\tae_attendances , 2024-05, 12000 \n").encode()
    result = validate(parse_upload(padded, filename="padded.csv"), context(demo_catalogue))
    assert result.errors == []
    assert result.rows.select(["org_code", "measure_code", "value"]).to_pylist() == [
        {"org_code": "R0A", "measure_code": "ae_attendances", "value": 12000.0}
    ]


def test_each_later_duplicate_names_the_first_row(demo_catalogue: Catalogue) -> None:
    upload = raw(row(), row(measure_code="shmi", value=None, numerator="9", denominator="10"),
                 row(value="12001"), row(value="12002"))
    result = validate(upload, context(demo_catalogue))
    assert keys(result.errors) == [(4, None, "duplicate_row"), (5, None, "duplicate_row")]
    assert all("R0A / ae_attendances / 2024-05 from row 2" in e.message for e in result.errors)


def test_rows_for_different_members_are_not_duplicates(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(), row(org_code="RTX")), context(demo_catalogue))
    assert result.errors == []


@pytest.mark.parametrize(("cells", "column"), [
    ({"comment": '=HYPERLINK("http://x","click")'}, "comment"),
    ({"org_code": "+R0A"}, "org_code"),
    ({"measure_code": "@SUM(A1)"}, "measure_code"),
    ({"value": "=1/2"}, "value"),
    ({"period": "=TODAY()"}, "period"),
])
def test_formula_cell_is_refused_and_reported_alone(
    demo_catalogue: Catalogue, cells: dict[str, str], column: str
) -> None:
    result = validate(raw(row(**cells)), context(demo_catalogue))
    assert keys(result.errors) == [(2, column, "formula_cell")]
    assert f"{column} '" in result.errors[0].message
    assert "spreadsheet would run it as a formula" in result.errors[0].message


def test_a_comment_may_start_with_a_minus_or_contain_an_equals_sign(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(row(comment="- see note: a=b")), context(demo_catalogue))
    assert result.errors == []
    assert result.rows["comment"].to_pylist() == ["- see note: a=b"]
