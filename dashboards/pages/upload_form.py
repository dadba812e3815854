"""What the upload page says about the chosen file, the size limit and template links; pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from dashboards.upload_report import PERIOD_PATTERN, period_label

API_ROOT = "/api/v1"
# A file travels base64-encoded inside a Dash callback request; leave room for the rest of it.
CALLBACK_OVERHEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileChoice:
    text: str
    problem: str | None = None
    chosen: bool = False

    @property
    def ready(self) -> bool:
        return self.chosen and self.problem is None


@dataclass(frozen=True)
class TemplateLinks:
    csv: str | None
    xlsx: str | None
    hint: str


# --- the chosen file --------------------------------------------------------------------------


def format_bytes(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def file_limit_bytes(max_request_bytes: int | None) -> int | None:
    """The largest file that fits in one callback request of at most ``max_request_bytes``."""
    if not max_request_bytes:
        return None
    return max(0, (max_request_bytes - CALLBACK_OVERHEAD_BYTES) * 3 // 4)


def limit_hint(max_request_bytes: int | None) -> str:
    limit = file_limit_bytes(max_request_bytes)
    return "CSV or XLSX" + (f", up to {format_bytes(limit)}" if limit else "")


def chosen_file(info: Mapping[str, Any] | None, max_request_bytes: int | None) -> FileChoice:
    """What the page says about the file (``info``: its name and base64 length)."""
    if not info or not info.get("name"):
        return FileChoice("No file chosen yet.")
    encoded = int(info.get("encoded_length") or 0)
    size = encoded * 3 // 4
    text = f"{info['name']} · {format_bytes(size)}"
    limit = file_limit_bytes(max_request_bytes)
    if max_request_bytes and encoded + CALLBACK_OVERHEAD_BYTES > max_request_bytes:
        return FileChoice(text, f"This file is too large: the limit is {format_bytes(limit or 0)}."
                          " Split it by month or by member.", chosen=True)
    if size == 0:
        return FileChoice(text, "This file is empty.", chosen=True)
    return FileChoice(text, chosen=True)


# --- template links -----------------------------------------------------------------------------


def previous_month(today: date) -> str:
    """``YYYY-MM`` of the calendar month before ``today``'s: the return most often due."""
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def template_links(member: str | None, period: str | None) -> TemplateLinks:
    member, period = (member or "").strip(), (period or "").strip()
    if not member:
        return TemplateLinks(None, None, "Choose a member to download its template.")
    if not PERIOD_PATTERN.match(period):
        return TemplateLinks(None, None, "Give the period as YYYY-MM, for example 2025-03.")
    base = f"{API_ROOT}/templates/{quote(member, safe='')}/{period}"
    return TemplateLinks(f"{base}.csv", f"{base}.xlsx",
                         f"Every measure {member} reports for {period_label(period)}, "
                         "with definitions.")
