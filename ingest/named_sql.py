"""Named SQL statements kept in ``.sql`` files (``-- name: x`` headers), read once per process.

One loader for the whole project: it lives in ``ingest``, the lowest layer, so the warehouse,
the validation and the demo can all use it without importing upwards.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


@cache
def named_statements(path: Path) -> dict[str, str]:
    """Every named statement of one file, in file order."""
    parts = _NAME.split(path.read_text(encoding="utf-8"))
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def named_statement(path: Path, name: str) -> str:
    try:
        return named_statements(path)[name]
    except KeyError:
        raise KeyError(f"no statement '{name}' in {path}") from None
