"""Catalogue read queries, each answerable at any past log position."""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.sqlfiles import fetch_dicts


def _records(cur: duckdb.DuckDBPyConnection, name: str, params: list[Any]) -> list[dict[str, Any]]:
    return fetch_dicts(cur, "catalogue.sql", name, params)


def members_at(cur: duckdb.DuckDBPyConnection, position: int) -> list[dict[str, Any]]:
    return _records(cur, "members_at", [position])


def measures_at(cur: duckdb.DuckDBPyConnection, position: int) -> list[dict[str, Any]]:
    return _records(cur, "measures_at", [position])


def peer_groups_at(cur: duckdb.DuckDBPyConnection, position: int) -> list[dict[str, Any]]:
    return _records(cur, "peer_groups_at", [position])


def catalogue_at(cur: duckdb.DuckDBPyConnection, position: int) -> dict[str, Any] | None:
    rows = _records(cur, "catalogue_at", [position])
    return rows[0] if rows else None


def catalogue_history(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _records(cur, "catalogue_history", [])
