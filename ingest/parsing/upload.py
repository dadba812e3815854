"""``parse_upload``: the one entry point from uploaded bytes to RAW_SCHEMA rows."""

from __future__ import annotations

import pyarrow as pa

from ingest.parsing.delimited import read_delimited
from ingest.parsing.json_rows import read_json
from ingest.parsing.sniff import Format, detect_format
from ingest.parsing.workbook import read_workbook


def parse_upload(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    sheet: str | None = None,
    max_columns: int = 64,
) -> pa.Table:
    """Read a CSV, XLSX or JSON upload into RAW_SCHEMA: every cell as trimmed text or null.

    ``row`` is the spreadsheet row (header = 1). Raises ``UploadRejected`` listing every
    file-level problem found; cell values are left for validation to judge.
    """
    kind = detect_format(data, filename, content_type)
    if kind is Format.XLSX:
        return read_workbook(data, sheet=sheet, max_columns=max_columns)
    if kind is Format.JSON:
        return read_json(data)
    return read_delimited(data, max_columns)
