"""Finds the header line of a CSV upload and which delimiter it uses.

Only comma and semicolon are accepted (semicolon is what Excel writes where the decimal mark
is a comma); the delimiter is the one that splits the header into known column names, so a
comment full of commas or semicolons cannot mislead the choice.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from typing import NoReturn

from ingest.parsing.header import canonical_name
from ingest.parsing.problems import HEADER_ROW, header_issue, reject
from ingest.parsing.sniff import SAVE_AS_UTF8
from ingest.returns.columns import INPUT_COLUMNS
from ingest.returns.issues import Issue

ACCEPTED = (",", ";")
REFUSED = {"\t": "tab", "|": "pipe (|)"}
_LINE_END = re.compile(rb"\r\n|\n|\r")


@dataclass(frozen=True)
class HeaderLine:
    """The header's cells, the delimiter, and where the data rows start in the bytes."""

    names: list[str]
    delimiter: str
    body_start: int


def read_header_line(data: bytes) -> HeaderLine:
    """Decode and split the first line; raises when it is not UTF-8 or uses a refused delimiter."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    found = _LINE_END.search(data, start)
    end, body_start = (found.start(), found.end()) if found else (len(data), len(data))
    try:
        line = data[start:end].decode("utf-8")
    except UnicodeDecodeError as error:
        reject([not_utf8_issue(data, start + error.start, HEADER_ROW, "in the header row")])
    delimiter = detect_delimiter(line)
    return HeaderLine(split_line(line, delimiter), delimiter, body_start)


def detect_delimiter(line: str) -> str:
    """Comma or semicolon, whichever finds more known names; a tab or pipe header is refused."""
    scores = {
        candidate: _known_names(split_line(line, candidate))
        for candidate in (*ACCEPTED, *REFUSED)
    }
    best = max(scores, key=lambda candidate: scores[candidate])  # ties keep comma first
    accepted_best = max(ACCEPTED, key=lambda candidate: scores[candidate])
    if best in REFUSED and scores[best] > scores[accepted_best]:
        _refuse(best)
    if scores[accepted_best] == 0:
        for candidate in REFUSED:
            if candidate in line and not any(mark in line for mark in ACCEPTED):
                _refuse(candidate)
    return accepted_best


def split_line(line: str, delimiter: str) -> list[str]:
    """The cells of one CSV line, honouring quotes."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def not_utf8_issue(data: bytes, offset: int, row: int, where: str = "") -> Issue:
    """Where the first undecodable byte is, and what to do about it."""
    place = f" {where}" if where else ""
    return Issue(
        row, None, "not_utf8",
        f"the file is not UTF-8: byte 0x{data[offset]:02X} at byte offset {offset} "
        f"(line {row}){place} cannot be read (the file may be saved as Windows-1252 or "
        f"Latin-1); {SAVE_AS_UTF8}",
    )


def _known_names(cells: list[str]) -> int:
    return sum(canonical_name(cell) in INPUT_COLUMNS for cell in cells)


def _refuse(delimiter: str) -> NoReturn:
    reject([header_issue(
        "bad_delimiter",
        f"the columns are separated by {REFUSED[delimiter]}; separate them with commas "
        "(or semicolons): save the sheet as 'CSV UTF-8 (Comma delimited)'",
    )])
