"""The warehouse file: one DuckDB connection per process, a cursor per thread or request.

DuckDB lets only one process open a file read-write (and then no other process may even
read it), so the server owns it and the CLI asks the server instead when one is running.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.sqlfiles import SQL_DIR, first_row

MIGRATIONS_DIR = SQL_DIR / "migrations"
DEFINITIONS_DIR = SQL_DIR / "definitions"
BACKFILLS_DIR = SQL_DIR / "backfills"
_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


class Warehouse:
    """Owns the DuckDB connection; hands out cursors that share its database."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(self.path))
        self._swap_lock = threading.RLock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._swap_lock:
            return self._con.cursor()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request's reads, closed afterwards."""
        cur = self.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside BEGIN … COMMIT, rolled back on any error."""
        cur = self.cursor()
        cur.begin()
        try:
            yield cur
        except BaseException:
            cur.rollback()
            raise
        else:
            cur.commit()
        finally:
            cur.close()

    def migrate(self) -> int:
        """Apply numbered migrations not yet recorded, then every definition; return the
        schema version.

        Migrations create tables and move data, once each. Macros and views hold no data:
        they are definitions (``sql/definitions``), replaced as a whole every time, so a
        changed macro is edited in place instead of copied into a new migration. A migration
        whose new tables are filled by a definition has a backfill (``sql/backfills``, same
        name), run after the definitions in their transaction; the migration is recorded with
        its backfill, so one cut short runs again (it must be rerunnable)."""
        cur = self.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL)"
        )
        rows = cur.execute("SELECT version FROM schema_migrations").fetchall()
        applied = {row[0] for row in rows}
        backfills: list[tuple[int, str, str]] = []
        for version, name, sql in _migrations():
            if version in applied:
                continue
            backfill = BACKFILLS_DIR / f"{version:03d}_{name}.sql"
            cur.begin()
            cur.execute(sql)
            if backfill.exists():
                backfills.append((version, name, backfill.read_text(encoding="utf-8")))
            else:
                cur.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, name])
            cur.commit()
        cur.begin()
        for sql in _definitions():
            cur.execute(sql)
        for version, name, sql in backfills:
            cur.execute(sql)
            cur.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, name])
        cur.commit()
        row = first_row(cur, "SELECT coalesce(max(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0

    def replace_with(self, other_path: Path) -> None:
        """Swap in a freshly rebuilt file (blue-green rebuild inside the owning process)."""
        with self._swap_lock:
            self._con.close()
            other_path.replace(self.path)
            wal = other_path.with_name(other_path.name + ".wal")
            if wal.exists():
                wal.replace(self.path.with_name(self.path.name + ".wal"))
            self._con = duckdb.connect(str(self.path))

    def close(self) -> None:
        with self._swap_lock:
            self._con.close()


def _definitions() -> list[str]:
    """Each definitions file's text, in name order (a file may use what earlier ones define:
    DuckDB checks a macro's or view's references when it is created)."""
    return [path.read_text(encoding="utf-8") for path in sorted(DEFINITIONS_DIR.glob("*.sql"))]


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if match:
            found.append((int(match[1]), match[2], path.read_text(encoding="utf-8")))
    return found
