"""Assembles RAW_SCHEMA tables from text columns, and turns non-text cell values into text.

Every reader ends here so that the rules "trimmed, empty means null, every input column
present, blank rows dropped after numbering" hold for CSV, XLSX and JSON alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ingest.returns.columns import INPUT_COLUMNS, RAW_SCHEMA

TextColumn = pa.Array | pa.ChunkedArray
_NULL_TEXT = pa.scalar(None, pa.string())


# What Arrow's utf8_trim_whitespace trims (Unicode White_Space and the ASCII separators),
# plus the byte-order mark: one pass over each column instead of three.
_TRIMMED = (
    "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(code) for code in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def clean_text(column: TextColumn) -> TextColumn:
    """Trim surrounding whitespace and stray byte-order marks; a cell then empty becomes null.

    Validation relies on this: every parser ends here, so it need not trim again.
    """
    trimmed = pc.utf8_trim(column, characters=_TRIMMED)
    return pc.if_else(pc.equal(trimmed, ""), _NULL_TEXT, trimmed)


def has_text(column: TextColumn) -> bool:
    """Whether any cell holds something besides whitespace."""
    return bool(pc.any(pc.is_valid(clean_text(column))).as_py())


def spreadsheet_rows(count: int, first: int = 2) -> pa.Array:
    """Row numbers as a person sees them: the header is row 1, so data starts at row 2."""
    ones = pa.nulls(count, pa.int64()).fill_null(1)
    return pc.cumulative_sum(ones, start=first - 1)


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
    """Arrow text from cell values; text passes straight through, other values are converted.

    Numbers are formatted by Arrow in bulk (shortest text that reads back as the same float),
    which keeps a 100k-row sheet from paying for a Python call per numeric cell.
    """
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:
        return pa.array(values, pa.string())
    if kinds <= {str, float, int, type(None)}:
        blanks_as_null = [None if value == "" else value for value in values]
        try:
            return pa.array(blanks_as_null, pa.float64()).cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            pass  # text mixed in with the numbers: convert cell by cell below
    return pa.array(_mixed_texts(values, is_period), pa.string())


def _mixed_texts(values: Sequence[Any], is_period: bool) -> list[str | None]:
    texts = [
        value if type(value) in (str, float) else cell_text(value, is_period)
        for value in values
    ]
    floats = [index for index, value in enumerate(values) if type(value) is float]
    for index, text in zip(floats, number_texts([values[i] for i in floats]), strict=True):
        texts[index] = text
    return texts


def number_texts(numbers: list[float]) -> list[str]:
    """The shortest text that reads back as each float: 5.0 -> '5', 0.1 -> '0.1'."""
    return pa.array(numbers, pa.float64()).cast(pa.string()).to_pylist()


def cell_text(value: Any, is_period: bool = False) -> str | None:
    """Text a person would recognise as the value they entered, losing no precision.

    Floats use the shortest text that reads back as the same float, without the ``.0``
    spreadsheets add to whole numbers; a first-of-month date in the period column is the
    month it means; other dates are ISO text, which validation will question.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = number_texts([value])[0]
    elif isinstance(value, dt.datetime):
        text = _datetime_text(value, is_period)
    elif isinstance(value, dt.date):
        text = _date_text(value, is_period)
    else:  # int, time of day, and anything calamine may add: their own text is right
        text = str(value)
    return text


def _datetime_text(value: dt.datetime, is_period: bool) -> str:
    if value.time() == dt.time(0):
        return _date_text(value.date(), is_period)
    return value.isoformat(sep=" ")


def _date_text(value: dt.date, is_period: bool) -> str:
    if is_period and value.day == 1:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
