"""Sanity check that big uploads parse in one vectorised pass; prints timings with ``-s``.

Not a timed assertion (machines differ); skipped unless ``CONCORD_SLOW_TESTS=1``.
"""

from __future__ import annotations

import io
import os
import time

import pytest
import xlsxwriter

from ingest.parsing import parse_upload
from ingest.returns.columns import INPUT_COLUMNS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("CONCORD_SLOW_TESTS") != "1", reason="set CONCORD_SLOW_TESTS=1 to run"),
]


def _row(index: int) -> list[object]:
    return [
        f"ORG{index % 50:02d}", f"measure_{index % 200:03d}",
        f"{2010 + index % 15}-{1 + index % 12:02d}", (index % 9973) / 9973,
        index % 997, 1000 + index % 31, "" if index % 10 else "checked, twice",
    ]


def _csv(rows: int) -> bytes:
    lines = [",".join(INPUT_COLUMNS)]
    lines.extend(
        ",".join(f'"{cell}"' if "," in str(cell) else str(cell) for cell in _row(index))
        for index in range(rows)
    )
    return ("\r\n".join(lines) + "\r\n").encode()


def _xlsx(rows: int) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("return")
    sheet.write_row(0, 0, INPUT_COLUMNS)
    for index in range(rows):
        sheet.write_row(index + 1, 0, _row(index))
    book.close()
    return out.getvalue()


def _timed_parse(data: bytes, label: str, rows: int) -> None:
    started = time.perf_counter()
    table = parse_upload(data)
    elapsed = time.perf_counter() - started
    print(f"\n{label}: {rows:,} rows, {len(data) / 1e6:.1f} MB parsed in {elapsed:.2f} s")
    assert table.num_rows == rows
    assert table.column("row")[-1].as_py() == rows + 1


def test_a_million_row_csv_parses() -> None:
    _timed_parse(_csv(1_000_000), "CSV", 1_000_000)


def test_a_hundred_thousand_row_xlsx_parses() -> None:
    _timed_parse(_xlsx(100_000), "XLSX", 100_000)
