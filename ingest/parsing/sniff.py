"""Decides what kind of file an upload is from its bytes, trusting names only where bytes can't.

Browsers label CSV files ``application/vnd.ms-excel`` on Windows and people rename files, so
the content decides; the name and content type only tell a JSON body from CSV text and say a
file was meant to be a workbook.
"""

from __future__ import annotations

import codecs
import re
from enum import Enum

from ingest.parsing.problems import reject_one

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls (and other Office binary files)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SAMPLE = 64 * 1024
_MAX_CONTROL_SHARE = 0.05
# Every byte except ASCII control characters other than tab, newline and carriage return.
_NOT_CONTROL = bytes([9, 10, 13, *range(0x20, 0x7F), *range(0x80, 0x100)])
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)
_NOT_SPACE = re.compile(rb"\S")
SAVE_AS_UTF8 = "save it as 'CSV UTF-8 (Comma delimited)' and upload that"


class Format(Enum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


def detect_format(data: bytes, filename: str | None, content_type: str | None) -> Format:
    """The format to read ``data`` as; raises for files no reader could make sense of."""
    name = (filename or "").lower()
    kind = (content_type or "").split(";")[0].strip().lower()
    if not has_content(data):
        reject_one("empty_file", "the file is empty")
    if data.startswith(OLE_MAGIC):
        reject_one(
            "unsupported_format",
            "this is a legacy Excel 97-2003 (.xls) workbook, which is not supported: "
            "save it as .xlsx (Excel Workbook) or as CSV UTF-8 and upload that",
        )
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return Format.XLSX
    if name.endswith((".xlsx", ".xlsm")) or kind == XLSX_CONTENT_TYPE:
        reject_one("bad_xlsx", "the file is named or labelled .xlsx but is not an Excel workbook")
    _reject_wide_encodings(data)
    _reject_binary(data)
    if name.endswith(".json") or kind == "application/json" or _looks_like_json(data):
        return Format.JSON
    return Format.CSV


def has_content(data: bytes, start: int = 0) -> bool:
    """Anything besides whitespace (and a BOM) from ``start``, found without copying the data."""
    if data.startswith(codecs.BOM_UTF8, start):
        start += len(codecs.BOM_UTF8)
    return _NOT_SPACE.search(data, start) is not None


def _reject_wide_encodings(data: bytes) -> None:
    """UTF-16/32 text is full of NUL bytes; say what it is rather than calling it binary."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            reject_one("not_utf8", f"the file is encoded as {encoding}, not UTF-8: {SAVE_AS_UTF8}")
    head = data[:1024]
    even, odd = head[0::2], head[1::2]
    shares = sorted((_nul_share(even), _nul_share(odd)))
    if len(head) >= 8 and shares[0] < 0.1 and shares[1] > 0.9:
        reject_one("not_utf8", f"the file looks UTF-16 encoded, not UTF-8: {SAVE_AS_UTF8}")


def _nul_share(part: bytes) -> float:
    return part.count(0) / len(part) if part else 0.0


def _reject_binary(data: bytes) -> None:
    nul = data.find(b"\x00")
    if nul >= 0:
        reject_one(
            "binary_file",
            f"the file is not text (it holds a NUL byte at offset {nul}); "
            "upload a CSV or .xlsx file",
        )
    sample = data[:_SAMPLE]
    control = len(sample.translate(None, _NOT_CONTROL))
    if control > _MAX_CONTROL_SHARE * len(sample):
        reject_one(
            "binary_file",
            f"the file is not text ({control} control characters in its first "
            f"{len(sample)} bytes); upload a CSV or .xlsx file",
        )


def _looks_like_json(data: bytes) -> bool:
    """A CSV header starts with a column name, never with a bracket or a brace."""
    return data.removeprefix(codecs.BOM_UTF8).lstrip()[:1] in (b"[", b"{")
