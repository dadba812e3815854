"""Assembles RAW_SCHEMA tables from text columns, and turns non-text cell values into text.

Every reader ends here so that the rules "trimmed, empty means null, every input column
present, blank rows dropped after numbering" hold for CSV, XLSX and JSON alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ingest.returns.columns import INPUT_COLUMNS, RAW_SCHEMA

TextColumn = pa.Array | pa.ChunkedArray
_NULL_TEXT = pa.scalar(None, pa.string())
_EXACT_INTEGER = 2**53  # beyond this a float no longer holds every integer exactly


def clean_text(column: TextColumn) -> TextColumn:
    """Trim surrounding whitespace; a cell that is then empty becomes null."""
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), _NULL_TEXT, trimmed)


def has_text(column: TextColumn) -> bool:
    """Whether any cell holds something besides whitespace."""
    return bool(pc.any(pc.is_valid(clean_text(column))).as_py())


def spreadsheet_rows(count: int, first: int = 2) -> pa.Array:
    """Row numbers as a person sees them: the header is row 1, so data starts at row 2."""
    return pa.array(range(first, first + count), pa.int64())


def raw_table(columns: Mapping[str, TextColumn], rows: pa.Array) -> pa.Table:
    """A RAW_SCHEMA table; missing columns are null and rows with no text at all are dropped.

    Blank rows are dropped only after numbering, so the numbers of the rows that remain still
    match the spreadsheet.
    """
    count = len(rows)
    arrays = [rows]
    for name in INPUT_COLUMNS:
        given = columns.get(name)
        arrays.append(pa.nulls(count, pa.string()) if given is None else clean_text(given))
    table = pa.Table.from_arrays(arrays, schema=RAW_SCHEMA)
    filled = [pc.is_valid(table.column(name)) for name in INPUT_COLUMNS]
    keep = filled[0]
    for mask in filled[1:]:
        keep = pc.or_(keep, mask)
    return table.filter(keep)


def text_column(values: Sequence[Any], *, is_period: bool = False) -> pa.Array:
    """Arrow text from cell values; text passes straight through, other values are converted."""
    if set(map(type, values)) <= {str, type(None)}:
        return pa.array(values, pa.string())
    return pa.array(_texts(values, is_period), pa.string())


def _texts(values: Iterable[Any], is_period: bool) -> list[str | None]:
    return [value if type(value) is str else cell_text(value, is_period) for value in values]


def cell_text(value: Any, is_period: bool = False) -> str | None:
    """Text a person would recognise as the value they entered, losing no precision.

    Floats use the shortest text that reads back as the same float (``repr``), and whole
    numbers drop the ``.0`` spreadsheets add; a first-of-month date in the period column is
    the month it means; other dates are ISO text, which validation will question.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = _float_text(value)
    elif isinstance(value, dt.datetime):
        text = _datetime_text(value, is_period)
    elif isinstance(value, dt.date):
        text = _date_text(value, is_period)
    else:  # int, time of day, and anything calamine may add: their own text is right
        text = str(value)
    return text


def _float_text(value: float) -> str:
    negative_zero = value == 0 and math.copysign(1.0, value) < 0
    if value.is_integer() and abs(value) < _EXACT_INTEGER and not negative_zero:
        return str(int(value))
    return repr(value)


def _datetime_text(value: dt.datetime, is_period: bool) -> str:
    if value.time() == dt.time(0):
        return _date_text(value.date(), is_period)
    return value.isoformat(sep=" ")


def _date_text(value: dt.date, is_period: bool) -> str:
    if is_period and value.day == 1:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
