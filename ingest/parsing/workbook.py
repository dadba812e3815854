"""Reads XLSX uploads with calamine into RAW_SCHEMA.

Calamine hands back cached values for formula cells and Python numbers and dates for typed
cells; they become text here (see ``raw_table.cell_text``) so validation judges every format
the same way. The header must be row 1 of the sheet; empty rows keep their numbers and are
dropped, as in CSV.
"""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from ingest.parsing.header import HeaderLayout, read_header
from ingest.parsing.problems import MAX_CELLS, describe_column, file_issue, reject, reject_one
from ingest.parsing.raw_table import (
    cell_text,
    has_text,
    raw_table,
    spreadsheet_rows,
    text_column,
)
from ingest.parsing.sheet_extent import refuse_huge_sheet
from ingest.returns.issues import Issue


def read_workbook(data: bytes, *, sheet: str | None, max_columns: int) -> pa.Table:
    """RAW_SCHEMA rows of one sheet (``sheet`` or the first), or ``UploadRejected``."""
    worksheet = _open_sheet(data, sheet)
    if worksheet.end is None:
        reject_one("empty_file", f"sheet '{worksheet.name}' is empty")
    height, width = worksheet.end[0] + 1, worksheet.end[1] + 1
    if height * width > MAX_CELLS:
        reject_one(
            "too_many_cells",
            f"sheet '{worksheet.name}' spans {height:,} rows by {width:,} columns, more than "
            f"{MAX_CELLS:,} cells: delete unused rows and columns or split the file",
        )
    rows = _cells(worksheet)
    header = [_header_text(cell) for cell in rows[0]]
    layout = read_header(header, max_columns)
    columns = list(zip(*rows[1:], strict=True)) if len(rows) > 1 else [() for _ in header]
    issues = [*layout.issues, *_unnamed_columns(columns, layout)]
    named = {
        name: text_column(columns[position], is_period=name == "period")
        for name, position in layout.positions().items()
    }
    raw = raw_table(named, spreadsheet_rows(len(rows) - 1))
    if raw.num_rows == 0 and named:  # with no known column the header issues say it all
        issues.append(file_issue(
            "no_rows", f"sheet '{worksheet.name}' has a header row but no data rows"))
    if issues:
        reject(issues)
    return raw


def _open_sheet(data: bytes, sheet: str | None) -> CalamineSheet:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as error:
        reject_one("bad_xlsx", f"the file is not a readable .xlsx workbook ({error})")
    names = list(book.sheet_names)
    if not names:
        reject_one("bad_xlsx", "the workbook has no sheets")
    if sheet is not None and sheet not in names:
        listed = ", ".join(f"'{name}'" for name in names)
        reject_one("sheet_not_found", f"there is no sheet '{sheet}'; the workbook has {listed}")
    chosen = sheet if sheet is not None else names[0]
    refuse_huge_sheet(data, chosen)
    try:
        return book.get_sheet_by_name(chosen)
    except (CalamineError, ValueError) as error:
        reject_one("bad_xlsx", f"the sheet could not be read ({error})")


def _cells(worksheet: CalamineSheet) -> list[list[Any]]:
    try:
        # Not skipping the empty area keeps row 1 as the header and indexes as row numbers.
        return worksheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as error:
        reject_one("bad_xlsx", f"sheet '{worksheet.name}' could not be read ({error})")


def _header_text(cell: Any) -> str:
    return cell_text(cell) or ""


def _unnamed_columns(columns: list[tuple[Any, ...]], layout: HeaderLayout) -> list[Issue]:
    return [
        Issue(1, None, "unnamed_column",
              f"{describe_column(position)} has values but no name in the header row")
        for position in layout.blank_positions()
        if position < len(columns) and has_text(text_column(columns[position]))
    ]
