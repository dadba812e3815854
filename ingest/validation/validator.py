"""Validate an upload in one vectorised DuckDB pass and report every problem at once.

Each call opens its own connection to one in-memory database that holds only the macros of
``sql/macros.sql`` (created once per process: opening a database and creating them cost 35 ms
a call). The connection registers the inputs as Arrow tables, runs the checks in ``sql/`` in
order (prepare: type every cell once; errors, numbers, warnings) into its own temporary tables,
which no other connection sees and which go when it closes. Messages are then written for the
issues that get listed and, if nothing is wrong, the rows are read back. Python only turns the
small, capped result sets into ``Issue`` objects.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Any, cast

import duckdb
import pyarrow as pa

from ingest.returns.issues import FILE_ROW, Issue, Severity
from ingest.validation.contracts import (
    CHECKED_SCHEMA,
    ValidationContext,
    ValidationResult,
    empty,
)
from ingest.validation.inputs import parameters, register_inputs
from ingest.validation.sqlfiles import bind, parameter_names, statement, statements

MAX_ISSUES_PER_CODE = 1000
MORE_ISSUES = "more_issues"  # the closing issue of a code whose list was cut
# Run whole, in this order: every statement of each file.
CHECK_FILES = ("prepare.sql", "errors.sql", "numbers.sql", "warnings.sql")
MACRO_FILE = "macros.sql"
ROWS_PER_PART = 250_000
"""A statement that mentions $part (of $parts) runs once per part of an upload this large:
the outlier check's join of every changed value with its history is the one step whose memory
grows with the upload times the history window."""
_engine_lock = threading.Lock()


def _connection() -> duckdb.DuckDBPyConnection:
    """A new connection to the process's validation database, its macros already made."""
    with _engine_lock:
        return _engine().cursor()


@functools.cache
def _engine() -> duckdb.DuckDBPyConnection:
    """Every output is ordered by "row" explicitly, so DuckDB may build the temp tables in
    parallel: with insertion order kept, each million-row table is copied on one thread."""
    engine = duckdb.connect(config={"preserve_insertion_order": False})
    for sql in statements(MACRO_FILE).values():
        engine.execute(sql)
    return engine


def validate(raw: pa.Table, context: ValidationContext, *,
             max_per_code: int = MAX_ISSUES_PER_CODE) -> ValidationResult:
    """Check a RAW_SCHEMA upload; rows come back (CHECKED_SCHEMA) only when there is no error.

    Warnings never block. At most ``max_per_code`` issues of one code are listed, followed by
    one issue saying how many more there were; ``issue_counts`` has the full numbers.
    """
    params = parameters(context, max_per_code) | {"parts": _parts(raw.num_rows)}
    con = _connection()
    try:
        register_inputs(con, raw, context)
        for filename in CHECK_FILES:
            for sql in statements(filename).values():
                for part in range(params["parts"] if "part" in parameter_names(sql) else 1):
                    con.execute(sql, bind(sql, params | {"part": part}))
        issues, counts = (_listed_issues(con, params, max_per_code) if _holds(con, "any_found")
                          else ([], {}))
        errors = [issue for issue in issues if issue.severity == "error"]
        warnings = [issue for issue in issues if issue.severity == "warning"]
        rows = empty(CHECKED_SCHEMA) if errors else _checked_rows(con)
    finally:
        con.close()
    return ValidationResult(rows=rows, errors=errors, warnings=warnings, issue_counts=counts)


def _parts(rows: int) -> int:
    """How many parts a statement that mentions $part runs in: one per ROWS_PER_PART rows."""
    return max(1, -(-rows // ROWS_PER_PART))


def _holds(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """The answer of one of messages.sql's yes-or-no questions."""
    return con.execute(statement("messages.sql", name)).fetchall()[0][0] is True


def _listed_issues(con: duckdb.DuckDBPyConnection, params: dict[str, Any],
                   max_per_code: int) -> tuple[list[Issue], dict[str, int]]:
    """The listed issues, a closing issue per code that was cut, and each code's full count.

    Messages are written in SQL only where a check left them to be (errors); when every
    listed issue is a warning with its own message, the short query is enough.
    """
    listing = statement("messages.sql", "create_listed_cells")
    con.execute(listing, bind(listing, params))
    unwritten = _holds(con, "any_unwritten")
    sql = statement("messages.sql", "listed_issues" if unwritten else "listed_written_issues")
    found = con.execute(sql, bind(sql, params)).fetchall()
    issues = [Issue(row, col, code, message, cast(Severity, severity), org, measure, period)
              for row, col, code, severity, message, _, org, measure, period in found]
    totals = {code: (cast(Severity, severity), total)
              for _, _, code, severity, _, total, *_ in found}
    counts = {code: total for code, (_, total) in sorted(totals.items())}
    return issues + list(_summaries(totals, max_per_code)), counts


def _summaries(totals: dict[str, tuple[Severity, int]], max_per_code: int) -> Iterable[Issue]:
    """One closing issue per code whose list was cut, saying how many more there are."""
    for code, (severity, total) in sorted(totals.items()):
        if total > max_per_code:
            yield Issue(
                FILE_ROW, None, MORE_ISSUES,
                f"{total - max_per_code:,} more '{code}' problems are not listed "
                f"({total:,} in all; only the first {max_per_code:,} are shown): "
                "fix the pattern above and upload again to see any that remain",
                severity,
            )


def _checked_rows(con: duckdb.DuckDBPyConnection) -> pa.Table:
    table = con.sql(statement("rows.sql", "checked_rows")).to_arrow_table()
    return table.cast(CHECKED_SCHEMA)
