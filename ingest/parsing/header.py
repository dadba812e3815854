"""Checks the header row (or JSON keys) against the input columns, reporting every problem.

Names are matched trimmed and case-insensitively because spreadsheets and hand edits vary the
case; anything else unknown is reported with the closest allowed name, since typos are the
usual cause.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.parsing.problems import describe_column, header_issue, reject
from ingest.returns.columns import INPUT_COLUMNS, REQUIRED_COLUMNS
from ingest.returns.issues import Issue

ALLOWED = ", ".join(INPUT_COLUMNS)


@dataclass(frozen=True)
class HeaderLayout:
    """What each position of the header holds: an input column, or None for a blank name.

    ``issues`` are the header's problems; readers add their own before rejecting, so that one
    response lists everything wrong with the file.
    """

    columns: tuple[str | None, ...]
    issues: tuple[Issue, ...]

    def positions(self) -> dict[str, int]:
        """Input column -> its position, for the columns that are usable (first occurrence)."""
        found: dict[str, int] = {}
        for position, name in enumerate(self.columns):
            if name in INPUT_COLUMNS and name not in found:
                found[name] = position
        return found

    def blank_positions(self) -> list[int]:
        return [position for position, name in enumerate(self.columns) if name is None]


def canonical_name(name: str) -> str:
    """How a header cell or JSON key is compared: trimmed, lower-case, stray BOMs removed."""
    return name.replace("\ufeff", "").strip().lower()


def suggestion(name: str) -> str | None:
    """The allowed name closest to ``name``, if any is close enough to be a likely typo."""
    close = difflib.get_close_matches(canonical_name(name), INPUT_COLUMNS, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_column_message(name: str, where: str) -> str:
    """``unknown column 'mesure_code' in column 2 (B); did you mean 'measure_code'? ...``."""
    close = suggestion(name)
    hint = f"; did you mean '{close}'?" if close else "."
    return f"unknown column '{name}' {where}{hint} Allowed columns: {ALLOWED}"


def read_header(names: Sequence[str], max_columns: int) -> HeaderLayout:
    """Check the header cells; raises at once only for too many columns (nothing else helps)."""
    named = _without_trailing_blanks(names)
    if len(named) > max_columns:
        reject([header_issue(
            "too_many_columns",
            f"the header has {len(named)} columns; at most {max_columns} are allowed "
            f"(expected: {ALLOWED})",
        )])
    if not named:
        return HeaderLayout((None,) * len(names), (header_issue(
            "missing_header", f"row 1 is empty; it must hold the column names: {ALLOWED}"),))
    columns: list[str | None] = []
    issues: list[Issue] = []
    first_seen: dict[str, int] = {}
    for position, raw in enumerate(names):
        name = canonical_name(raw)
        if not name:
            columns.append(None)
            continue
        columns.append(name)
        if name not in INPUT_COLUMNS:
            issues.append(header_issue(
                "unknown_column",
                unknown_column_message(raw.strip(), f"in {describe_column(position)}"),
                raw.strip(),
            ))
        elif name in first_seen:
            issues.append(_duplicate(name, first_seen[name], position))
        else:
            first_seen[name] = position
    issues.extend(missing_columns(set(first_seen)))
    return HeaderLayout(tuple(columns), tuple(issues))


def missing_columns(present: set[str]) -> list[Issue]:
    """Required columns absent, and ``value`` unless numerator and denominator both stand in."""
    issues = [
        header_issue("missing_column", f"required column '{name}' is missing", name)
        for name in REQUIRED_COLUMNS if name not in present
    ]
    if "value" in present or {"numerator", "denominator"} <= present:
        return issues
    lacking = [name for name in ("numerator", "denominator") if name not in present]
    if len(lacking) == 1:
        detail = f"'{lacking[0]}' is missing, so 'value' is needed"
    else:
        detail = "neither 'value' nor 'numerator' and 'denominator' is present"
    issues.append(header_issue(
        "missing_column",
        f"a 'value' column, or both 'numerator' and 'denominator', is required: {detail}",
        "value",
    ))
    return issues


def _duplicate(name: str, first: int, again: int) -> Issue:
    return header_issue(
        "duplicate_column",
        f"column '{name}' appears twice: {describe_column(first)} and {describe_column(again)}",
        name,
    )


def _without_trailing_blanks(names: Sequence[str]) -> list[str]:
    """Spreadsheets often carry empty header cells after the last name; they mean nothing."""
    end = len(names)
    while end and not canonical_name(names[end - 1]):
        end -= 1
    return list(names[:end])
