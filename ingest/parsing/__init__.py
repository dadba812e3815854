"""Turns uploaded bytes (CSV, XLSX, JSON) into RAW_SCHEMA rows, or says why it cannot.

Parsing judges only the file's shape (encoding, delimiter, header, row shape); cell values
are validation's business, so they arrive there as the text the person sent.
"""

from ingest.parsing.json_rows import parse_json_rows
from ingest.parsing.problems import MAX_CELLS
from ingest.parsing.upload import parse_upload

__all__ = ["MAX_CELLS", "parse_json_rows", "parse_upload"]
