"""A tiny loader for named queries kept in ``warehouse/sql/*.sql`` (``-- name: x`` headers)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


@cache
def queries(filename: str) -> dict[str, str]:
    """All named queries of one file, read once per process on first use."""
    text = (SQL_DIR / filename).read_text(encoding="utf-8")
    parts = _NAME.split(text)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def query(filename: str, name: str) -> str:
    try:
        return queries(filename)[name]
    except KeyError:
        raise KeyError(f"no query '{name}' in warehouse/sql/{filename}") from None


def fetch_dicts(
    cur: duckdb.DuckDBPyConnection, filename: str, name: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """Run a named query and return its rows as dicts keyed by column name."""
    result = cur.execute(query(filename, name), list(params))
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
