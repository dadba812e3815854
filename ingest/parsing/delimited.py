"""Reads CSV uploads with Arrow's vectorised reader into RAW_SCHEMA.

Row numbers follow the spreadsheet: every record, blank lines included, is one row, and a
quoted line break stays inside its record (Excel shows such a record as one row), so the
row number is the record's index plus 2. Blank rows are numbered and then dropped.
"""

from __future__ import annotations

import csv
import io
import threading

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ingest.parsing.delimiter import HeaderLine, not_utf8_issue, read_header_line
from ingest.parsing.header import HeaderLayout, read_header
from ingest.parsing.problems import MAX_CELLS, describe_column, file_issue, reject, reject_one
from ingest.parsing.raw_table import has_text, raw_table, spreadsheet_rows
from ingest.parsing.sniff import has_content
from ingest.returns.columns import INPUT_COLUMNS
from ingest.returns.issues import Issue


class _RaggedRows:
    """Arrow's invalid-row callback: counts rows with the wrong number of fields, skips them.

    Arrow does not say which record a bad row was, so when this fires the rows are located
    again with the csv module; that slower pass only runs for files that are rejected.
    """

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, row: pa_csv.InvalidRow) -> str:
        with self._lock:
            self.count += 1
        return "skip"


def read_delimited(data: bytes, max_columns: int) -> pa.Table:
    """RAW_SCHEMA rows of a CSV upload, or ``UploadRejected`` listing every problem found."""
    line = read_header_line(data)
    layout = read_header(line.names, max_columns)
    width = len(line.names)
    _refuse_too_many_cells(data, width)
    issues = list(layout.issues)
    try:
        table, ragged = _read_body(data, line, width)
    except pa.ArrowInvalid as error:
        reject([*issues, _arrow_issue(data, line, layout, error)])
    misshapen = []
    if ragged.count:
        misshapen = _ragged_issues(data[line.body_start:], line.delimiter, width)
    issues.extend(misshapen)
    issues.extend(_unnamed_columns(table, layout))
    columns = {name: table.column(position) for name, position in layout.positions().items()}
    raw = raw_table(columns, spreadsheet_rows(table.num_rows))
    if b'"' in data:  # only a quoted cell can hold a line break
        issues.extend(_swallowed_rows(raw, line.delimiter, width))
    if raw.num_rows == 0 and columns and not misshapen:  # no known column: header says it all
        issues.append(file_issue("no_rows", "the file has a header row but no data rows"))
    if issues:
        reject(issues)
    return raw


def _read_body(data: bytes, line: HeaderLine, width: int) -> tuple[pa.Table, _RaggedRows]:
    names = [f"c{position}" for position in range(width)]
    ragged = _RaggedRows()
    if not has_content(data, line.body_start):  # Arrow refuses an empty body: it is no rows
        return pa.table({name: pa.array([], pa.string()) for name in names}), ragged
    body = pa.py_buffer(data).slice(line.body_start)
    table = pa_csv.read_csv(
        pa.BufferReader(body),
        read_options=pa_csv.ReadOptions(column_names=names),
        parse_options=pa_csv.ParseOptions(
            delimiter=line.delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,  # a blank line is a spreadsheet row too
            invalid_row_handler=ragged,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        ),
    )
    return table, ragged


def _refuse_too_many_cells(data: bytes, width: int) -> None:
    """Counting line ends is cheap and bounds the cells before Arrow allocates them."""
    lines = max(data.count(b"\n"), data.count(b"\r"), 1)
    if lines * width > MAX_CELLS:
        reject_one(
            "too_many_cells",
            f"the file has about {lines:,} rows of {width} columns, more than "
            f"{MAX_CELLS:,} cells: split it into smaller files",
        )


def _arrow_issue(data: bytes, line: HeaderLine, layout: HeaderLayout, error: Exception) -> Issue:
    if "utf8" in str(error).lower():
        return _locate_bad_byte(data, line, layout)
    if "straddl" in str(error):  # a record bigger than Arrow's block: a runaway quoted cell
        return file_issue(
            "bad_csv", "a quoted cell runs on for more than 1 MB; a closing quote (\") is "
            "probably missing")
    return file_issue("bad_csv", f"the file could not be read as CSV: {error}")


def _locate_bad_byte(data: bytes, line: HeaderLine, layout: HeaderLayout) -> Issue:
    """The line and, where it can be told, the column of the first byte that is not UTF-8."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
    else:  # Arrow disagreed with Python; report without a position rather than guess
        return file_issue("not_utf8", "the file is not valid UTF-8")
    newline = b"\n" if b"\n" in data else b"\r"
    line_number = data.count(newline, 0, offset) + 1
    line_start = data.rfind(newline, 0, offset) + 1
    issue = not_utf8_issue(data, offset, line_number)
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    position = len(next(csv.reader([prefix], delimiter=line.delimiter), [""])) - 1
    if 0 <= position < len(layout.columns) and layout.columns[position]:
        return Issue(issue.row, layout.columns[position], issue.code, issue.message)
    return issue


def _ragged_issues(body: bytes, delimiter: str, width: int) -> list[Issue]:
    """Rows whose field count differs from the header's; trailing blank lines are forgiven."""
    text = body.decode("utf-8", errors="replace")
    found: list[tuple[int, int, bool]] = []
    last_filled = 0
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, fields in enumerate(records):
            blank = not "".join(fields).strip()
            if not blank:
                last_filled = index + 2
            if fields and len(fields) != width:
                found.append((index + 2, len(fields), blank))
    except csv.Error as error:
        return [file_issue("bad_row_shape", f"some rows could not be split into fields: {error}")]
    return [
        Issue(row, None, "bad_row_shape",
              f"row {row} has {count} fields but the header has {width}: look for a missing "
              f"or extra '{delimiter}' or an unclosed quote")
        for row, count, blank in found if not (blank and row > last_filled)
    ]


def _swallowed_rows(raw: pa.Table, delimiter: str, width: int) -> list[Issue]:
    """Cells whose line breaks run over what look like whole rows: an unclosed quote.

    A missing closing quote makes every following line part of one cell, silently losing
    those rows; a line inside a cell holding a full row's worth of delimiters betrays it.
    """
    if width < 3:
        return []
    pattern = "\n[^\n]*" + f"[{delimiter}][^\n]*" * (width - 1)
    issues = []
    for name in INPUT_COLUMNS:
        # A plain substring scan is far cheaper than the regex; most files have no line breaks.
        multiline = raw.filter(pc.match_substring(raw.column(name), "\n"))
        if multiline.num_rows == 0:
            continue
        suspicious = multiline.filter(pc.match_substring_regex(multiline.column(name), pattern))
        issues.extend(
            Issue(row, name, "unclosed_quote",
                  f"row {row}: the quoted {name} cell runs over lines that look like rows of "
                  "their own; a closing quote (\") is probably missing, so those rows would "
                  "be lost")
            for row in suspicious.column("row").to_pylist()
        )
    return issues


def _unnamed_columns(table: pa.Table, layout: HeaderLayout) -> list[Issue]:
    """A column with values but no header name would silently lose data; refuse it."""
    return [
        Issue(1, None, "unnamed_column",
              f"{describe_column(position)} has values but no name in the header row")
        for position in layout.blank_positions()
        if has_text(table.column(position))
    ]
