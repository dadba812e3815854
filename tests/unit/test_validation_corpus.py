"""Every case in tests/fixtures/bad_uploads/validation_cases.toml is reported as described."""

from __future__ import annotations

import io
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from ingest.catalogue.model import Catalogue
from ingest.returns.columns import INPUT_COLUMNS, RAW_SCHEMA
from ingest.validation import validate
from tests.unit.test_validation_support import context

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "bad_uploads" / "validation_cases.toml"
AS_OF = date(2024, 6, 15)


def csv_to_raw(text: str) -> pa.Table:
    """Test-only stand-in for the parser: every cell as text, only empty cells as null."""
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in INPUT_COLUMNS},
        null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=False,
    )
    table = pacsv.read_csv(io.BytesIO(text.strip().encode()), convert_options=options)
    columns: dict[str, Any] = {"row": pa.array(range(2, table.num_rows + 2), pa.int64())}
    for name in INPUT_COLUMNS:
        present = name in table.column_names
        columns[name] = table[name] if present else pa.nulls(table.num_rows, pa.string())
    return pa.table(columns, schema=RAW_SCHEMA)


def _cases() -> list[Any]:
    cases = tomllib.loads(CASES.read_text(encoding="utf-8"))["case"]
    return [pytest.param(case, id=case["name"]) for case in cases]


def test_the_corpus_covers_the_row_level_rules() -> None:
    codes = {case.values[0]["expect_code"] for case in _cases()}
    assert len(_cases()) >= 15
    assert {"not_finite", "out_of_range", "formula_cell", "bad_period", "duplicate_row",
            "numerator_exceeds_denominator", "value_mismatch", "negative_count",
            "unknown_measure", "future_period", "locked_period", ""} <= codes


def test_csv_helper_keeps_nan_and_na_as_text() -> None:
    table = csv_to_raw("org_code,value,comment\nR0A,NaN,n/a\n,,\n")
    assert table["value"].to_pylist() == ["NaN", None]
    assert table["comment"].to_pylist() == ["n/a", None]
    assert table["row"].to_pylist() == [2, 3]


@pytest.mark.parametrize("case", _cases())
def test_validation_case_is_reported_as_described(
    demo_catalogue: Catalogue, case: dict[str, Any]
) -> None:
    result = validate(csv_to_raw(case["csv"]), context(demo_catalogue, today=AS_OF))
    if not case["expect_code"]:
        assert result.errors == [], case.get("note")
        assert result.rows.num_rows > 0
        return
    matching = [issue for issue in result.errors if issue.code == case["expect_code"]]
    assert matching, f"no {case['expect_code']} among {result.errors}"
    assert [(i.row, i.column or "") for i in matching] == [
        (case["expect_row"], case["expect_column"])
    ]
    assert case["message_contains"] in matching[0].message, matching[0].message
    assert result.rows.num_rows == 0
