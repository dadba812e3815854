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
    api_url: str | None = None  # the server's own API; None: the request's host (tests only)


def install(server: Flask, cursor: CursorProvider, api_url: str | None = None) -> None:
    server.extensions[EXTENSION_KEY] = DashboardContext(cursor=cursor, api_url=api_url)


def api_base_url(request_host_url: str) -> str:
    """Where pages call the API. A configured address is preferred: the request's Host
    header is the caller's to choose, so trusting it would let them aim the server's own
    call elsewhere."""
    context: DashboardContext = current_app.extensions[EXTENSION_KEY]
    return context.api_url or request_host_url


@contextmanager
def warehouse_cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh warehouse cursor for the current request, closed when the block ends."""
    context: DashboardContext = current_app.extensions[EXTENSION_KEY]
    cur = context.cursor()
    try:
        yield cur
    finally:
        cur.close()
