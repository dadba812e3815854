"""Who may see which values: a member its own at once, everyone else once published.

Every shared read goes through here, so the rule is enforced in one place for every
endpoint and export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.sqlfiles import fetch_dicts


@dataclass(frozen=True)
class Viewer:
    """Whose eyes: ``member_code`` sees its own values unpublished; ``sees_all`` (admins)."""

    member_code: str | None = None
    sees_all: bool = False


def visible_values(
    cur: duckdb.DuckDBPyConnection, viewer: Viewer, *, position: int, moment: datetime,
    measure_code: str | None = None, period: date | None = None,
) -> list[dict[str, Any]]:
    return fetch_dicts(cur, "visibility.sql", "visible_values", [
        position, moment, viewer.member_code, viewer.sees_all, measure_code, period,
    ])
