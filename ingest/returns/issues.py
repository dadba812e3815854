"""Problems found in an upload, reported all at once as ``{row, column, code, message}``.

``row`` is the row a person sees in their spreadsheet: the header is row 1, the first value
row 2 (for JSON bodies, the 1-based index in the list plus one, so the same rule holds).
Row 0 means the problem concerns the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

from ingest.log.errors import ConcordError

Severity = Literal["error", "warning"]
FILE_ROW = 0


@dataclass(frozen=True)
class Issue:
    row: int
    column: str | None
    code: str
    message: str
    severity: Severity = "error"
    # Which value the issue is about, where known: lets a warning follow the value it flags.
    org_code: str | None = None
    measure_code: str | None = None
    period: str | None = None  # YYYY-MM

    def to_dict(self) -> dict[str, Any]:
        """Its fields as a dict (``dataclasses.asdict`` deep-copies, at 90 µs an issue)."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(Issue))


class UploadRejected(ConcordError):
    """The upload cannot be accepted; nothing was written. Carries every problem found."""

    status = 422
    code = "upload_rejected"

    def __init__(self, message: str, issues: list[Issue]) -> None:
        super().__init__(message, issues=[i.to_dict() for i in issues])
        self.issues = issues


class UploadTooLarge(ConcordError):
    status = 413
    code = "upload_too_large"
