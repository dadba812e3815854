"""CSV corner cases: everything wrong is reported at once, with spreadsheet row numbers."""

from __future__ import annotations

import pytest

from ingest.parsing import parse_upload
from ingest.returns.columns import INPUT_COLUMNS
from ingest.returns.issues import Issue, UploadRejected

HEADER = ",".join(INPUT_COLUMNS) + "\n"
ROW = "RAA,ae_attendances,2024-03,10000,,,\n"


def _refused(text: str | bytes, **options: object) -> list[Issue]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(UploadRejected) as refused:
        parse_upload(data, **options)  # type: ignore[arg-type]
    return refused.value.issues


def test_header_problems_and_bad_rows_are_reported_together() -> None:
    issues = _refused("org_code,mesure_code,period,value,value\nA,m,2024-03,1\n" + "A,m,p,1,1\n")
    assert [(i.row, i.code) for i in issues] == [
        (1, "unknown_column"), (1, "duplicate_column"), (1, "missing_column"),
        (2, "bad_row_shape"),
    ]


def test_every_ragged_row_is_reported_by_its_spreadsheet_row() -> None:
    text = HEADER + ROW + "A,m,2024-03,1,,\n" + '"x\ny",m,2024-03,1,,,\n' + "A,m,2024-03,1,,,,\n"
    issues = _refused(text)
    assert [(i.row, i.code) for i in issues] == [(3, "bad_row_shape"), (5, "bad_row_shape")]


def test_trailing_lines_of_spaces_are_forgiven_but_not_between_rows() -> None:
    assert parse_upload((HEADER + ROW + "   \n \n").encode()).num_rows == 1
    issues = _refused(HEADER + ROW + "   \n" + ROW)
    assert [(i.row, i.code) for i in issues] == [(3, "bad_row_shape")]


def test_bad_utf8_in_the_header_points_at_row_one() -> None:
    issues = _refused(b"org_code,measure_code,p\xe9riod,value\n")
    assert [(i.row, i.code) for i in issues] == [(1, "not_utf8")]
    assert "byte offset 23" in issues[0].message


def test_delimiter_is_chosen_by_the_header_not_by_commas_in_the_data() -> None:
    text = "measure_code;period;value;comment\nm;2024-03;0,5;a, b, c\n"
    assert parse_upload(text.encode()).to_pylist()[0]["value"] == "0,5"


def test_a_header_with_only_one_known_column_still_reads() -> None:
    issues = _refused("measure_code\nm\n")
    assert {i.code for i in issues} == {"missing_column"}


def test_control_characters_in_bulk_mean_binary() -> None:
    issues = _refused(bytes([1, 2, 3, 4, 5, 6, 7, 8] * 100) + b"measure_code\n")
    assert [i.code for i in issues] == ["binary_file"]


def test_max_columns_is_configurable() -> None:
    issues = _refused(HEADER + ROW, max_columns=5)
    assert [(i.row, i.code) for i in issues] == [(1, "too_many_columns")]


def test_header_only_with_blank_lines_has_no_rows() -> None:
    assert [i.code for i in _refused(HEADER + "\n,,,,,,\n\n")] == ["no_rows"]


def test_a_file_of_whitespace_is_empty() -> None:
    assert [i.code for i in _refused(b"\xef\xbb\xbf \r\n\t\n")] == ["empty_file"]


def test_a_runaway_quoted_cell_is_blamed_on_a_missing_quote() -> None:
    text = HEADER + 'A,m,2024-03,1,,,"' + "x" * 3_000_000 + '\nmore"\n' + ROW
    issues = _refused(text)
    assert [(i.row, i.code) for i in issues] == [(0, "bad_csv")]
    assert "closing quote" in issues[0].message


def test_a_quote_inside_an_unquoted_cell_is_kept_as_text() -> None:
    table = parse_upload((HEADER + 'A,m,2024-03,1,,,24" screen\n' + ROW).encode())
    assert table.column("comment").to_pylist() == ['24" screen', None]


def test_every_unicode_space_and_byte_order_mark_around_a_cell_is_trimmed() -> None:
    """The one-pass trim must take exactly what Arrow's whitespace trim takes, and BOMs."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ingest.parsing.raw_table import clean_text

    characters = [chr(code) for code in range(0x3001) if not 0xD800 <= code < 0xE000]
    arrow_trims = {c for c, out in zip(characters, pc.utf8_trim_whitespace(
        pa.array(["x" + c for c in characters])).to_pylist(), strict=True) if out == "x"}
    cells = [f"{c}\ufeff{c}x{c}\ufeff" for c in sorted(arrow_trims)] + ["\ufeff \u3000"]

    assert clean_text(pa.array(cells)).to_pylist() == ["x"] * len(arrow_trims) + [None]
    assert clean_text(pa.array(["a b", "\u200bx"])).to_pylist() == ["a b", "\u200bx"]
