"""Building and raising parse-level issues, so every reader reports problems the same way.

Readers collect every file-level problem they can find before raising, because a person fixing
an upload should see the whole list at once, not one complaint per attempt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from ingest.returns.issues import FILE_ROW, Issue, UploadRejected

HEADER_ROW = 1  # header problems point at the header row a person can see
MAX_ISSUES = 200  # beyond this a list stops helping and only bloats the 422 body
MAX_CELLS = 10_000_000  # guards memory before a reader materialises the cells


def file_issue(code: str, message: str, column: str | None = None) -> Issue:
    """A problem with the whole file rather than one row."""
    return Issue(FILE_ROW, column, code, message)


def header_issue(code: str, message: str, column: str | None = None) -> Issue:
    """A problem located in the header row."""
    return Issue(HEADER_ROW, column, code, message)


def column_letter(position: int) -> str:
    """Spreadsheet letter of a 0-based column position (0 -> A, 26 -> AA), as people see it."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def describe_column(position: int) -> str:
    """``column 3 (C)``: the number for CSV users, the letter for spreadsheet users."""
    return f"column {position + 1} ({column_letter(position)})"


def capped(issues: list[Issue]) -> list[Issue]:
    """At most MAX_ISSUES issues, the last saying how many more were found."""
    if len(issues) <= MAX_ISSUES:
        return issues
    more = len(issues) - MAX_ISSUES
    summary = file_issue("too_many_issues", f"{more} more problems were found but are not listed")
    return [*issues[:MAX_ISSUES], summary]


def reject(issues: Iterable[Issue]) -> NoReturn:
    """Raise ``UploadRejected`` carrying every issue (capped), summarised in the message."""
    found = capped(sorted(issues, key=lambda issue: issue.row))  # file-level (row 0) first
    count = sum(1 for issue in found if issue.code != "too_many_issues")
    first = found[0].message if found else "no details"
    noun = "problem" if count == 1 else "problems"
    raise UploadRejected(f"The upload could not be read ({count} {noun}); first: {first}", found)


def reject_one(code: str, message: str, column: str | None = None) -> NoReturn:
    """Raise for a single file-level problem that makes looking further pointless."""
    reject([file_issue(code, message, column)])
