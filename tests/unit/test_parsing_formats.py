"""Good but unusual uploads parse into exactly the rows a person sees in their spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.parsing import parse_upload
from ingest.returns.columns import INPUT_COLUMNS, RAW_SCHEMA

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "bad_uploads" / "good"


def _parse(name: str) -> list[dict[str, Any]]:
    table = parse_upload((GOOD / name).read_bytes(), filename=name)
    assert table.schema == RAW_SCHEMA
    return table.to_pylist()


def _row(row: int, **cells: str | None) -> dict[str, Any]:
    return {"row": row, **dict.fromkeys(INPUT_COLUMNS), **cells}


A_AND_E = {"org_code": "RAA", "period": "2024-03"}
TWO_ROWS = [
    _row(2, measure_code="ae_4hr_performance", numerator="9120", denominator="10000", **A_AND_E),
    _row(3, measure_code="ae_attendances", value="10000", **A_AND_E),
]


@pytest.mark.parametrize("name", [
    "bom_crlf.csv", "semicolon.csv", "trailing_empty_lines.csv", "uppercase_headers.csv",
])
def test_csv_variants_give_the_same_rows(name: str) -> None:
    assert _parse(name) == TWO_ROWS


def test_quoted_fields_keep_commas_quotes_and_line_breaks() -> None:
    rows = _parse("quoted_fields.csv")
    assert [row["comment"] for row in rows] == [
        "counted, then re-counted", "line one\nline two", 'say "hi"',
    ]
    assert [row["row"] for row in rows] == [2, 3, 4]  # a quoted line break stays in its row


def test_blank_rows_keep_their_numbers_and_are_dropped() -> None:
    assert [(row["row"], row["period"]) for row in _parse("blank_row_in_middle.csv")] == [
        (2, "2024-03"), (5, "2024-04"),
    ]


def test_old_mac_line_ends_are_rows() -> None:
    assert [row["value"] for row in _parse("old_mac_line_ends.csv")] == ["10000", "9800"]


def test_columns_in_any_order_and_missing_optional_ones_are_null() -> None:
    assert _parse("reordered_columns.csv") == [TWO_ROWS[0]]


def test_cells_are_trimmed_and_whitespace_only_cells_are_null() -> None:
    assert _parse("padded_cells.csv") == [{**TWO_ROWS[1], "row": 2}]


def test_xlsx_numbers_and_dates_become_text_without_losing_precision() -> None:
    rows = _parse("numbers_and_dates.xlsx")
    assert rows == [
        _row(2, org_code="RAA", measure_code="ae_4hr_performance", period="2024-03",
             numerator="9120", denominator="10000"),
        _row(3, org_code="RAA", measure_code="ae_attendances", period="2024-04", value="10000",
             comment="typed as text period"),
        # row 4 is empty in the sheet: dropped, but the rows after it keep their numbers
        _row(5, org_code="RAA", measure_code="ae_4hr_performance",
             period="2024-05-15 09:30:00", value="0.1", numerator="-0", denominator="1e+308",
             comment="true"),
        _row(6, org_code="RAA", measure_code="ae_attendances", period="2024-06", value="10000",
             numerator="1.234567890123457e+17", denominator="0.3", comment="padded"),
    ]


def test_json_file_rows_are_numbered_like_a_spreadsheet() -> None:
    rows = _parse("valid.json")
    assert rows == [
        _row(2, org_code="RAA", measure_code="ae_attendances", period="2024-03", value="10000"),
        _row(3, org_code="RAA", measure_code="ae_4hr_performance", period="2024-03",
             numerator="9120", denominator="10000.0"),
    ]


def test_xlsx_is_recognised_by_content_whatever_its_name() -> None:
    data = (GOOD / "numbers_and_dates.xlsx").read_bytes()
    table = parse_upload(data, filename="upload.csv", content_type="text/csv")
    assert table.num_rows == 4


def test_csv_sent_as_ms_excel_content_type_is_still_csv() -> None:
    data = (GOOD / "bom_crlf.csv").read_bytes()
    assert parse_upload(data, content_type="application/vnd.ms-excel").to_pylist() == TWO_ROWS
