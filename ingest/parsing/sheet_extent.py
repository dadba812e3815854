"""Bounds a worksheet's area from its XML before calamine loads it.

Calamine holds a sheet as a dense grid from A1 to the last cell with a value, so one stray
value at XFD1048576 in a 5 KB file would need hundreds of gigabytes. The sheet XML is
streamed and its row and cell references read to refuse such sheets first. Producers always
write those references; a file crafted without them is a known residual risk.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from io import BytesIO

from ingest.parsing.problems import MAX_CELLS, reject_one

_CHUNK = 1 << 20
_MAX_XML_BYTES = 2 << 30  # a 10-million-cell sheet is well under this; more is a zip bomb
_ROW = re.compile(rb'<row r="(\d{1,7})"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d')  # columns past Z; rare, so few matches
# A cell with content: not self-closing (formatted empty cells are ``<c r="B2" s="1"/>``).
_FILLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>')
_SINGLE_LETTER_COLUMNS = 26


def refuse_huge_sheet(data: bytes, sheet: str) -> None:
    """Raise ``too_many_cells`` when the sheet's cells would span more than MAX_CELLS."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = _sheet_members(archive, sheet)
        for member in members:
            _check_member(archive, member, sheet)
    except (zipfile.BadZipFile, ET.ParseError, KeyError, OSError, EOFError):
        return  # not a readable package: calamine will refuse it as bad_xlsx


def _check_member(archive: zipfile.ZipFile, member: str, sheet: str) -> None:
    """A quick upper bound first; only a sheet that fails it pays for an exact pass."""
    rows, columns = _quick_bound(archive, member)
    if rows * columns <= MAX_CELLS:
        return
    rows, columns = _filled_extent(archive, member)
    if rows * columns > MAX_CELLS:
        reject_one(
            "too_many_cells",
            f"sheet '{sheet}' has values as far as row {rows:,} and column {columns:,}, "
            f"more than {MAX_CELLS:,} cells: delete stray cells far from the table, or split "
            "the file",
        )


def _quick_bound(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    rows, columns = 0, _SINGLE_LETTER_COLUMNS
    for chunk in _chunks(archive, member):
        found = _ROW.findall(chunk)
        if found:
            rows = max(rows, *map(int, found))
        for letters in set(_WIDE_CELL.findall(chunk)):
            columns = max(columns, column_number(letters))
    return rows, columns


def _filled_extent(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    rows = columns = 0
    for chunk in _chunks(archive, member):
        found = _FILLED_CELL.findall(chunk)
        if found:
            rows = max(rows, *(int(row) for _, row in found))
            columns = max(columns, *(column_number(letters) for letters in
                                     {letters for letters, _ in found}))
    return rows, columns


def column_number(letters: bytes) -> int:
    """1-based column number of spreadsheet letters (A -> 1, AA -> 27)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _chunks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's bytes in pieces cut before a ``<``, so no tag is split."""
    read = 0
    tail = b""
    with archive.open(member) as stream:
        while piece := stream.read(_CHUNK):
            read += len(piece)
            if read > _MAX_XML_BYTES:
                reject_one("too_many_cells", "a sheet in the workbook is far too large to read")
            data = tail + piece
            cut = data.rfind(b"<")
            cut = cut if cut > 0 else len(data)
            yield data[:cut]
            tail = data[cut:]
    yield tail


def _sheet_members(archive: zipfile.ZipFile, sheet: str) -> list[str]:
    """The sheet's XML part; every worksheet part if the workbook's map cannot be followed."""
    worksheets = [
        name for name in archive.namelist()
        if name.startswith("xl/worksheets/") and name.endswith(".xml")
    ]
    try:
        target = _sheet_targets(archive).get(sheet)
    except (KeyError, ET.ParseError):
        target = None
    return [target] if target in worksheets else worksheets


def _sheet_targets(archive: zipfile.ZipFile) -> dict[str, str]:
    relations = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    paths = {}
    for relation in relations.iter("{*}Relationship"):
        target = relation.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        paths[relation.get("Id")] = posixpath.normpath(path)
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    targets = {}
    for element in book.iter("{*}sheet"):
        relation_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        if relation_id in paths:
            targets[element.get("name", "")] = paths[relation_id]
    return targets
