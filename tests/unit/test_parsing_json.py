"""JSON rows from the API body: numbers keep their precision, problems are all reported."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.parsing import parse_json_rows
from ingest.returns.columns import RAW_SCHEMA
from ingest.returns.issues import Issue, UploadRejected


def _refused(rows: Any) -> list[Issue]:
    with pytest.raises(UploadRejected) as refused:
        parse_json_rows(rows)
    return refused.value.issues


def test_numbers_become_the_text_that_reads_back_as_the_same_number() -> None:
    table = parse_json_rows([
        {"measure_code": "m", "period": "2024-03", "value": 0.1, "numerator": 9120,
         "denominator": 1e308, "comment": True},
        {"measure_code": "m", "period": "2024-04", "value": -0.0, "numerator": 10000.0,
         "denominator": float("nan")},
    ])
    assert table.schema == RAW_SCHEMA
    rows = table.to_pylist()
    assert [(r["value"], r["numerator"], r["denominator"]) for r in rows] == [
        ("0.1", "9120", "1e+308"), ("-0.0", "10000.0", "nan"),
    ]
    assert rows[0]["comment"] == "true"


def test_rows_are_numbered_from_two_and_blank_objects_are_dropped() -> None:
    table = parse_json_rows([{"measure_code": " m "}, {}, {"period": "2024-03", "value": ""}])
    assert table.to_pylist()[0] == {
        "row": 2, "org_code": None, "measure_code": "m", "period": None, "value": None,
        "numerator": None, "denominator": None, "comment": None,
    }
    assert table.column("row").to_pylist() == [2, 4]


def test_keys_match_case_insensitively_but_twice_is_refused() -> None:
    assert parse_json_rows([{" Measure_Code ": "m"}]).column("measure_code").to_pylist() == ["m"]
    issues = _refused([{"value": 1, "VALUE": 2}])
    assert [(i.row, i.column, i.code) for i in issues] == [(2, "value", "duplicate_column")]


def test_every_problem_is_reported_together() -> None:
    issues = _refused([
        {"measure_code": "m", "valeu": 1},
        "not a row",
        {"measure_code": ["m"], "valeu": 2, "comment": {"text": "x"}},
    ])
    assert sorted((i.row, i.column, i.code) for i in issues) == [
        (2, "valeu", "unknown_column"),
        (3, None, "not_an_object"),
        (4, "comment", "nested_value"),
        (4, "measure_code", "nested_value"),
    ]
    unknown = next(i for i in issues if i.code == "unknown_column")
    assert "in 2 rows from row 2; did you mean 'value'?" in unknown.message


@pytest.mark.parametrize(("body", "code"), [
    ({"rows": []}, "json_not_list"),
    ("measure_code", "json_not_list"),
    ([], "no_rows"),
])
def test_a_body_that_is_not_a_list_of_rows_is_refused(body: Any, code: str) -> None:
    assert [i.code for i in _refused(body)] == [code]


def test_a_flood_of_problems_is_capped_with_a_count_of_the_rest() -> None:
    issues = _refused([[1]] * 500)
    assert len(issues) == 201
    assert issues[-1].code == "too_many_issues"
    assert "300 more problems" in issues[-1].message
