"""Where pages find the warehouse: a cursor provider that ``init_dashboards`` keeps on the app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
from flask import Flask, current_app

EXTENSION_KEY = "concord_dashboards"

CursorProvider = Callable[[], duckdb.DuckDBPyConnection]


@dataclass(frozen=True)
class DashboardContext:
    """What every page may use; one per Flask app."""

    cursor: CursorProvider


def install(server: Flask, cursor: CursorProvider) -> None:
    server.extensions[EXTENSION_KEY] = DashboardContext(cursor=cursor)


@contextmanager
def warehouse_cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh warehouse cursor for the current request, closed when the block ends."""
    context: DashboardContext = current_app.extensions[EXTENSION_KEY]
    cur = context.cursor()
    try:
        yield cur
    finally:
        cur.close()
