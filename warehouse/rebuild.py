"""Rebuild a warehouse from position zero: the warehouse is disposable, the log is the truth."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ingest.log.store import EventLog
from warehouse.db import Warehouse
from warehouse.projector import Projection, Projector


def rebuild_into(
    log: EventLog,
    target: Path,
    projections: Sequence[Projection],
    *,
    upto: int | None = None,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create ``target`` afresh, replay the log into it (up to ``upto``); return the position."""
    for path in (target, target.with_name(target.name + ".wal")):
        path.unlink(missing_ok=True)
    warehouse = Warehouse(target)
    try:
        warehouse.migrate()
        projector = Projector(log, warehouse, projections, batch_size=batch_size)
        return projector.catch_up(upto=upto, progress=progress)
    finally:
        warehouse.close()
