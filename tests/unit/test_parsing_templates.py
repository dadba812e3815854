"""Templates built from the catalogue parse back through ``parse_upload`` into their own rows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from ingest.catalogue.model import Catalogue
from ingest.parsing import parse_upload
from ingest.returns.columns import INPUT_COLUMNS
from ingest.templates import template_csv, template_rows, template_xlsx


def _without_row_numbers(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{key: value for key, value in row.items() if key != "row"} for row in rows]


def test_template_rows_follow_the_catalogue_order(demo_catalogue: Catalogue) -> None:
    rows = template_rows(demo_catalogue, "RAA", date(2024, 3, 17))
    assert [row["measure_code"] for row in rows] == [m.code for m in demo_catalogue.measures]
    assert rows[0] == {**dict.fromkeys(INPUT_COLUMNS), "org_code": "RAA",
                       "measure_code": demo_catalogue.measures[0].code, "period": "2024-03"}


def test_a_period_that_is_not_a_month_is_refused(demo_catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        template_rows(demo_catalogue, "RAA", "2024-3")


def test_csv_template_opens_in_excel_and_parses_back(demo_catalogue: Catalogue) -> None:
    data = template_csv(demo_catalogue, "RAA", "2024-03")
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(INPUT_COLUMNS).encode() + b"\r\n")
    parsed = parse_upload(data, filename="template.csv")
    assert parsed.column("row").to_pylist()[:2] == [2, 3]
    assert _without_row_numbers(parsed.to_pylist()) == template_rows(
        demo_catalogue, "RAA", "2024-03")


def test_xlsx_template_parses_back(demo_catalogue: Catalogue) -> None:
    data = template_xlsx(demo_catalogue, "RAA", "2024-03")
    parsed = parse_upload(data, filename="template.xlsx")
    assert _without_row_numbers(parsed.to_pylist()) == template_rows(
        demo_catalogue, "RAA", "2024-03")


def test_xlsx_template_explains_every_measure(demo_catalogue: Catalogue) -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(
        template_xlsx(demo_catalogue, "RAA", "2024-03")))
    assert book.sheet_names == ["return", "measures"]
    header, *measures = book.get_sheet_by_name("measures").to_python()
    assert header[:5] == ["code", "name", "domain", "kind", "unit"]
    assert [row[0] for row in measures] == [m.code for m in demo_catalogue.measures]
    how_to_fill = dict(zip([row[0] for row in measures],
                           [row[header.index("how to fill")] for row in measures], strict=True))
    for measure in demo_catalogue.measures:
        derived = "derived from numerator / denominator" in how_to_fill[measure.code]
        assert derived == measure.is_ratio, measure.code

