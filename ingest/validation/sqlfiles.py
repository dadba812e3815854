"""The named statements in ``ingest/validation/sql/*.sql`` and their named parameters."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.named_sql import named_statement, named_statements

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


def statements(filename: str) -> dict[str, str]:
    """All named statements of one file, in the order they must run."""
    return named_statements(SQL_DIR / filename)


def statement(filename: str, name: str) -> str:
    return named_statement(SQL_DIR / filename, name)


def parameter_names(sql: str) -> set[str]:
    """The named parameters ($name) one statement mentions."""
    return set(_PARAMETER.findall(sql))


def bind(sql: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The named parameters one statement uses: DuckDB refuses any it is given but never uses."""
    wanted = parameter_names(sql)
    missing = wanted - parameters.keys()
    if missing:
        raise KeyError(f"no value for SQL parameter(s) {sorted(missing)}")
    return {name: parameters[name] for name in wanted}
