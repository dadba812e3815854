"""Rebuild a test's log into a scratch warehouse and read its table checksums, to compare with
the live warehouse (the warehouse is disposable: any batch size must give the same tables)."""

from __future__ import annotations

from pathlib import Path

from concord.services import Services, projections
from warehouse.checksums import Checksums, table_checksums
from warehouse.db import Warehouse
from warehouse.rebuild import rebuild_into


def rebuilt_checksums(services: Services, path: Path, *, batch_size: int = 1) -> Checksums:
    """Checksums of the log of `services` replayed into a fresh file at `path`."""
    rebuild_into(services.log, path, projections(), batch_size=batch_size)
    scratch = Warehouse(path)
    try:
        return table_checksums(scratch)
    finally:
        scratch.close()
