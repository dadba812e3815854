"""A tiny loader for the named statements in ``ingest/validation/sql/*.sql`` (``-- name: x``).

A copy of the idea in ``warehouse/sqlfiles.py``, not an import of it: ingest sits below the
warehouse and must not depend on it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

SQL_DIR = Path(__file__).resolve().parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def statements(filename: str) -> dict[str, str]:
    """All named statements of one file, read once per process on first use."""
    text = (SQL_DIR / filename).read_text(encoding="utf-8")
    parts = _NAME.split(text)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def statement(filename: str, name: str) -> str:
    try:
        return statements(filename)[name]
    except KeyError:
        raise KeyError(f"no statement '{name}' in ingest/validation/sql/{filename}") from None


def bind(sql: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The named parameters one statement uses: DuckDB refuses any it is given but never uses."""
    wanted = set(_PARAMETER.findall(sql))
    missing = wanted - parameters.keys()
    if missing:
        raise KeyError(f"no value for SQL parameter(s) {sorted(missing)}")
    return {name: parameters[name] for name in wanted}
