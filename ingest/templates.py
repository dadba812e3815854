"""Blank monthly-return templates (rows, CSV, XLSX) generated from the KPI catalogue.

Templates are what members fill in, so they are built to survive the round trip: the CSV
carries a BOM so Excel opens it as UTF-8, and the XLSX stores codes and periods as text so
Excel does not turn ``2024-03`` into a date or strip leading zeros from codes.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import xlsxwriter

from ingest.catalogue.model import Catalogue, Measure
from ingest.returns.columns import INPUT_COLUMNS

RETURN_SHEET = "return"
MEASURES_SHEET = "measures"
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_RATIO_NOTE = "Leave value blank: it is derived from numerator / denominator."
_MEASURE_COLUMNS = (
    ("code", 28), ("name", 36), ("domain", 16), ("kind", 11), ("unit", 8),
    ("numerator", 32), ("denominator", 32), ("valid range", 14), ("target", 9),
    ("how to fill", 44), ("definition", 70), ("source", 50),
)
_RETURN_WIDTHS = (12, 30, 10, 12, 13, 13, 40)


def template_rows(catalogue: Catalogue, org_code: str, period: str | date) -> list[dict[str, Any]]:
    """One row per measure in catalogue order, keyed by INPUT_COLUMNS; values left as None."""
    month = _month(period)
    return [
        {**dict.fromkeys(INPUT_COLUMNS), "org_code": org_code, "measure_code": measure.code,
         "period": month}
        for measure in catalogue.measures
    ]


def template_csv(catalogue: Catalogue, org_code: str, period: str | date) -> bytes:
    """UTF-8 with BOM, comma separated, CRLF line ends: what Excel opens and saves cleanly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(INPUT_COLUMNS)
    for row in template_rows(catalogue, org_code, period):
        writer.writerow("" if row[name] is None else row[name] for name in INPUT_COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(catalogue: Catalogue, org_code: str, period: str | date) -> bytes:
    """A workbook with the ``return`` sheet to fill in and a ``measures`` sheet to read."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = _formats(book)
    _write_return_sheet(book, formats, catalogue, template_rows(catalogue, org_code, period))
    _write_measures_sheet(book, formats, catalogue.measures)
    book.close()
    return out.getvalue()


def _month(period: str | date) -> str:
    if isinstance(period, date):
        return f"{period.year:04d}-{period.month:02d}"
    if not _PERIOD.match(period):
        raise ValueError(f"period must be a month as YYYY-MM, got {period!r}")
    return period


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "header": book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
        "text": book.add_format({"num_format": "@"}),
        "number": book.add_format({"num_format": "General"}),
        "derived": book.add_format({"num_format": "General", "bg_color": "#EDEDED"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "top": book.add_format({"valign": "top"}),
    }


def _write_return_sheet(
    book: xlsxwriter.Workbook, formats: dict[str, Any], catalogue: Catalogue,
    rows: list[dict[str, Any]],
) -> None:
    sheet = book.add_worksheet(RETURN_SHEET)
    sheet.write_row(0, 0, INPUT_COLUMNS, formats["header"])
    sheet.freeze_panes(1, 0)
    numeric = {"value", "numerator", "denominator"}
    for position, (name, width) in enumerate(zip(INPUT_COLUMNS, _RETURN_WIDTHS, strict=True)):
        # Column formats reach cells members add below the template rows too.
        sheet.set_column(position, position, width,
                         formats["number"] if name in numeric else formats["text"])
    value_column = INPUT_COLUMNS.index("value")
    for index, row in enumerate(rows, start=1):
        for position, name in enumerate(INPUT_COLUMNS):
            if row[name] is not None:
                sheet.write_string(index, position, row[name], formats["text"])
        measure = catalogue.measure(row["measure_code"])
        if measure is not None and measure.is_ratio:
            sheet.write_blank(index, value_column, None, formats["derived"])
            sheet.write_comment(index, value_column, _RATIO_NOTE)


def _write_measures_sheet(
    book: xlsxwriter.Workbook, formats: dict[str, Any], measures: tuple[Measure, ...],
) -> None:
    sheet = book.add_worksheet(MEASURES_SHEET)
    sheet.freeze_panes(1, 1)
    for position, (title, width) in enumerate(_MEASURE_COLUMNS):
        sheet.write_string(0, position, title, formats["header"])
        wraps = title in ("name", "how to fill", "definition", "source")
        sheet.set_column(position, position, width, formats["wrap"] if wraps else formats["top"])
    for index, measure in enumerate(measures, start=1):
        sheet.write_row(index, 0, _measure_cells(measure))


def _measure_cells(measure: Measure) -> list[Any]:
    return [
        measure.code, measure.name, measure.domain, measure.kind, measure.unit,
        measure.numerator_label or "", measure.denominator_label or "",
        _valid_range(measure), "" if measure.target is None else measure.target,
        _how_to_fill(measure), measure.definition, measure.source,
    ]


def _valid_range(measure: Measure) -> str:
    if measure.valid_min is None and measure.valid_max is None:
        return ""
    if measure.valid_max is None:
        return f"at least {measure.valid_min:g}"
    if measure.valid_min is None:
        return f"at most {measure.valid_max:g}"
    return f"{measure.valid_min:g} to {measure.valid_max:g}"


def _how_to_fill(measure: Measure) -> str:
    if measure.is_ratio:
        return (f"Fill numerator ({measure.numerator_label or 'numerator'}) and denominator "
                f"({measure.denominator_label or 'denominator'}). {_RATIO_NOTE}")
    unit = measure.unit or "the measure's unit"
    return f"Fill value (in {unit}); leave numerator and denominator blank."
