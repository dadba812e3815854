"""XLSX uploads: the chosen sheet, typed cells as text, and sheets too big to load."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
import xlsxwriter

from ingest.parsing import parse_upload
from ingest.parsing.raw_table import cell_text
from ingest.returns.columns import INPUT_COLUMNS
from ingest.returns.issues import Issue, UploadRejected

Fill = Callable[[Any, Any], None]


def _workbook(*sheets: tuple[str, Fill]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    for name, fill in sheets:
        fill(book, book.add_worksheet(name))
    book.close()
    return out.getvalue()


def _rows(*rows: list[Any]) -> Fill:
    def fill(book: Any, sheet: Any) -> None:
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
    return fill


def _refused(data: bytes, **options: Any) -> list[Issue]:
    with pytest.raises(UploadRejected) as refused:
        parse_upload(data, **options)
    return refused.value.issues


def test_the_named_sheet_is_read_and_the_first_by_default() -> None:
    data = _workbook(
        ("notes", _rows(["measure_code", "period", "value"], ["first", "2024-03", 1])),
        ("return", _rows(["measure_code", "period", "value"], ["second", "2024-03", 2])),
    )
    assert parse_upload(data).column("measure_code").to_pylist() == ["first"]
    assert parse_upload(data, sheet="return").column("measure_code").to_pylist() == ["second"]


def test_header_problems_are_reported_as_for_csv() -> None:
    data = _workbook(("return", _rows(
        ["Measure_Code", "period", "valeu", "", "comment"], ["m", "2024-03", 1, "stray", "x"])))
    assert [(i.row, i.column, i.code) for i in _refused(data)] == [
        (1, "valeu", "unknown_column"), (1, "value", "missing_column"),
        (1, None, "unnamed_column"),
    ]


def test_an_empty_sheet_is_an_empty_file() -> None:
    data = _workbook(("return", _rows()))
    assert [i.code for i in _refused(data)] == ["empty_file"]


def test_a_stray_far_cell_is_refused_before_the_sheet_is_loaded() -> None:
    def fill(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, INPUT_COLUMNS)
        sheet.write(1_000_000, 20, "stray")

    assert [i.code for i in _refused(_workbook(("return", fill)))] == ["too_many_cells"]


@pytest.mark.parametrize(("value", "is_period", "text"), [
    (0.1, False, "0.1"),
    (5.0, False, "5"),
    (-0.0, False, "-0"),
    (123456789.0, False, "123456789"),
    (2.0**53, False, "9.007199254740992e+15"),
    (0.30000000000000004, False, "0.30000000000000004"),
    (1e308, False, "1e+308"),
    (7, False, "7"),
    (False, False, "false"),
    (dt.date(2024, 3, 1), True, "2024-03"),
    (dt.date(2024, 3, 1), False, "2024-03-01"),
    (dt.date(2024, 3, 2), True, "2024-03-02"),
    (dt.datetime(2024, 3, 1), True, "2024-03"),
    (dt.datetime(2024, 3, 1, 12, 5), True, "2024-03-01 12:05:00"),
    (dt.time(9, 30), False, "09:30:00"),
    (None, False, None),
])
def test_cell_values_become_the_text_a_person_would_read(
    value: Any, is_period: bool, text: str | None,
) -> None:
    assert cell_text(value, is_period) == text


def test_formatted_but_empty_far_cells_do_not_count_as_used() -> None:
    def fill(book: Any, sheet: Any) -> None:
        sheet.write_row(0, 0, INPUT_COLUMNS)
        sheet.write_row(1, 0, ["RAA", "ae_attendances", "2024-03", 10000])
        sheet.write_blank(1_048_575, 16_383, None, book.add_format({"bold": True}))

    assert parse_upload(_workbook(("return", fill))).num_rows == 1
