"""The upload page's file description, size limit and template links."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.pages.upload_form import (
    chosen_file,
    file_limit_bytes,
    format_bytes,
    limit_hint,
    previous_month,
    template_links,
)


def test_the_chosen_file_is_described_and_too_large_files_are_refused() -> None:
    limit = 1024 * 1024 + 64 * 1024

    assert chosen_file(None, limit).text == "No file chosen yet."
    assert not chosen_file(None, limit).ready
    small = chosen_file({"name": "march.csv", "encoded_length": 4000}, limit)
    assert (small.text, small.ready) == ("march.csv · 2.9 KB", True)
    large = chosen_file({"name": "big.xlsx", "encoded_length": 2 * 1024 * 1024}, limit)
    assert not large.ready and "limit is 768.0 KB" in (large.problem or "")
    assert not chosen_file({"name": "empty.csv", "encoded_length": 0}, limit).ready
    assert chosen_file({"name": "x.csv", "encoded_length": 10**9}, None).ready


def test_the_size_hint_follows_the_servers_request_limit() -> None:
    fifty_mb = 50 * 1024 * 1024
    assert file_limit_bytes(fifty_mb) == (fifty_mb - 64 * 1024) * 3 // 4
    assert limit_hint(fifty_mb) == "CSV or XLSX, up to 37.5 MB"
    assert limit_hint(None) == "CSV or XLSX"
    assert [format_bytes(n) for n in (12, 2048, 3 * 1024 * 1024)] == [
        "12 bytes", "2.0 KB", "3.0 MB"]


def test_template_links_need_a_member_and_a_month() -> None:
    links = template_links("RTX", "2026-10")

    assert links.csv == "/api/v1/templates/RTX/2026-10.csv"
    assert links.xlsx == "/api/v1/templates/RTX/2026-10.xlsx"
    assert "Oct 2026" in links.hint
    assert template_links(None, "2026-10").csv is None
    assert template_links("RTX", "2026-13").xlsx is None
    assert template_links("R/X", "2026-10").csv == "/api/v1/templates/R%2FX/2026-10.csv"


@pytest.mark.parametrize(("today", "period"), [
    (date(2026, 11, 23), "2026-10"), (date(2026, 1, 1), "2025-12"), (date(2024, 3, 31), "2024-02"),
])
def test_previous_month_is_the_calendar_month_before(today: date, period: str) -> None:
    assert previous_month(today) == period
